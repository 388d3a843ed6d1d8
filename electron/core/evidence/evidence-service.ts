/**
 * Evidence as the API offers it: the signing key, exports with progress, the packages made here,
 * verification, and trusted keys. Every export, verification and trust change enters the ledger.
 * Verifications run by the watchroom-verify CLI against this data folder arrive through an inbox
 * folder and are entered too, so the ledger has one writer.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { ExportJob, ExportRequest, VerificationReport } from '../../../shared/evidence.js';
import type { Role } from '../../../shared/roles.js';
import { checkExportRequest, type DisclosureApproval, type ExportContext } from './evidence-export.js';
import { localExportSources, type ExportSources } from './export-sources.js';
import { WatchroomError } from '../../../shared/errors.js';
import type { Handlers } from '../api/handlers.js';
import type { MediaRoute } from '../feature-module.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { Logger } from '../logger.js';
import type { SegmentIndex } from '../recording/segment-index.js';
import { ExportJobs } from './export-jobs.js';
import { MANIFEST } from './package-files.js';
import { verifyPackage, whyNotAPackage } from './package-verifier.js';
import type { SiteAnchors } from './recorder-custody-check.js';
import type { SigningKey } from './signing-key.js';
import { keysDir } from './workstation-key.js';
import { importTrustedKey, trustedFingerprints, trustedKeys } from './trusted-keys.js';
import { receivedDir, receiveFile, removeOldUploads } from './received-packages.js';
import { recorderWithheldStore } from './recorder-withheld.js';
import { localWithheldStore } from './withheld-store.js';
import type { KeptMasters } from '../recorders/kept-masters.js';
import type { SiteMasters } from '../recorders/site-masters.js';
import type { Readable } from 'node:stream';
import { sha256File } from '../recording/file-hash.js';
import { packageDownloadRoute } from './package-download.js';
import { can, ROLE_NAMES } from '../../../shared/roles.js';
import { evidenceStoreDir, type AppliedMasks } from './withheld-masters.js';

export interface EvidenceDeps {
  dataDir: string;
  exportsDir: string;
  recordingsRoot: string;
  index: SegmentIndex;
  ledger: AuditLedger;
  trustedLedgerOffset: (offset: number) => boolean;
  logger: Logger;
  signingKey: () => SigningKey;
  appVersion: string;
  camera(id: string): { id: string; name: string; url: string };
  onExport(job: ExportJob): void;
  /** Largest file accepted into <data>/received/ (default MAX_RECEIVED_FILE_BYTES). */
  maxReceivedFileBytes?: number;
  /**
   * A site's workstation: its exports' footage comes from the site's recorders, who vouch for it; a
   * package they vouched for is verified against the directory's copies of their checkpoints.
   */
  site?: { nodeId: string; sources: ExportSources; anchors: SiteAnchors; masters: SiteMasters };
  /** A recorder: the masters workstations withheld from their exports and handed to it (pending ones swept hourly). */
  keptMasters?: KeptMasters;
  // Privacy masks (issue 12, point 1)
  /** A camera's current privacy masks (null: none), burned into what its exports carry. */
  masks(cameraId: string): Promise<AppliedMasks | null>;
}


export { keysDir };
export const auditInboxDir = (dataDir: string) => join(dataDir, 'audit-inbox');

/** A verification the CLI leaves for the app to enter in the ledger. */
export const inboxRecordSchema = z.object({
  actor: z.string().min(1).max(200),
  action: z.literal('evidence.verify'),
  subject: z.string().max(500),
  details: z.record(z.string(), z.unknown()),
});

/** Ledger details of a verification: the result, the case and the hashes it rests on. */
export async function verificationDetails(report: VerificationReport, via: 'app' | 'cli'): Promise<Record<string, unknown>> {
  const sums = join(report.packagePath, 'SHA256SUMS');
  return {
    via,
    package: report.packagePath,
    caseReference: report.caseReference,
    ok: report.ok,
    outcome: report.outcome,
    failures: report.failures.map((f) => f.code),
    signer: report.signer.fingerprint,
    signerTrusted: report.signer.trusted,
    // A site package's recorders; a one-machine package's entry stays as it was.
    ...(report.custodySigners.length > 0 ? { custodySigners: report.custodySigners } : {}),
    // What was checked, when it can be read as a file at all.
    sha256sumsSha256: await sha256File(sums).catch(() => null),
  };
}

