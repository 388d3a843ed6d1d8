/**
 * What the Electron preload exposes as `window.watchroom`: one `call` that carries any contract
 * method by name (the main process checks the name against the contract, calls in the
 * workstation's session and answers with an envelope, since contextBridge drops custom error
 * fields), the event feed, where to open live streams (with the session for the WebSocket), and the
 * disk path of a file the user dropped or chose. Nothing else crosses.
 */
import type { ApiErrorBody } from './errors.js';
import type { CoreEvent } from './events.js';

export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };

export interface WatchroomBridge {
  call(method: string, arg: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
  /** The loopback server for live video and recorded media; null if refused. */
  liveServer(): Promise<{ baseUrl: string; token: string | null } | null>;
  /**
   * Hands the main process the package folder a dropped or chosen file lies in (Electron's webUtils
   * finds it on disk), so it is verified in place; the core verifies no folder it was not handed.
   * Resolves to the folder, or null if it cannot be told or was refused.
   */
  handOverPackage(file: File, relativePath: string): Promise<string | null>;
}

export const IPC_CALL = 'watchroom:call';
export const IPC_EVENT = 'watchroom:event';
export const IPC_LIVE_SERVER = 'watchroom:live-server';
export const IPC_HAND_OVER_PACKAGE = 'watchroom:hand-over-package';
