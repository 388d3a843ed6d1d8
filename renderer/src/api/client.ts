/**
 * The one WatchroomApi client of this renderer, chosen once at start: the Electron preload bridge when
 * present, the browser host's HTTP and WebSocket endpoints otherwise. Views never learn which.
 */
import { bindApi, type WatchroomApi } from '../../../shared/contract.js';
import { WatchroomError } from '../../../shared/errors.js';
import type { SubscribeEvents } from './client-event';
import { electronApi } from './electron-api';
import { httpApi } from './http-api';
import { uploadPackage } from './package-upload';
import { closeWallWindow as closePopUp, openWallWindow } from '../wall/wall-window';
import type { WatchroomBridge } from '../../../shared/bridge.js';
import type { StreamVariant } from '../../../shared/events.js';
import { packageDownloadPath } from '../../../shared/evidence.js';
import type { PackageFile } from '../incidents/package-folder-files';
import { socketEventFeed } from './socket-event-feed';
import { livePath, liveServerUrl, pageSocketUrl, type SocketAddress } from './socket-urls';
import { sessionProtocols } from '../../../shared/session-transport.js';
import { sessionToken } from './session-token';

interface WatchroomClient {
  api: WatchroomApi;
  subscribeEvents: SubscribeEvents;
  /** Asked afresh for every connection, so a restarted Electron live server (new port) and a new session are found. */
  liveSocket(cameraId: string, stream: StreamVariant): Promise<SocketAddress>;
  /** Absolute URL of a recorded-media path (/media/...), signed for this session for a while. */
  mediaUrl(path: string): Promise<string>;
  /**
   * The folder to verify for a dropped or chosen package: where it lies (Electron), or a copy on the
   * host (browser, which cannot name a folder on disk); `onProgress` follows the copy.
   */
  packageFolder(files: readonly PackageFile[], onProgress: (fraction: number) => void): Promise<string>;
  /** Shows a wall in a window: the browser opens one; Electron's main process already has (one per display). */
  showWall(wallId: string): Promise<void>;
  /** Closes the window of a wall that was closed: the browser closes what it opened; Electron's main process closes its own. */
  closeWallWindow(wallId: string): void;
  /**
   * A signed link that downloads a package made here as a zip (browser shell, where the package's
   * folder is out of the page's reach); null in Electron, where the folder is on this computer.
   */
  packageDownload: ((folderName: string) => Promise<string>) | null;
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
    const api = electronApi(bridge);
    const liveServer = async () => {
      const server = await bridge.liveServer();
      if (!server) throw new Error('The main process refused the live video address.');
      return server;
    };
    return {
      api,
      subscribeEvents: (listener) => bridge.onEvent(listener),
      liveSocket: async (cameraId, stream) => {
        const server = await liveServer();
        return { url: liveServerUrl(cameraId, stream, server), protocols: sessionProtocols(server.token) };
      },
      mediaUrl: async (path) => new URL(await api.mediaLink({ path }), (await liveServer()).baseUrl.replace(/^ws/, 'http')).toString(),
      packageFolder: (files) => folderOnDisk(bridge, files[0]!),
      showWall: async () => undefined,
      closeWallWindow: () => undefined,
      packageDownload: null,
    };
  }
  const api = httpApi();
  return {
    api,
    subscribeEvents: socketEventFeed(() => ({ url: pageSocketUrl('/events', location), protocols: sessionProtocols(sessionToken()) })),
    liveSocket: async (cameraId, stream) => ({ url: pageSocketUrl(livePath(cameraId, stream), location), protocols: sessionProtocols(sessionToken()) }),
    mediaUrl: (path) => api.mediaLink({ path }),
    packageFolder: uploadPackage,
    showWall: openWallWindow,
    closeWallWindow: closePopUp,
    packageDownload: (folderName) => api.mediaLink({ path: packageDownloadPath(folderName) }),
  };
}

const client = chooseClient();

type AuthProblem = 'auth.required' | 'auth.locked' | 'auth.forbidden';
const AUTH_PROBLEMS: readonly string[] = ['auth.required', 'auth.locked', 'auth.forbidden'] satisfies AuthProblem[];
const authListeners = new Set<(code: AuthProblem) => void>();
/**
 * Told when a call is refused for want of a session, because it locked, or for want of a permission
 * (an administrator may have changed the role since the session was read), so the window can ask
 * for a sign-in or read the session again.
 */
export function onAuthProblem(listener: (code: AuthProblem) => void): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

export const api: WatchroomApi = bindApi(async (method, arg) => {
  try {
    return await (client.api[method] as (arg: unknown) => Promise<unknown>)(arg);
  } catch (error) {
    if (error instanceof WatchroomError && AUTH_PROBLEMS.includes(error.code)) authListeners.forEach((l) => l(error.code as AuthProblem));
    throw error;
  }
});
export const { subscribeEvents, liveSocket, mediaUrl, packageFolder, showWall, closeWallWindow, packageDownload } = client;
