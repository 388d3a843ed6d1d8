/**
 * Sandboxed preload: exposes exactly WatchroomBridge (shared/bridge.ts) and no raw ipcRenderer: one
 * `call` for every contract method, the event feed, the live server's address, and package hand-over.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { CoreEvent } from '../shared/events.js';
import type { WatchroomBridge } from '../shared/bridge.js';

// Literal copies of shared/bridge.ts constants: a sandboxed preload cannot import them at run time.
const IPC_CALL = 'watchroom:call';
const IPC_EVENT = 'watchroom:event';
const IPC_LIVE_SERVER = 'watchroom:live-server';
const IPC_HAND_OVER_PACKAGE = 'watchroom:hand-over-package';

const bridge: WatchroomBridge = {
  // The main process checks the method against the contract; no method list is kept here.
  call: (method: string, arg: unknown) => ipcRenderer.invoke(IPC_CALL, method, arg),
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
contextBridge.exposeInMainWorld('watchroom', bridge);