/**
 * Unmasked masters an export that did not end (the process stopped) left in the work folder, on their
 * way to a recorder: removed at start, before any export can run, and ledgered, as a site's
 * workstation keeps no footage.
 */
function removeExportWork(deps: Pick<EvidenceDeps, 'dataDir' | 'ledger'>): void {
  const work = join(deps.dataDir, 'export-work');
  if (!existsSync(work)) return;
  for (const packageId of readdirSync(work)) {
    const files = statSync(join(work, packageId)).isDirectory() ? readdirSync(join(work, packageId), { recursive: true }).map(String).filter((f) => f.endsWith('.mp4')) : [];
    rmSync(join(work, packageId), { recursive: true, force: true });
    deps.ledger.append('system', 'evidence.master-discarded', packageId, { packageId, files, why: 'left in the work folder by an export that did not end' });
  }
}

/**
 * Half-built packages a crash left (`.partial-*`): removed when the service starts, before any export
 * can, as one process owns the data folder.
 */
function removePartialExports(exportsDir: string): number {
  if (!existsSync(exportsDir)) return 0;
  const partial = readdirSync(exportsDir).filter((name) => name.startsWith('.partial-'));
  for (const name of partial) rmSync(join(exportsDir, name), { recursive: true, force: true });
  return partial.length;
}


export function createEvidenceService(deps: EvidenceDeps) {
  const partial = removePartialExports(deps.exportsDir);
  if (partial > 0) deps.logger.log('warn', 'evidence.partial-removed', { folders: partial });
  removeExportWork(deps);
  const jobs = new ExportJobs(deps.onExport);
  // One machine: exports read this workstation's own recordings. A site's workstation has none.
  const sources = deps.site?.sources ?? localExportSources(deps);
  const folders = verifiableFolders(deps);

  ingestInbox(deps);
  const inboxTimer = setInterval(() => ingestInbox(deps), 5_000);
  let uploadsCleared: Promise<unknown> = Promise.resolve();
  const clearUploads = () => {
    uploadsCleared = removeOldUploads(deps.dataDir).catch((error: unknown) => deps.logger.log('warn', 'evidence.upload-cleanup-failed', { error: String(error) }));
    try {
      deps.keptMasters?.sweep();
    } catch (error) {
      deps.logger.log('warn', 'evidence: cannot sweep pending masters', { error: String(error) });
    }
  };
  clearUploads();
  const uploadsTimer = setInterval(clearUploads, 3_600_000);

  return {
    /** For a shell: a folder the user picked in its own dialog may be verified where it lies. */
    grantPackageFolder: folders.grant,
    /** One file of a package the browser shell was given, copied into `<data>/received/<uploadId>/`. */
    receivePackageFile: (upload: { uploadId: string; relativePath: string; body: Readable; declaredBytes?: number }) => receiveFile(deps.dataDir, upload, deps.maxReceivedFileBytes),
    async dispose() {
      clearInterval(inboxTimer);
      clearInterval(uploadsTimer);
      await jobs.close();
      await uploadsCleared;
    },
    handlers: { ...exportHandlers(deps, sources, jobs), ...packageHandlers(deps, folders), ...keyHandlers(deps) } satisfies Partial<Handlers>,
    /** Four-eyes disclosure builds approved requests through the same jobs. */
    disclosures: disclosureExports(deps, sources, jobs),
    /** A package made here as a zip, for the browser shell to download. */
    mediaRoutes: [packageDownloadRoute(deps)] satisfies MediaRoute[],
  };
}

const realOrResolved = (path: string) => {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
};

/**
 * The app verifies its own exports, packages copied in for checking, and folders the user chose in
 * a shell's dialog: never any path a caller names, or verification would list /etc/ssh or walk /.
 */
