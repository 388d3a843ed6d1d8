/** WatchroomApi over the Electron preload bridge, whose methods answer with envelopes (shared/bridge.ts). */
import type { WatchroomApi } from '../../../shared/api.js';
import type { Envelope, WatchroomBridge } from '../../../shared/bridge.js';
import { WatchroomError } from '../../../shared/errors.js';
import type { ApiMethod } from '../../../shared/schemas.js';
import { errorMessage } from '../lib/error-message';
import { apiFromCaller, type ApiArg, type ApiResult } from './api-caller';

export function electronApi(bridge: WatchroomBridge): WatchroomApi {
  return apiFromCaller(async <M extends ApiMethod>(method: M, arg: ApiArg<M>) => {
    // TypeScript cannot tie a generic method name to its signature; apiFromCaller fixes the pairing.
    const call = bridge[method] as (arg: ApiArg<M>) => Promise<Envelope<ApiResult<M>>>;
    let envelope: Envelope<ApiResult<M>>;
    try {
      envelope = await call(arg);
    } catch (error) {
      throw new WatchroomError('ipc.failed', `The call to Watchroom failed: ${errorMessage(error)}`);
    }
    if (envelope.ok) return envelope.result;
    throw WatchroomError.fromBody(envelope.error);
  });
}
