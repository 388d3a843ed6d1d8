/**
 * The one place a call from outside the core is checked and carried out, derived from the contract:
 * the method exists, the session is signed in (and not idle-locked), the person's role has the
 * permission, the argument is valid, the handler runs, its result has the promised shape, and the
 * contract's ledger entry is written naming the person and their role. A refusal for lack of a
 * permission is itself entered in the ledger. Both shells (browser host, Electron IPC) and the
 * in-process callers go through here.
 */
import type { z } from 'zod';
import { type ApiErrorBody, httpStatus, WatchroomError } from '../../../shared/errors.js';
import { fieldSentence } from '../../../shared/field-sentences.js';
import { bindApi, CONTRACT, isApiMethod, type WatchroomApi } from '../../../shared/contract.js';
import { allows, ROLE_NAMES, type Access } from '../../../shared/roles.js';
import type { SessionPerson } from '../../../shared/api.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { Logger } from '../logger.js';
import type { CallContext, Handlers } from './handlers.js';

export type DispatchResult = { ok: true; result: unknown } | { ok: false; status: number; error: ApiErrorBody };

/** Who a token belongs to now; the sessions of people/ answer it. */
export interface SessionLookup {
  resolve(token: string | null): { person: SessionPerson; locked: boolean } | null;
  /** A call the person made themselves keeps an idle session awake. */
  touch(token: string): void;
}

/** The system's own calls (a shell arranging its windows, cameras imported at start). */
export const SYSTEM_TOKEN = Symbol('system');

export interface Dispatcher {
  call(token: string | null | typeof SYSTEM_TOKEN, method: string, arg: unknown): Promise<DispatchResult>;
  /** WatchroomApi bound to one session, for in-process callers (the CLI, tests). */
  api(token: string | typeof SYSTEM_TOKEN): WatchroomApi;
}

const fail = (error: WatchroomError): DispatchResult => ({ ok: false, status: httpStatus(error.code), error: error.toBody() });

export function createDispatcher(deps: { handlers: Handlers; ledger: AuditLedger; sessions: SessionLookup; logger: Logger }): Dispatcher {
  const call: Dispatcher['call'] = async (token, method, arg) => {
    if (!isApiMethod(method)) return fail(new WatchroomError('api.unknown-method', `There is no API method called “${method.slice(0, 80)}”.`));
    const spec = CONTRACT[method];
    const system = token === SYSTEM_TOKEN;
    const session = system ? null : deps.sessions.resolve(token);
    const refused = system ? null : refusal(method, spec.access, session, spec.whileLocked === true);
    if (refused) {
      if (refused.code === 'auth.forbidden' && session) {
        deps.ledger.append({ name: session.person.name, role: session.person.role }, 'auth.forbidden', method, { method, permission: spec.access });
      }
      return fail(refused);
    }
    const parsed = parseArg(spec.arg as z.ZodType, arg);
    if (!parsed.success) return fail(parsed.error);
    // The person's own actions keep the session awake; what keeps a locked wall on screen does not.
    if (session && typeof token === 'string' && !spec.whileLocked) deps.sessions.touch(token);

    let entry: { subject: string; details?: Record<string, unknown>; as?: SessionPerson } | null = null;
    const ctx: CallContext = {
      person: session?.person ?? null,
      token: typeof token === 'string' && session ? token : null,
      record: (subject, details, as) => (entry = { subject, ...(details ? { details } : {}), ...(as ? { as } : {}) }),
    };
    try {
      const handler = deps.handlers[method] as (arg: unknown, ctx: CallContext) => Promise<unknown>;
      const result = spec.result.safeParse((await handler(parsed.data, ctx)) ?? null);
      if (!result.success) throw new Error(`${method} answered outside its contract: ${result.error.message}`);
      if (spec.audit) {
        const done = entry as { subject: string; details?: Record<string, unknown>; as?: SessionPerson } | null;
        const who = done?.as ?? session?.person;
        deps.ledger.append(who ? { name: who.name, role: who.role } : 'system', spec.audit, done?.subject ?? method, done?.details);
      }
      return { ok: true, result: result.data };
    } catch (error) {
      if (error instanceof WatchroomError) return fail(error);
      deps.logger.log('error', 'api.internal', { method, error: error instanceof Error ? error.stack : String(error) });
      return fail(new WatchroomError('internal', 'Watchroom hit an internal error; the log has details.'));
    }
  };

  const api = (token: string | typeof SYSTEM_TOKEN): WatchroomApi =>
    bindApi(async (method, arg) => {
      const result = await call(token, method, arg);
      if (!result.ok) throw WatchroomError.fromBody(result.error);
      return result.result;
    });

  return { call, api };
}

/**
 * Checks a call's argument against the contract; a refusal names each faulty field in a sentence for
 * the person who filled it in (shared/field-sentences.ts), keyed by the field's path in the argument.
 */
export function parseArg<T>(schema: z.ZodType<T>, arg: unknown): { success: true; data: T } | { success: false; error: WatchroomError } {
  const parsed = schema.safeParse(arg, { error: fieldSentence });
  if (parsed.success) return parsed;
  const fields = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'arg', code: `api.invalid.${issue.code}`, message: issue.message }));
  return { success: false, error: new WatchroomError('api.invalid-argument', 'Some of what was entered cannot be used; each field says why.', fields) };
}

/**
 * Why a session may not do `what` (a method, or another door into the core such as a live socket),
 * or null when it may. The one check: the dispatcher and the core's other doors both use it.
 */
export function refusal(what: string, access: Access, session: { person: SessionPerson; locked: boolean } | null, whileLocked: boolean): WatchroomError | null {
  if (access === 'public') return null;
  if (!session) return new WatchroomError('auth.required', 'Sign in to Watchroom first.');
  if (session.locked && !whileLocked) return new WatchroomError('auth.locked', 'Watchroom locked itself after a while without use. Sign in again to carry on.');
  if (allows(session.person.role, access)) return null;
  // A sentence for the person: the method and the permission's id go to the ledger and the error's own field, not the words.
  return new WatchroomError('auth.forbidden', `Your role (${ROLE_NAMES[session.person.role]}) does not allow this.`, undefined, access);
}