function verifiableFolders(deps: Pick<EvidenceDeps, 'exportsDir' | 'dataDir'>) {
  /** Folders a shell's own file dialog handed over (the user chose them there, not the renderer). */
  const granted = new Set<string>();
  return {
    grant: (path: string) => void granted.add(realOrResolved(path)),
    /** The folder as the person knows it: a copy the browser shell received goes by its own name. */
    shown: (real: string, asked: string) => (real.startsWith(realOrResolved(receivedDir(deps.dataDir)) + sep) ? basename(real) : asked),
    /** The real path of a folder that may be verified; evidence.path-not-allowed for any other. */
    check(path: string): string {
      const real = realOrResolved(path);
      const within = (dir: string) => {
        const root = realOrResolved(dir);
        return real === root || real.startsWith(root + sep);
      };
      if (within(deps.exportsDir) || within(receivedDir(deps.dataDir)) || [...granted].some(within)) return real;
      throw new WatchroomError('evidence.path-not-allowed', 'Watchroom checks packages in its exports folder and packages you hand it (drop a folder or use Choose folder…). For a package anywhere else, run watchroom-verify on the command line.');
    },
  };
}

/** Enters CLI verifications left in the inbox; a malformed file is logged and set aside. */
function ingestInbox(deps: Pick<EvidenceDeps, 'dataDir' | 'ledger' | 'logger'>): void {
  const dir = auditInboxDir(deps.dataDir);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const file = join(dir, name);
    try {
      const record = inboxRecordSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
      // The CLI runs as an operating-system user, not a signed-in person: the entry says which.
      deps.ledger.append('system', record.action, record.subject, { ...record.details, osUser: record.actor });
      rmSync(file);
    } catch (error) {
      deps.logger.log('error', 'audit.inbox-rejected', { file: name, error: String(error) });
      writeFileSync(`${file}.rejected`, readFileSync(file));
      rmSync(file);
    }
  }
}

/** The packages in the exports folder, newest first. */
function listPackages(exportsDir: string) {
  if (!existsSync(exportsDir)) return [];
  return readdirSync(exportsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => {
      const path = join(exportsDir, d.name);
      let manifest: { caseReference?: string; exportedAtUtc?: string } = {};
      try {
        manifest = JSON.parse(readFileSync(join(path, MANIFEST), 'utf8'));
      } catch {
        // Listed anyway: verification will say what is wrong with it.
      }
      return { name: d.name, path, caseReference: manifest.caseReference ?? null, exportedAt: manifest.exportedAtUtc ?? null };
    })
    .sort((a, b) => (b.exportedAt ?? '').localeCompare(a.exportedAt ?? ''));
}

/** A disclosure the ledger cannot record does not happen: refused while the ledger cannot be written. */
export function requireWritableLedger(ledger: AuditLedger): void {
  const status = ledger.status();
  if (status.state !== 'ok') throw new WatchroomError('export.audit-unavailable', `Exports wait until the audit ledger can be written again (${status.problem}); ${status.queued} entries are waiting for it.`);
}

/** Where exports come from: `sources`, and this workstation's ledger and key, exported as `person`. */
function exportContext(deps: EvidenceDeps, sources: ExportSources, person: { name: string; role: Role }, disclosure?: DisclosureApproval): ExportContext {
  return { sources, ledger: deps.ledger, key: deps.signingKey(), exportsDir: deps.exportsDir, appVersion: deps.appVersion, camera: deps.camera, user: person.name, role: person.role, ...(deps.site ? { nodeId: deps.site.nodeId } : {}), privacy: { masks: deps.masks, withheld: withheldStoreOf(deps) }, ...(disclosure ? { disclosure } : {}) };
}

/**
 * Where an export's withheld masters go: this workstation's evidence store; on a site, the recorder
 * that recorded each clip (a site's workstation keeps no footage), by way of a private work folder.
 */
const withheldStoreOf = (deps: EvidenceDeps) => (packageId: string, signal: AbortSignal) =>
  deps.site ? recorderWithheldStore(deps.site.masters, join(deps.dataDir, 'export-work'), packageId, signal) : localWithheldStore(evidenceStoreDir(deps.dataDir), packageId);

/** An unmasked master leaves only with the permission for it, asked for in so many words. */
function checkMasters(person: { role: Role }, request: ExportRequest): void {
  if (request.unmasked && !can(person.role, 'evidence.export-unmasked')) {
    throw new WatchroomError('auth.forbidden', `Your role (${ROLE_NAMES[person.role]}) does not allow exporting unmasked footage.`, undefined, 'evidence.export-unmasked');
  }
}

