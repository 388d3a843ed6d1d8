/**
 * Disclosure requests in the directory: the data folder's disclosures.db on one machine
 * (disclosure-store.ts), the site's PostgreSQL tables on a site (site-disclosures.ts), so a request
 * made on one workstation is decided on another and built on the first. Either way a request is kept
 * whole as it was made and never edited; its state only moves forwards, each move once:
 * pending → approved | refused, approved → claimed by one builder → built | failed.
 */
import { createHash } from 'node:crypto';
import type { DisclosureRequest } from '../../../shared/disclosures.js';
import { WatchroomError } from '../../../shared/errors.js';
import type { Role } from '../../../shared/roles.js';
import { canonicalJson } from '../canonical-json.js';

export type ActingPerson = DisclosureRequest['requestedBy'];

/** The requester's account as it is when a decision is written (null: no account, as for the system). */
export type RequesterNow = { role: Role; disabled: boolean } | null;

/**
 * A rule an approval must meet, checked against the requester's account as it is when the approval is
 * written (another workstation may disable them meanwhile); it refuses by throwing, and nothing is written.
 */
export type ApprovalCheck = (request: DisclosureRequest, requester: RequesterNow) => void;

export type BuildOutcome = { state: 'built'; packageName: string } | { state: 'failed'; failure: string };

export interface DisclosureRepository {
  insert(request: DisclosureRequest): Promise<void>;
  get(id: string): Promise<DisclosureRequest | null>;
  /**
   * Decides a pending request once, as `by`, who is not its requester: throws disclosure.not-found,
   * disclosure.own-request or disclosure.not-pending (decided already, by this call's twin or anyone).
   */
  decide(id: string, decision: 'approved' | 'refused', by: ActingPerson, at: number, note: string, check?: ApprovalCheck): Promise<DisclosureRequest>;
  /** Takes the build of an approved request for job `jobId`; false when it is not approved or already taken. */
  claimBuild(id: string, node: string | null, jobId: string): Promise<boolean>;
  /** How a claimed build ended (once). */
  ended(id: string, outcome: BuildOutcome): Promise<void>;
  /** Approved requests made on `node` (any, on one machine) that nobody has claimed to build. */
  approvedToBuild(node: string | null): Promise<DisclosureRequest[]>;
  /**
   * Builds `node` claimed that never ended: no job survives a restart, and an approval is spent once,
   * so they fail with the reason (the requester asks again). How many.
   */
  failInterrupted(node: string | null): Promise<number>;
  /** Pending requests and those decided in the last week, newest first; `requesterId` narrows to one person's. */
  list(now: number, requesterId?: string): Promise<DisclosureRequest[]>;
}

/** Decided requests stay in the queue view this long. */
export const RECENT_MS = 7 * 86_400_000;

export const INTERRUPTED = 'Watchroom stopped while the package was being built, so nothing was kept. Ask for the disclosure again.';

/** What was asked, as one hash: the ledger's request and approval entries, the directory's decision row and the manifest carry it. */
export const requestSha256 = (r: Pick<DisclosureRequest, 'export' | 'legalBasis'>) => createHash('sha256').update(canonicalJson({ export: r.export, legalBasis: r.legalBasis })).digest('hex');

export const notFound = () => new WatchroomError('disclosure.not-found', 'There is no disclosure request with that id.');
export const ownRequest = () => new WatchroomError('disclosure.own-request', 'You made this request, so someone else must approve or refuse it: a disclosure needs a second person.');
export const notPending = (state: DisclosureRequest['state'] | null) =>
  new WatchroomError(
    'disclosure.not-pending',
    state === null || state === 'pending' ? 'This request was decided a moment ago by someone else; it cannot be decided again.' : `This request was already ${state === 'refused' ? 'refused' : 'approved'}; it cannot be decided again.`,
  );

/** The rules every decision meets before it is written, whichever directory keeps it. */
export function requireDecidable(request: DisclosureRequest | null, by: ActingPerson): DisclosureRequest {
  if (!request) throw notFound();
  if (request.requestedBy.id === by.id) throw ownRequest();
  if (request.state !== 'pending') throw notPending(request.state);
  return request;
}
