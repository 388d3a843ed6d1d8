/** WatchroomApi over the browser host: POST /api/<method> with `{ arg }` and the session header, answered by `{ result }` or `{ error }`. */
import { bindApi, type WatchroomApi } from '../../../shared/contract.js';
import { WatchroomError, isApiErrorBody } from '../../../shared/errors.js';
import { sessionToken } from './session-token';

export function httpApi(): WatchroomApi {
  return bindApi(async (method, arg) => {
    const token = sessionToken();
    let response: Response;
    try {
      response = await fetch(`/api/${method}`, {
        method: 'POST',
        credentials: 'omit',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(arg === undefined ? {} : { arg }),
      });
    } catch {
      throw new WatchroomError('host.unreachable', 'Cannot reach the Watchroom host. Is watchroom-host still running?');
    }
    const body = await readJson(response);
    // The host checked the result against the contract before sending it.
    if (response.ok && typeof body === 'object' && body !== null && 'result' in body) return body.result;
    const error = typeof body === 'object' && body !== null && 'error' in body ? body.error : undefined;
    if (isApiErrorBody(error)) throw WatchroomError.fromBody(error);
    throw new WatchroomError(`http.${response.status}`, hostAnswered(response.status));
  });
}

/** An answer without Watchroom's own error: a proxy, a restart half-way, a host of another version. */
export function hostAnswered(status: number): string {
  return `Watchroom answered with an error it did not explain (HTTP ${status}). Try again; if it goes on, restart watchroom-host.`;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}
