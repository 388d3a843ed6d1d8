/**
 * Validates one API call from outside the process (HTTP body, IPC message) and runs it. Shared by the
 * browser host and the Electron main process so both shells enforce the same contract.
 */
import type { WatchroomApi } from '../../shared/api.js';
import { WatchroomError, type ApiErrorBody } from '../../shared/errors.js';
import { apiArgSchemas, isApiMethod } from '../../shared/schemas.js';

export type DispatchResult = { ok: true; result: unknown } | { ok: false; status: number; error: ApiErrorBody };

export async function dispatchApiCall(api: WatchroomApi, method: string, arg: unknown, log: (error: unknown) => void): Promise<DispatchResult> {
  if (!isApiMethod(method)) return { ok: false, status: 404, error: { code: 'api.unknown-method', message: `There is no API method called “${method}”.` } };
  const parsed = apiArgSchemas[method].safeParse(arg);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'arg', code: `api.invalid.${issue.code}`, message: issue.message }));
    return { ok: false, status: 400, error: { code: 'api.invalid-argument', message: `The request for ${method} is malformed.`, fields } };
  }
  try {
    const call = api[method] as (arg: unknown) => Promise<unknown>;
    return { ok: true, result: (await call.call(api, parsed.data)) ?? null };
  } catch (error) {
    if (error instanceof WatchroomError) return { ok: false, status: error.code.endsWith('not-found') ? 404 : error.code === 'auth.forbidden' ? 403 : 400, error: error.toBody() };
    log(error);
    return { ok: false, status: 500, error: { code: 'internal', message: 'Watchroom hit an internal error; the log has details.' } };
  }
}
