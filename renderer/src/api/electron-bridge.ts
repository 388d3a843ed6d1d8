/** `window.watchroom`: present only in Electron, where the preload defines it (contract in shared/bridge.ts). */
import type { WatchroomBridge } from '../../../shared/bridge.js';

export type LiveServerAddress = NonNullable<Awaited<ReturnType<WatchroomBridge['liveServer']>>>;

declare global {
  interface Window {
    watchroom?: WatchroomBridge;
  }
}
