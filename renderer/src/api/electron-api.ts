/** WatchroomApi over the Electron preload bridge, whose `call` answers with envelopes (shared/bridge.ts). */
import { bindApi, type WatchroomApi } from '../../../shared/contract.js';
import type { WatchroomBridge } from '../../../shared/bridge.js';
import { WatchroomError } from '../../../shared/errors.js';

export function electronApi(bridge: WatchroomBridge): WatchroomApi {
  return bindApi(async (method, arg) => {
    let envelope;
    try {
      envelope = await bridge.call(method, arg);
    } catch (error) {
      // Electron's own words ("Error invoking remote method…") are for the log, not the person.
      console.error(error);
      throw new WatchroomError('ipc.failed', 'Watchroom’s main process did not answer. Try again; if it goes on, restart Watchroom.');
    }
    if (envelope.ok) return envelope.result;
    throw WatchroomError.fromBody(envelope.error);
  });
}
