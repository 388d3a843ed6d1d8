/** What a feature module implements for its slice of the contract, and what each call is told. */
import type { SessionPerson } from '../../../shared/api.js';
import type { ApiMethod, ApiParsedArg, ApiResult } from '../../../shared/contract.js';

export interface CallContext {
  /** Who calls: the signed-in person with their role now, or null for a public call made signed out. */
  readonly person: SessionPerson | null;
  /** The calling session's token (null when signed out, or for the system). */
  readonly token: string | null;
  /**
   * What this call's ledger entry is about. The dispatcher writes the entry (the contract's action)
   * once the call has succeeded; `as` names the person for a call made signed out (sign-in).
   */
  record(subject: string, details?: Record<string, unknown>, as?: SessionPerson): void;
}

export type Handler<M extends ApiMethod> = (arg: ApiParsedArg<M>, ctx: CallContext) => Promise<ApiResult<M>>;
export type Handlers = { [M in ApiMethod]: Handler<M> };
