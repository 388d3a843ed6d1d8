/**
 * Builds approved disclosures on the workstation they were asked on (where the package is handed
 * over), as their requester, exactly as asked. Whoever approves, on whichever workstation: the
 * approval reaches the requester's workstation as the directory's notice, and the build is claimed
 * in the directory first, so one approval makes one package however many notices, restarts or
 * workstations see it.
 */
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { DisclosureRequest } from '../../../shared/disclosures.js';
import type { ExportJob } from '../../../shared/evidence.js';
import { WatchroomError } from '../../../shared/errors.js';
import { can, ROLE_NAMES, type Role } from '../../../shared/roles.js';
import { coalesced } from '../coalesced.js';
import type { DisclosureApproval } from '../evidence/evidence-export.js';
import type { DisclosureExports } from '../evidence/evidence-service.js';
import type { Logger } from '../logger.js';
import { requestSha256, type DisclosureRepository, type RequesterNow } from './disclosure-repository.js';

/** Watchroom's own calls (tests, tools) act as the system, which has no account. */
export const SYSTEM_ID = 'system';

/**
 * The requester may still export, and unmasked if they asked for that: approval does not lend footage
 * to someone whose account was disabled or whose role lost the permission since. Their role now.
 */
export function requireStillAllowed(request: DisclosureRequest, now: RequesterNow): Role {
  const { requestedBy: requester } = request;
  if (requester.id === SYSTEM_ID) return requester.role;
  const exports = !!now && !now.disabled && can(now.role, 'evidence.export');
  if (exports && (!request.export.unmasked || can(now.role, 'evidence.export-unmasked'))) return now.role;
  const why = !now || now.disabled ? 'their account is disabled' : `their role is now ${ROLE_NAMES[now.role]}`;
  const what = exports ? 'unmasked footage' : 'footage';
  throw new WatchroomError('disclosure.requester-cannot-export', `${requester.displayName} may no longer export ${what} (${why}), so this request cannot be approved; refuse it instead.`);
}

/** What the manifest, the ledger and README.txt say of an approved request. */
function approvalOf(request: DisclosureRequest): DisclosureApproval {
  return {
    requestId: request.id,
    requestSha256: requestSha256(request),
    requestedBy: request.requestedBy,
    requestedAtUtc: new Date(request.requestedAt).toISOString(),
    approvedBy: request.decidedBy!,
    approvedAtUtc: new Date(request.decidedAt!).toISOString(),
    note: request.note ?? '',
    legalBasis: request.legalBasis,
  };
}

export interface DisclosureBuilderDeps {
  repository: DisclosureRepository;
  /** This workstation in the site (null: one machine, which builds every approved request). */
  node: string | null;
  exports: DisclosureExports;
  /** An account as this workstation knows it now. */
  requester(id: string): RequesterNow;
  logger: Logger;
  /** False once the core is closing: builds cancelled then stay claimed, and the next start fails them with the reason. */
  isOpen(): boolean;
}

export interface DisclosureBuilder {
  /** Claims and starts the build of an approved request; the job's id, or null when another builder has it or it failed at once (the request says why). */
  build(request: DisclosureRequest): Promise<string | null>;
  /** Builds every approved request of this workstation that nobody has claimed (at start and on the directory's notice). */
  buildApproved(): Promise<void>;
}

export function disclosureBuilder(deps: DisclosureBuilderDeps): DisclosureBuilder {
  const { repository } = deps;
  const ended = (id: string, outcome: Parameters<DisclosureRepository['ended']>[1]) =>
    repository.ended(id, outcome).catch((error: Error) => deps.logger.log('error', 'disclosures: cannot record how a build ended', { request: id, error: error.message }));
  // One build per request in this process, from its claim until its job ends: the approval's own call
  // and the directory's notice of that approval meet here, and both get the one job's id.
  const builds = new Map<string, Promise<string | null>>();
  const onEnd = (id: string) => (job: ExportJob) => {
    builds.delete(id);
    if (!deps.isOpen()) return;
    void ended(id, job.state === 'done' && job.packagePath ? { state: 'built', packageName: basename(job.packagePath) } : { state: 'failed', failure: job.error?.message ?? 'The export was cancelled.' });
  };
  const claimAndStart = async (request: DisclosureRequest) => {
    const jobId = randomUUID();
    if (!(await repository.claimBuild(request.id, deps.node, jobId))) return null;
    // Checked again as the build starts: the requester may have been disabled, or the footage gone, since the approval.
    try {
      const role = requireStillAllowed(request, deps.requester(request.requestedBy.id));
      await deps.exports.check(request.export, { role });
      return deps.exports.start(request.export, approvalOf(request), onEnd(request.id), jobId).id;
    } catch (error) {
      await ended(request.id, { state: 'failed', failure: error instanceof Error ? error.message : String(error) });
      return null;
    }
  };
  const build = (request: DisclosureRequest) => {
    let started = builds.get(request.id);
    if (!started) {
      started = claimAndStart(request).then((jobId) => (jobId === null && builds.delete(request.id), jobId));
      builds.set(request.id, started);
    }
    return started;
  };
  const buildApproved = coalesced(async () => {
    for (const request of await repository.approvedToBuild(deps.node)) await build(request);
  });
  return { build, buildApproved };
}
