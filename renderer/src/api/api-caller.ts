/** Builds a WatchroomApi from one function that performs a named call, whatever the transport. */
import type { WatchroomApi } from '../../../shared/api.js';
import type { ApiMethod } from '../../../shared/schemas.js';

export type ApiArg<M extends ApiMethod> = Parameters<WatchroomApi[M]>[0];
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<WatchroomApi[M]>>;
export type ApiCaller = <M extends ApiMethod>(method: M, arg: ApiArg<M>) => Promise<ApiResult<M>>;

export function apiFromCaller(call: ApiCaller): WatchroomApi {
  return {
    getSession: () => call('getSession', undefined),
    listCameras: () => call('listCameras', undefined),
    addCamera: (input) => call('addCamera', input),
    updateCamera: (arg) => call('updateCamera', arg),
    removeCamera: (arg) => call('removeCamera', arg),
    importCameras: (arg) => call('importCameras', arg),
    addDemoCameras: () => call('addDemoCameras', undefined),
    listStreams: () => call('listStreams', undefined),
    listWalls: () => call('listWalls', undefined),
    getWall: (arg) => call('getWall', arg),
    setWall: (arg) => call('setWall', arg),
    addWall: () => call('addWall', undefined),
    removeWall: (arg) => call('removeWall', arg),
    listPresets: () => call('listPresets', undefined),
    savePreset: (arg) => call('savePreset', arg),
    recallPreset: (arg) => call('recallPreset', arg),
    deletePreset: (arg) => call('deletePreset', arg),
    listAudit: (arg) => call('listAudit', arg),
    listRecordings: (arg) => call('listRecordings', arg),
    getRetention: () => call('getRetention', undefined),
    getRecordingCheck: () => call('getRecordingCheck', undefined),
    getAuditStatus: () => call('getAuditStatus', undefined),
    getStorageUsage: () => call('getStorageUsage', undefined),
    getSigningKey: () => call('getSigningKey', undefined),
    startExport: (request) => call('startExport', request),
    getExport: (arg) => call('getExport', arg),
    cancelExport: (arg) => call('cancelExport', arg),
    listPackages: () => call('listPackages', undefined),
    verifyPackage: (arg) => call('verifyPackage', arg),
    importTrustedKey: (arg) => call('importTrustedKey', arg),
    listTrustedKeys: () => call('listTrustedKeys', undefined),
    createBookmark: (input) => call('createBookmark', input),
    updateBookmark: (arg) => call('updateBookmark', arg),
    deleteBookmark: (arg) => call('deleteBookmark', arg),
    listBookmarks: (query) => call('listBookmarks', query),
    setBookmarkLock: (arg) => call('setBookmarkLock', arg),
    setRetention: (settings) => call('setRetention', settings),
  };
}