/** For four-eyes disclosure: the request checked as an export would be, and an approved one built as its requester. */
function disclosureExports(deps: EvidenceDeps, sources: ExportSources, jobs: ExportJobs) {
  return {
    check: async (request: ExportRequest, person: { role: Role }) => (checkMasters(person, request), await checkExportRequest({ camera: deps.camera, sources }, request)),
    /** After `check`: the build itself checks again, and fails the job if the footage went meanwhile. */
    start(request: ExportRequest, disclosure: DisclosureApproval, onEnd: (job: ExportJob) => void, id: string): ExportJob {
      requireWritableLedger(deps.ledger);
      return jobs.start(exportContext(deps, sources, disclosure.requestedBy, disclosure), request, onEnd, id);
    },
  };
}
export type DisclosureExports = ReturnType<typeof disclosureExports>;

function exportHandlers(deps: EvidenceDeps, sources: ExportSources, jobs: ExportJobs) {
  return {
    startExport: async (request, ctx) => {
      // Footage for someone outside the organisation needs a second person: it goes through requestDisclosure.
      if (request.recipient !== null) throw new WatchroomError('disclosure.needs-approval', 'Footage for someone outside the organisation needs a second person’s approval: send it as a disclosure request.');
      requireWritableLedger(deps.ledger);
      const person = ctx.person ?? { name: 'system', role: 'admin' as const };
      checkMasters(person, request);
      const exporting = exportContext(deps, sources, person);
      // Checked here, so a request that cannot give a package is refused to the caller, not failed as a job.
      await checkExportRequest({ camera: deps.camera, sources }, request);
      const job = jobs.start(exporting, request);
      ctx.record(request.caseReference, { jobId: job.id, cameras: request.cameraIds, fromMs: request.fromMs, toMs: request.toMs, reason: request.reason, recipient: request.recipient, workingCopy: request.workingCopy, ...(request.unmasked ? { unmasked: request.unmasked } : {}) });
      return job;
    },
    getExport: async ({ id }) => jobs.get(id),
    cancelExport: async ({ id }, ctx) => {
      const job = jobs.cancel(id);
      ctx.record(job.caseReference, { jobId: id });
      return job;
    },
  } satisfies Partial<Handlers>;
}

function packageHandlers(deps: EvidenceDeps, folders: ReturnType<typeof verifiableFolders>) {
  return {
    listPackages: async () => listPackages(deps.exportsDir),
    verifyPackage: async ({ path }, ctx) => {
      deps.signingKey();
      const folder = folders.check(path);
      // Nothing to verify, so nothing for the ledger: a sentence, as for any other wrong choice.
      const notPackage = await whyNotAPackage(folder, folders.shown(folder, path));
      if (notPackage) throw new WatchroomError('evidence.not-a-package', notPackage);
      const report = await verifyPackage(folder, trustedFingerprints(keysDir(deps.dataDir)), deps.site?.anchors);
      ctx.record(report.caseReference ?? path, await verificationDetails(report, 'app'));
      return report;
    },
  } satisfies Partial<Handlers>;
}

function keyHandlers(deps: EvidenceDeps) {
  return {
    getSigningKey: async () => {
      const { fingerprint, publicKeyPem } = deps.signingKey();
      return { fingerprint, publicKeyPem };
    },
    importTrustedKey: async ({ pem }, ctx) => {
      const fingerprint = importTrustedKey(keysDir(deps.dataDir), pem);
      ctx.record(fingerprint, { fingerprint });
      return { fingerprint };
    },
    listTrustedKeys: async () => {
      const own = deps.signingKey().fingerprint;
      const others = trustedKeys(keysDir(deps.dataDir)).filter((k) => k.fingerprint !== own);
      const unique = [...new Map(others.map((k) => [k.fingerprint, k])).values()].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
      return [{ fingerprint: own, own: true }, ...unique.map(({ fingerprint, source }) => ({ fingerprint, own: false, ...(typeof source === 'object' ? source : {}) }))];
    },
  } satisfies Partial<Handlers>;
}

/** For the CLI: leaves a verification record for the app to enter in the ledger. */
export function leaveInInbox(dataDir: string, record: z.infer<typeof inboxRecordSchema>): void {
  const dir = auditInboxDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, `${Date.now()}-${randomUUID()}.json`), JSON.stringify(record), { mode: 0o600 });
}
