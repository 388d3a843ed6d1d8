/**
 * The Electron shell's IPC: every contract call from our own renderer goes to the core's
 * dispatcher in the workstation's session, which lives here: one person at a time works at a
 * workstation, and every wall window (one per display) acts in it. A window's sign-in (or a sign-in
 * at the idle lock) replaces it.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { statSync } from 'node:fs';
import type { SignedIn } from '../shared/api.js';
import { IPC_CALL, IPC_HAND_OVER_PACKAGE, IPC_LIVE_SERVER } from '../shared/bridge.js';
import type { Core } from './core/core.js';

/** Returns the workstation's session, for what else the shell sends its windows (events). */
export function handleIpc(core: Core, livePort: number, fromOurRenderer: (event: IpcMainInvokeEvent) => boolean): () => string | null {
  let workstationSession: string | null = null;
  ipcMain.handle(IPC_CALL, async (event, method: unknown, arg: unknown) => {
    if (!fromOurRenderer(event) || typeof method !== 'string') return { ok: false, error: { code: 'ipc.refused', message: 'Refused.' } };
    const result = await core.call(workstationSession, method, arg);
    if (!result.ok) return { ok: false, error: result.error };
    if (method === 'signIn' || method === 'createFirstAdmin') workstationSession = (result.result as SignedIn).token;
    if (method === 'signOut') workstationSession = null;
    return { ok: true, result: result.result };
  });
  ipcMain.handle(IPC_LIVE_SERVER, (event) => (fromOurRenderer(event) ? { baseUrl: `ws://127.0.0.1:${livePort}`, token: workstationSession } : null));
  // A folder the user dropped or chose in our window may be verified where it lies.
  ipcMain.handle(IPC_HAND_OVER_PACKAGE, (event, folder: unknown) => {
    if (!fromOurRenderer(event) || !core.person(workstationSession)) return null;
    if (typeof folder !== 'string' || folder.length > 4096 || !statSync(folder, { throwIfNoEntry: false })?.isDirectory()) return null;
    core.grantPackageFolder(folder);
    return folder;
  });
  return () => workstationSession;
}
