/**
 * The one WatchroomApi client of this renderer, chosen once at start: the Electron preload bridge when
 * present, the browser host's HTTP and WebSocket endpoints otherwise. Views never learn which.
 */
import type { WatchroomApi } from '../../../shared/api.js';
import type { SubscribeEvents } from './client-event';
import { electronApi } from './electron-api';
import { httpApi } from './http-api';
import { uploadPackage } from './package-upload';
import { openWallWindow } from '../wall/wall-window';
import type { WatchroomBridge } from '../../../shared/bridge.js';
import type { StreamVariant } from '../../../shared/events.js';
import type { PackageFile } from '../incidents/package-folder-files';
import { socketEventFeed } from './socket-event-feed';
import { livePath, liveServerUrl, pageSocketUrl } from './socket-urls';

interface WatchroomClient {
  api: WatchroomApi;
  subscribeEvents: SubscribeEvents;
  /** Asked afresh for every connection, so a restarted Electron live server (new port or token) is found. */
  liveSocketUrl(cameraId: string, stream: StreamVariant): Promise<string>;
  /** Absolute URL of a recorded-media path (/media/...), with the token where there is no cookie. */
  mediaUrl(path: string): Promise<string>;
  /**
   * The folder to verify for a dropped or chosen package: where it lies (Electron), or a copy on the
   * host (browser, which cannot name a folder on disk); `onProgress` follows the copy.
   */
  packageFolder(files: readonly PackageFile[], onProgress: (fraction: number) => void): Promise<string>;
  /** Shows a wall in a window: the browser opens one; Electron's main process already has (one per display). */
  showWall(wallId: string): Promise<void>;
}

/** Hands the main process the folder on disk a chosen file lies in, to be verified where it is. */
async function folderOnDisk(bridge: WatchroomBridge, { file, relativePath }: PackageFile): Promise<string> {
  const folder = await bridge.handOverPackage(file, relativePath);
  if (!folder) throw new Error('Could not tell where that folder lies on disk.');
  return folder;
}

function chooseClient(): WatchroomClient {
  const bridge = window.watchroom;
  if (bridge) {
    return {
      api: electronApi(bridge),
      subscribeEvents: (listener) => bridge.onEvent(listener),
      liveSocketUrl: async (cameraId, stream) => {
        const server = await bridge.liveServer();
        if (!server) throw new Error('The main process refused the live video address.');
        return liveServerUrl(cameraId, stream, server);
      },
      mediaUrl: async (path) => {
        const server = await bridge.liveServer();
        if (!server) throw new Error('The main process refused the media address.');
        const url = new URL(path, server.baseUrl.replace(/^ws/, 'http'));
        url.searchParams.set('token', server.token);
        return url.toString();
      },
      packageFolder: (files) => folderOnDisk(bridge, files[0]!),
      showWall: async () => undefined,
    };
  }
  return {
    api: httpApi(),
    subscribeEvents: socketEventFeed(pageSocketUrl('/events', location)),
    liveSocketUrl: async (cameraId, stream) => pageSocketUrl(livePath(cameraId, stream), location),
    mediaUrl: async (path) => path,
    packageFolder: uploadPackage,
    showWall: openWallWindow,
  };
}

export const { api, subscribeEvents, liveSocketUrl, mediaUrl, packageFolder, showWall } = chooseClient();
