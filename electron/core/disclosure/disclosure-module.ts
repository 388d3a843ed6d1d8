/**
 * Four-eyes disclosure (issue 12, point 2): an export for someone outside the organisation is a
 * request until a second person who may approve, and is not the requester, approves it (then it is
 * built, exactly as asked, as its requester with the approval attached, on the workstation it was
 * asked on) or refuses it with a reason (then nothing is built). Requests live in the directory, so a
 * site's people decide them from any workstation. The register (point 3) is read from ledger entries
 * alone: this workstation's, or on a site every workstation's, copied into the directory.
 */
import { randomUUID } from 'node:crypto';
import type { DisclosureRequest } from '../../../shared/disclosures.js';
import { can } from '../../../shared/roles.js';
import type { CallContext, Handlers } from '../api/handlers.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { Directory } from '../directory/directory.js';
import { requireWritableLedger, type DisclosureExports } from '../evidence/evidence-service.js';
import type { FeatureModule } from '../feature-module.js';
import type { Logger } from '../logger.js';
import { disclosureBuilder, requireStillAllowed, SYSTEM_ID, type DisclosureBuilder } from './disclosure-builder.js';
import { requestSha256, requireDecidable, type ActingPerson, type DisclosureRepository, type RequesterNow } from './disclosure-repository.js';
import { disclosureRegister, type RegisterEntry } from './disclosure-register.js';
import { copiedEntries, copyRegisterEntries, type EntryCopyTable } from './register-copies.js';
import { disclosuresCsv } from './register-csv.js';

export interface DisclosureDeps {
  directory: Directory;
  /** This workstation in the site, where what is asked here is built (null: one machine). */
  node: string | null;
  /** A site's copies of every workstation's register entries: this one's are copied there, and the register is read from them. */
  copies?: EntryCopyTable;
  ledger: AuditLedger;
  exports: DisclosureExports;
  logger: Logger;
  /** An account as this workstation knows it now: a requester disabled or no longer allowed to export since asking gets nothing out. */
  person(id: string): RequesterNow;
  onChange(): void;
}

/** Watchroom's own calls (tests, tools) act as the system, which is nobody's second pair of eyes but its own. */
const SYSTEM_PERSON: ActingPerson = { id: SYSTEM_ID, name: 'system', displayName: 'Watchroom', role: 'admin' };
const personOf = (ctx: CallContext): ActingPerson => (ctx.person ? { id: ctx.person.id, name: ctx.person.name, displayName: ctx.person.displayName, role: ctx.person.role } : SYSTEM_PERSON);

/** What every disclosure entry of the ledger says, so each one reads alone. */
const entryDetails = (r: DisclosureRequest) => ({
  requestId: r.id,
  caseReference: r.export.caseReference,
  recipient: r.export.recipient,
  legalBasis: r.legalBasis,
  requestSha256: requestSha256(r),
});

export function createDisclosureModule(deps: DisclosureDeps): FeatureModule {
  const repository = deps.directory.disclosures;
  // Closing cancels running builds after this module has closed (modules close in reverse): a build
  // ending then stays claimed, and the next start fails it with the reason.
  let open = true;
  const builder = disclosureBuilder({ repository, node: deps.node, exports: deps.exports, requester: deps.person, logger: deps.logger, isOpen: () => open });
  const failed = (error: Error) => deps.logger.log('error', 'disclosures: cannot build approved requests', { error: error.message });
  // Approvals made while this workstation was away, then each one another workstation makes.
  void deps.directory.ready
    .then(() => repository.failInterrupted(deps.node))
    .then(() => builder.buildApproved())
    .catch(failed);
  const stopListening = deps.directory.onChange('disclosures', () => {
    deps.onChange();
    void builder.buildApproved().catch(failed);
  });
  const { copies } = deps;
  const stopCopying = copies && deps.node ? copyRegisterEntries({ ledger: deps.ledger, table: copies, node: deps.node, logger: deps.logger }) : () => undefined;
  const entries = (): AsyncIterable<RegisterEntry> => (copies ? copiedEntries(copies, deps.logger) : deps.ledger.entries());
  const handlers = { ...requestHandlers(repository, deps), ...decisionHandlers(repository, builder, deps), ...registerHandlers(entries) } satisfies Partial<Handlers>;
  return { handlers, dispose: () => ((open = false), stopListening(), stopCopying()) };
}

function requestHandlers(repository: DisclosureRepository, deps: DisclosureDeps) {
  return {
    requestDisclosure: async (input, ctx) => {
      requireWritableLedger(deps.ledger);
      await deps.exports.check(input.export, personOf(ctx));
      const request: DisclosureRequest = { id: randomUUID(), requestedBy: personOf(ctx), requestedAt: Date.now(), requestedOn: deps.node, export: input.export, legalBasis: input.legalBasis, state: 'pending', decidedBy: null, decidedAt: null, note: null, jobId: null, packageName: null, failure: null };
      await repository.insert(request);
      const { export: e } = request;
      ctx.record(e.caseReference, { ...entryDetails(request), reason: e.reason, cameras: e.cameraIds, fromMs: e.fromMs, toMs: e.toMs, workingCopy: e.workingCopy });
      return request;
    },
    listDisclosureRequests: async (_arg, ctx) => repository.list(Date.now(), ctx.person && !can(ctx.person.role, 'disclosure.approve') ? ctx.person.id : undefined),
  } satisfies Partial<Handlers>;
}

function decisionHandlers(repository: DisclosureRepository, builder: DisclosureBuilder, deps: DisclosureDeps) {
  return {
    approveDisclosure: async ({ id, note }, ctx) => {
      const approver = personOf(ctx);
      const request = requireDecidable(await repository.get(id), approver);
      // Checked first for a clear answer, then again in the directory's write against the account as it is then.
      const role = requireStillAllowed(request, deps.person(request.requestedBy.id));
      requireWritableLedger(deps.ledger);
      await deps.exports.check(request.export, { role }); // footage retention removed since the request: nothing approved, nothing built
      const approved = await repository.decide(id, 'approved', approver, Date.now(), note, (asked, now) => void requireStillAllowed(asked, now));
      // Built here when asked here; otherwise the requester's workstation hears of it and builds it there.
      // The decision stands (and is recorded) even if the build cannot start; the request then says why.
      const jobId = approved.requestedOn === deps.node ? await builder.build(approved) : null;
      ctx.record(request.export.caseReference, { ...entryDetails(request), note, requestedBy: request.requestedBy.name, jobId, ...(deps.node ? { buildsOn: approved.requestedOn } : {}) });
      return (await repository.get(id))!;
    },
    refuseDisclosure: async ({ id, reason }, ctx) => {
      const refused = await repository.decide(id, 'refused', personOf(ctx), Date.now(), reason);
      ctx.record(refused.export.caseReference, { ...entryDetails(refused), reason, requestedBy: refused.requestedBy.name });
      return refused;
    },
  } satisfies Partial<Handlers>;
}

function registerHandlers(entries: () => AsyncIterable<RegisterEntry>) {
  return {
    listDisclosures: async (query) => disclosureRegister(entries(), query),
    disclosuresCsv: async (query, ctx) => {
      const rows = await disclosureRegister(entries(), query);
      ctx.record('disclosure register', { query, rows: rows.length, exportSeqs: rows.map((r) => r.exportSeq) });
      return disclosuresCsv(rows);
    },
  } satisfies Partial<Handlers>;
}
