/**
 * Four-eyes disclosure (issue 12, point 2): an export for someone outside the organisation is a
 * request until a second person who may approve, and is not the requester, approves it (then it is
 * built, exactly as asked, as its requester with the approval attached) or refuses it with a
 * reason (then nothing is built). The register (point 3) is read from the ledger alone.
 */
import { createHash, randomUUID } from 'node:crypto';
import { basename, join } from 'node:path';
import type { DisclosureRequest } from '../../../shared/disclosures.js';
import type { ExportJob } from '../../../shared/evidence.js';
import { WatchroomError } from '../../../shared/errors.js';
import { can, ROLE_NAMES, type Role } from '../../../shared/roles.js';
import type { CallContext, Handlers } from '../api/handlers.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import { canonicalJson } from '../canonical-json.js';
import type { DisclosureApproval } from '../evidence/evidence-export.js';
import { requireWritableLedger, type DisclosureExports } from '../evidence/evidence-service.js';
import type { FeatureModule } from '../feature-module.js';
import { DisclosureStore } from './disclosure-store.js';
import { disclosureRegister } from './disclosure-register.js';
import { disclosuresCsv } from './register-csv.js';

export interface DisclosureDeps {
  dataDir: string;
  ledger: AuditLedger;
  exports: DisclosureExports;
  /** An account as it is now: a requester disabled or no longer allowed to export since asking gets nothing out. */
  person(id: string): { disabled: boolean; role: Role } | null;
  onChange(): void;
}

type Person = DisclosureRequest['requestedBy'];
/** Watchroom's own calls (tests, tools) act as the system, which is nobody's second pair of eyes but its own. */
const SYSTEM_PERSON: Person = { id: 'system', name: 'system', displayName: 'Watchroom', role: 'admin' };
const personOf = (ctx: CallContext): Person => (ctx.person ? { id: ctx.person.id, name: ctx.person.name, displayName: ctx.person.displayName, role: ctx.person.role } : SYSTEM_PERSON);

/** What was asked, as one hash: the ledger's request and approval entries and the manifest carry it. */
const requestSha256 = (r: Pick<DisclosureRequest, 'export' | 'legalBasis'>) => createHash('sha256').update(canonicalJson({ export: r.export, legalBasis: r.legalBasis })).digest('hex');

/** What every disclosure entry of the ledger says, so each one reads alone. */
const entryDetails = (r: DisclosureRequest) => ({
  requestId: r.id,
  caseReference: r.export.caseReference,
  recipient: r.export.recipient,
  legalBasis: r.legalBasis,
  requestSha256: requestSha256(r),
});

export function createDisclosureModule(deps: DisclosureDeps): FeatureModule {
  const store = new DisclosureStore(join(deps.dataDir, 'disclosures.db'));
  store.failInterrupted();
  // Closing cancels running builds after this module has closed its store (modules close in reverse):
  // a build ending then leaves its request approved, and the next start fails it with the reason.
  let open = true;
  const handlers = { ...requestHandlers(store, deps), ...decisionHandlers(store, deps, () => open), ...registerHandlers(deps) } satisfies Partial<Handlers>;
  return { handlers, dispose: () => ((open = false), store.close()) };
}

function requestHandlers(store: DisclosureStore, deps: DisclosureDeps) {
  return {
    requestDisclosure: async (input, ctx) => {
      requireWritableLedger(deps.ledger);
      deps.exports.check(input.export, personOf(ctx));
      const request: DisclosureRequest = { id: randomUUID(), requestedBy: personOf(ctx), requestedAt: Date.now(), export: input.export, legalBasis: input.legalBasis, state: 'pending', decidedBy: null, decidedAt: null, note: null, jobId: null, packageName: null, failure: null };
      store.insert(request);
      const { export: e } = request;
      ctx.record(e.caseReference, { ...entryDetails(request), reason: e.reason, cameras: e.cameraIds, fromMs: e.fromMs, toMs: e.toMs, workingCopy: e.workingCopy });
      deps.onChange();
      return request;
    },
    listDisclosureRequests: async (_arg, ctx) => store.list(Date.now(), ctx.person && !can(ctx.person.role, 'disclosure.approve') ? ctx.person.id : undefined),
  } satisfies Partial<Handlers>;
}

