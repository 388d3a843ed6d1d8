/**
 * What the Electron preload exposes as `window.watchroom`: every WatchroomApi method by name, each
 * resolving to an envelope (contextBridge drops custom error fields, so errors travel as data), plus
 * the event feed, where to open live streams, and the disk path of a file the user dropped or chose.
 * Nothing else crosses.
 */
import type { WatchroomApi } from './api.js';
import type { ApiErrorBody } from './errors.js';
import type { CoreEvent } from './events.js';

export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };

type BridgedMethod<F> = F extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<Envelope<R>> : never;

export type WatchroomBridge = { [K in keyof WatchroomApi]: BridgedMethod<WatchroomApi[K]> } & {
  onEvent(listener: (event: CoreEvent) => void): () => void;
  /** The loopback WebSocket server for live video: `${baseUrl}/live/<id>?token=<token>`; null if refused. */
  liveServer(): Promise<{ baseUrl: string; token: string } | null>;
  /**
   * Hands the main process the package folder a dropped or chosen file lies in (Electron's webUtils
   * finds it on disk), so it is verified in place; the core verifies no folder it was not handed.
   * Resolves to the folder, or null if it cannot be told or was refused.
   */
  handOverPackage(file: File, relativePath: string): Promise<string | null>;
};

export const IPC_CALL = 'watchroom:call';
export const IPC_EVENT = 'watchroom:event';
export const IPC_LIVE_SERVER = 'watchroom:live-server';
export const IPC_HAND_OVER_PACKAGE = 'watchroom:hand-over-package';
