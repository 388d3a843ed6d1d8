/**
 * Sandboxed preload: exposes exactly WatchroomBridge and no raw ipcRenderer. A sandboxed preload can
 * only require 'electron', so the method list is written out here; `satisfies` keeps it complete.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { WatchroomApi } from '../shared/api.js';
import type { CoreEvent } from '../shared/events.js';
import type { WatchroomBridge } from '../shared/bridge.js';

// Literal copies of shared/bridge.ts constants: a sandboxed preload cannot import them at run time.
const IPC_CALL = 'watchroom:call';
const IPC_EVENT = 'watchroom:event';
const IPC_LIVE_SERVER = 'watchroom:live-server';
const IPC_HAND_OVER_PACKAGE = 'watchroom:hand-over-package';

const METHODS = {
  getSession: true,
  listCameras: true,
  addCamera: true,
  updateCamera: true,
  removeCamera: true,
  importCameras: true,
  addDemoCameras: true,
  listStreams: true,
  listWalls: true,
  getWall: true,
  setWall: true,
  addWall: true,
  removeWall: true,
  listPresets: true,
  savePreset: true,
  recallPreset: true,
  deletePreset: true,
  listAudit: true,
  listRecordings: true,
  getRetention: true,
  getRecordingCheck: true,
  getAuditStatus: true,
  setRetention: true,
  getStorageUsage: true,
  getSigningKey: true,
  startExport: true,
  getExport: true,
  cancelExport: true,
  listPackages: true,
  verifyPackage: true,
  importTrustedKey: true,
  listTrustedKeys: true,
  createBookmark: true,
  updateBookmark: true,
  deleteBookmark: true,
  listBookmarks: true,
  setBookmarkLock: true,
} as const satisfies Record<keyof WatchroomApi, true>;

const bridge: Record<string, unknown> = {
  onEvent(listener: (event: CoreEvent) => void) {
    const handler = (_e: IpcRendererEvent, event: CoreEvent) => listener(event);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT, handler);
  },
  liveServer: () => ipcRenderer.invoke(IPC_LIVE_SERVER),
  // The folder is the file's disk path less its path inside the chosen folder (a/b/c.mp4 → a).
  handOverPackage: (file: File, relativePath: string) => {
    const path = webUtils.getPathForFile(file).replace(/\\/g, '/');
    const inside = relativePath.slice(relativePath.indexOf('/'));
    return path.endsWith(inside) ? ipcRenderer.invoke(IPC_HAND_OVER_PACKAGE, path.slice(0, path.length - inside.length)) : Promise.resolve(null);
  },
};
for (const method of Object.keys(METHODS)) {
  bridge[method] = (arg?: unknown) => ipcRenderer.invoke(IPC_CALL, method, arg);
}

contextBridge.exposeInMainWorld('watchroom', bridge as WatchroomBridge);