/** The request, if `person` may decide it now: it exists, is not theirs, and is still pending. */
function decidable(store: DisclosureStore, id: string, person: Person): DisclosureRequest {
  const request = store.get(id);
  if (!request) throw new WatchroomError('disclosure.not-found', 'There is no disclosure request with that id.');
  if (request.requestedBy.id === person.id) throw new WatchroomError('disclosure.own-request', 'You made this request, so someone else must approve or refuse it: a disclosure needs a second person.');
  if (request.state !== 'pending') throw new WatchroomError('disclosure.not-pending', `This request was already ${request.state === 'refused' ? 'refused' : 'approved'}; it cannot be decided again.`);
  return request;
}

/**
 * The requester may still export, and unmasked if they asked for that: approval does not lend footage
 * to someone whose account was disabled or whose role lost the permission since. Their role now.
 */
function requireStillAllowed(deps: DisclosureDeps, request: DisclosureRequest): Role {
  const { requestedBy: requester } = request;
  if (requester.id === SYSTEM_PERSON.id) return requester.role;
  const now = deps.person(requester.id);
  const exports = !!now && !now.disabled && can(now.role, 'evidence.export');
  if (exports && (!request.export.unmasked || can(now.role, 'evidence.export-unmasked'))) return now.role;
  const why = !now || now.disabled ? 'their account is disabled' : `their role is now ${ROLE_NAMES[now.role]}`;
  const what = exports ? 'unmasked footage' : 'footage';
  throw new WatchroomError('disclosure.requester-cannot-export', `${requester.displayName} may no longer export ${what} (${why}), so this request cannot be approved; refuse it instead.`);
}

const decidedMeanwhile = () => new WatchroomError('disclosure.not-pending', 'This request was decided a moment ago by someone else; it cannot be decided again.');

function decisionHandlers(store: DisclosureStore, deps: DisclosureDeps, isOpen: () => boolean) {
  const onBuilt = (id: string) => (job: ExportJob) => {
    if (!isOpen()) return;
    if (job.state === 'done' && job.packagePath) store.ended(id, { state: 'built', packageName: basename(job.packagePath) });
    else store.ended(id, { state: 'failed', failure: job.error?.message ?? 'The export was cancelled.' });
    deps.onChange();
  };
  return {
    approveDisclosure: async ({ id, note }, ctx) => {
      const approver = personOf(ctx);
      const request = decidable(store, id, approver);
      const role = requireStillAllowed(deps, request);
      requireWritableLedger(deps.ledger);
      deps.exports.check(request.export, { role }); // footage retention removed since the request: nothing approved, nothing built
      const at = Date.now();
      if (!store.decide(id, 'approved', approver, at, note)) throw decidedMeanwhile();
      const approval: DisclosureApproval = {
        requestId: id,
        requestSha256: requestSha256(request),
        requestedBy: request.requestedBy,
        requestedAtUtc: new Date(request.requestedAt).toISOString(),
        approvedBy: approver,
        approvedAtUtc: new Date(at).toISOString(),
        note,
        legalBasis: request.legalBasis,
      };
      // Built from the stored request, never from anything this call carries. The decision stands
      // (and is recorded) even if the build cannot start; the request then says why.
      let jobId: string | null = null;
      try {
        jobId = deps.exports.start(request.export, approval, onBuilt(id)).id;
        store.building(id, jobId);
      } catch (error) {
        store.ended(id, { state: 'failed', failure: error instanceof Error ? error.message : String(error) });
      }
      ctx.record(request.export.caseReference, { ...entryDetails(request), note, requestedBy: request.requestedBy.name, jobId });
      deps.onChange();
      return store.get(id)!;
    },
    refuseDisclosure: async ({ id, reason }, ctx) => {
      const person = personOf(ctx);
      const request = decidable(store, id, person);
      if (!store.decide(id, 'refused', person, Date.now(), reason)) throw decidedMeanwhile();
      ctx.record(request.export.caseReference, { ...entryDetails(request), reason, requestedBy: request.requestedBy.name });
      deps.onChange();
      return store.get(id)!;
    },
  } satisfies Partial<Handlers>;
}

function registerHandlers(deps: DisclosureDeps) {
  return {
    listDisclosures: async (query) => disclosureRegister(deps.ledger.entries(), query),
    disclosuresCsv: async (query, ctx) => {
      const rows = await disclosureRegister(deps.ledger.entries(), query);
      ctx.record('disclosure register', { query, rows: rows.length, exportSeqs: rows.map((r) => r.exportSeq) });
      return disclosuresCsv(rows);
    },
  } satisfies Partial<Handlers>;
}
