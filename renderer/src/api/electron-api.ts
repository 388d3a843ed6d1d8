/** WatchroomApi over the Electron preload bridge, whose `call` answers with envelopes (shared/bridge.ts). */
import { bindApi, type WatchroomApi } from '../../../shared/contract.js';
import type { WatchroomBridge } from '../../../shared/bridge.js';
import { WatchroomError } from '../../../shared/errors.js';
import { errorMessage } from '../lib/error-message';

export function electronApi(bridge: WatchroomBridge): WatchroomApi {
  return bindApi(async (method, arg) => {
    let envelope;
    try {
      envelope = await bridge.call(method, arg);
    } catch (error) {
      throw new WatchroomError('ipc.failed', `The call to Watchroom failed: ${errorMessage(error)}`);
    }
    if (envelope.ok) return envelope.result;
    throw WatchroomError.fromBody(envelope.error);
  });
}
