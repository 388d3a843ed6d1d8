/** WatchroomApi over the browser host: POST /api/<method> with `{ arg }`, answered by `{ result }` or `{ error }`. */
import type { WatchroomApi } from '../../../shared/api.js';
import { WatchroomError, isApiErrorBody } from '../../../shared/errors.js';
import type { ApiMethod } from '../../../shared/schemas.js';
import { apiFromCaller, type ApiArg, type ApiResult } from './api-caller';

export function httpApi(): WatchroomApi {
  return apiFromCaller(async <M extends ApiMethod>(method: M, arg: ApiArg<M>) => {
    let response: Response;
    try {
      response = await fetch(`/api/${method}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(arg === undefined ? {} : { arg }),
      });
    } catch {
      throw new WatchroomError('host.unreachable', 'Cannot reach the Watchroom host. Is watchroom-host still running?');
    }
    const body = await readJson(response);
    if (response.ok && typeof body === 'object' && body !== null && 'result' in body) {
      // The host validated the call against the same contract; its answer is trusted as typed.
      return body.result as ApiResult<M>;
    }
    const error = typeof body === 'object' && body !== null && 'error' in body ? body.error : undefined;
    if (isApiErrorBody(error)) throw WatchroomError.fromBody(error);
    throw new WatchroomError(`http.${response.status}`, `The Watchroom host answered ${response.status} ${response.statusText}.`);
  });
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}
