/**
 * Builds one evidence package (layout in ARCHITECTURE.md) in a hidden temporary folder beside the
 * exports, and renames it into place only when complete: a cancelled or failed export leaves nothing.
 *
 * The footage is proven as it is copied: every source segment must have its capture entry in the
 * ledger (its minute's `recording.minute`, whose root its inclusion path must lead to, or in older
 * ledgers its own `segment.closed`; a minute still open is sealed first: export-sources.ts), and the
 * bytes ffmpeg reads are hashed against it (verified-sources.ts); a difference stops the export with
 * export.footage-changed. No file of a package is ever written twice: media names carry the camera id
 * and millisecond times, and ffmpeg runs with -n.
 *
 * Order matters for the chain of custody: media first (export-footage.ts: masters by `-c copy`,
 * working copies derived from the masters), then the manifest, then the ledger entry for the export
 * (which names the manifest's hash), then the audit extract that includes that entry, then SHA256SUMS
 * over everything, then its signature. The hash of SHA256SUMS, which stands for the whole package, is
 * known only then, after the export entry the extract carries: a following `evidence.sealed` entry
 * records it once the package is in place (the disclosure register reads it from there).
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import type { ExportRequest } from '../../../shared/evidence.js';
import type { LegalBasis } from '../../../shared/disclosures.js';
import type { Role } from '../../../shared/roles.js';
import { WatchroomError } from '../../../shared/errors.js';
import type { AuditEntry } from '../../../shared/api.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import { canonicalJson } from '../canonical-json.js';
import { sha256File } from '../recording/file-hash.js';
import { explainGaps, planClips } from './clip-plan.js';
import { copyFootage, iso, type CameraPlan, type ManifestCamera, type ManifestFile, type Progress } from './export-footage.js';
import { segmentKey, type ExportRun, type ExportSources, type ProvenSegment, type SegmentCapture } from './export-sources.js';
import { ExportCancelled, isNoSpace } from './ffmpeg-job.js';
import { AUDIT_EXTRACT, MANIFEST, MANIFEST_FORMAT, MANIFEST_FORMAT_SITE, RECIPIENT_README, SIGNER_KEY, SUMS, SUMS_SIG, formatSums, recipientReadme, safeName, utcStamp } from './package-files.js';
import { recordersOfManifest, writeRecorderCustody, type RecorderCustody } from './recorder-custody-files.js';
import { FootageChangedError } from './verified-sources.js';
import type { AppliedMasks, WithheldMaster } from './withheld-masters.js';
import type { WithheldStore } from './withheld-store.js';
import type { SigningKey } from './signing-key.js';

/** What an export needs; its footage comes through `sources` (localExportSources on one machine). */
export type ExportContext = ExportSettings & { sources: ExportSources };

interface ExportSettings {
  /** Where this workstation's entries go: the export, its failure, its sealing. */
  ledger: AuditLedger;
  key: SigningKey;
  exportsDir: string;
  appVersion: string;
  /** A camera as the manifest may show it: the URL without credentials. */
  camera(id: string): { id: string; name: string; url: string };
  user: string;
  role: Role;
  /** This workstation's id in its site (absent: one machine). */
  nodeId?: string;
  /** A disclosure's four eyes (issue 12, point 2); absent for exports kept inside the organisation. */
  disclosure?: DisclosureApproval;
  // Privacy masks (issue 12, point 1)
  /** Both absent: no camera is masked (what a bench or a test of something else builds). */
  privacy?: {
    /** The camera's current privacy masks (null: none). */
    masks(cameraId: string): Promise<AppliedMasks | null>;
    /** Where one export's withheld masters go (this workstation's evidence store, or on a site the recorders'). */
    withheld(packageId: string, signal: AbortSignal): WithheldStore;
  };
}

/** Who asked for a disclosure, who approved it and on what basis: in the manifest, the ledger and README.txt. */
export interface DisclosureApproval {
  requestId: string;
  /** SHA-256 of the request's canonical JSON: what was approved is what is built. */
  requestSha256: string;
  requestedBy: { name: string; displayName: string; role: Role };
  requestedAtUtc: string;
  approvedBy: { name: string; displayName: string; role: Role };
  approvedAtUtc: string;
  note: string;
  legalBasis: LegalBasis;
}

export type { Progress };

/** One export under way: what was asked, by whom, and the hidden folder it is built in. */
interface PackageJob {
  ctx: ExportContext;
  sources: ExportSources;
  /** Where this export's withheld masters go; null when no camera can be masked (no privacy). */
  withheld: WithheldStore | null;
  req: ExportRequest;
  signal: AbortSignal;
  packageId: string;
  /** The package's folder name once complete. */
  name: string;
  exportedAt: number;
  temp: string;
}

/** Refuses a request that cannot give a package, before anything is written. */
export async function checkExportRequest(ctx: Pick<ExportSettings, 'camera'> & { sources: ExportSources }, req: ExportRequest): Promise<void> {
  checkRequestedRange(ctx, req);
  const found = await Promise.all(req.cameraIds.map((id) => ctx.sources.hasFootage(id, req.fromMs, req.toMs)));
  if (!found.includes(true)) throw noRecording();
}

function checkRequestedRange(ctx: Pick<ExportSettings, 'camera'>, req: ExportRequest): void {
  if (req.toMs <= req.fromMs) throw new WatchroomError('export.bad-range', 'The end of the range must come after its start.');
  if (req.fromMs > Date.now()) throw new WatchroomError('export.bad-range', 'The range starts in the future.');
  for (const id of req.cameraIds) ctx.camera(id); // throws camera.not-found
}

const noRecording = () => new WatchroomError('export.no-recording', 'Nothing was recorded on these cameras in that range.');


export async function buildPackage(ctx: ExportContext, req: ExportRequest, signal: AbortSignal, progress: Progress): Promise<string> {
  const { sources } = ctx;
  await checkExportRequest({ camera: ctx.camera, sources }, req);
  const exportedAt = Date.now();
  const packageId = randomUUID();
  mkdirSync(ctx.exportsDir, { recursive: true });
  const withheld = ctx.privacy?.withheld(packageId, signal) ?? null;
  const job: PackageJob = { ctx, sources, withheld, req, signal, packageId, exportedAt, name: `WR-${safeName(req.caseReference)}-${utcStamp(exportedAt)}`, temp: join(ctx.exportsDir, `.partial-${packageId}`) };
  try {
    return await build(job, progress);
  } catch (error) {
    throw await discard(job, error);
  }
}

/** The steps, in the order the chain of custody needs (see the top of this file). */
async function build(job: PackageJob, progress: Progress): Promise<string> {
  const { ctx, req, temp } = job;
  for (const dir of ['master', 'working', 'custody']) if (dir !== 'working' || req.workingCopy) mkdirSync(join(temp, dir), { recursive: true });
  const footage: ExportRun = job.sources.forExport({ packageId: job.packageId, person: ctx.user, cameraIds: req.cameraIds, fromMs: req.fromMs, toMs: req.toMs, signal: job.signal });
  // A minute still open is sealed as the segments are listed, one camera after another.
  const segments = new Map<string, ProvenSegment[]>();
  for (const id of req.cameraIds) segments.set(id, await footage.segments(id));
  const plans: CameraPlan[] = await Promise.all(
    req.cameraIds.map(async (id) => {
      const { clips, gaps } = planClips(id, segments.get(id)!, req.fromMs, req.toMs);
      return { camera: ctx.camera(id), masks: (await ctx.privacy?.masks(id)) ?? null, clips, gaps: explainGaps(gaps, await footage.takeovers(id)), alsoRecorded: await footage.alsoRecorded(id) };
    }),
  );
  // Footage the ledger never saw close cannot be proven unchanged: refused before anything is copied.
  const capture = await footage.prove(plans.flatMap((p) => p.clips).flatMap((c) => c.segments));
  const captureSha256 = (seg: ProvenSegment) => capture.get(segmentKey(seg))!.sha256;
  const captureInclusion = (seg: ProvenSegment) => capture.get(segmentKey(seg))!.inclusion;
  const copied = { footage, temp, workingCopy: req.workingCopy, withheld: req.unmasked ? null : job.withheld, signal: job.signal, progress, captureSha256, captureInclusion };
  const { files, cameras, withheld } = await copyFootage(copied, plans);
  // Every master withheld (all cameras masked): no empty master/ folder to puzzle the recipient.
  if (readdirSync(join(temp, 'master')).length === 0) rmSync(join(temp, 'master'), { recursive: true });

  const captures = captureEntriesOf(capture);
  // A site's recorders vouched for their footage: their answers travel in the package, and hold the capture entries.
  const recorders = writeRecorderCustody(temp, await footage.custody());
  const manifest = manifestOf(job, cameras, files, captures, withheld, recorders);
  writeFileSync(join(temp, MANIFEST), canonicalJson(manifest));
  const exportEntry = enterExport(job, manifest, await sha256File(join(temp, MANIFEST)));
  const { offset: _offset, ...exportLine } = exportEntry;
  const ownCaptures = captures.filter((c) => c.ledger === null).map((c) => c.entry);
  writeFileSync(join(temp, AUDIT_EXTRACT), [...ownCaptures, exportLine].map((e) => `${JSON.stringify(e)}\n`).join(''));
  writeFileSync(join(temp, SIGNER_KEY), ctx.key.publicKeyPem);
  writeFileSync(join(temp, RECIPIENT_README), recipientReadme(req.caseReference, ctx.key.fingerprint, ctx.disclosure, recorders));
  const sumsSha256 = await writeSignedSums(job, [...files, ...recorders.flatMap((r) => r.files)]);
  if (job.signal.aborted) throw new ExportCancelled();

  // Withheld masters are kept before the package appears: a package never names a master its keeper may drop.
  await job.withheld?.seal(sumsSha256);
  const final = moveIntoPlace(temp, ctx.exportsDir, job.name);
  enterSealed(job, basename(final), sumsSha256);
  progress(1, 'Done');
  return final;
}

/** The capture entries proving the export's segments, each once, per ledger in seq order. */
function captureEntriesOf(capture: ReadonlyMap<string, SegmentCapture>): Array<{ ledger: string | null; entry: AuditEntry }> {
  const byEntry = new Map([...capture.values()].map(({ ledger, entry }) => [`${ledger ?? ''}#${entry.seq}`, { ledger, entry }]));
  return [...byEntry.values()].sort((a, b) => (a.ledger ?? '').localeCompare(b.ledger ?? '') || a.entry.seq - b.entry.seq);
}

function manifestOf(job: PackageJob, cameras: ManifestCamera[], files: ManifestFile[], captures: ReturnType<typeof captureEntriesOf>, withheld: WithheldMaster[], recorders: readonly RecorderCustody[]) {
  const { ctx, req } = job;
  const masked = cameras.some((c) => c.privacyMasks);
  const site = recorders.length > 0;
  return {
    format: site ? MANIFEST_FORMAT_SITE : MANIFEST_FORMAT,
    packageId: job.packageId,
    caseReference: req.caseReference,
    reason: req.reason,
    recipient: req.recipient,
    exportedBy: { user: ctx.user, role: ctx.role },
    ...(ctx.disclosure ? disclosureOfManifest(ctx.disclosure) : {}),
    exportedAtUtc: iso(job.exportedAt),
    workstation: { hostname: hostname(), app: 'Watchroom', appVersion: ctx.appVersion, ...(site && ctx.nodeId ? { nodeId: ctx.nodeId } : {}) },
    clock: {
      offsetMs: null,
      note: 'The workstation clock was not compared with a time server. Recorded times are the workstation clock at capture; each source segment carries clockOffsetMs, how far the camera stream’s own time had drifted from the workstation clock when it closed (0: within measurement; null: not measured), and recording re-anchors to the workstation clock beyond a second.',
    },
    requested: { startUtc: iso(req.fromMs), endUtc: iso(req.toMs) },
    cameras,
    files,
    custody: {
      auditExtract: AUDIT_EXTRACT,
      captureEntries: captures.map(({ ledger, entry: e }) => ({ seq: e.seq, hash: e.hash, ...(ledger ? { ledger } : {}), ...(e.action === 'recording.minute' ? { camera: e.subject, minute: e.details?.minute } : { segment: e.details?.path }) })),
      ...(site ? { recorders: recordersOfManifest(recorders) } : {}),
    },
    signer: { fingerprint: ctx.key.fingerprint, algorithm: 'ECDSA P-256, SHA-256, DER' },
    // Privacy masks (issue 12, point 1): only in the manifests of exports with a masked camera.
    ...(masked ? { withheldMasters: withheld } : {}),
    ...(masked && req.unmasked ? { unmaskedMasters: { includedBy: ctx.user, role: ctx.role, reason: req.unmasked.reason } } : {}),
  };
}

/** The ledger entry for the export, naming the manifest's hash: written before the extract that includes it. */
function enterExport(job: PackageJob, manifest: ReturnType<typeof manifestOf>, manifestSha256: string) {
  const { ctx, req } = job;
  return ctx.ledger.append({ name: ctx.user, role: ctx.role }, 'evidence.export', req.caseReference, {
    packageId: job.packageId,
    package: job.name,
    caseReference: req.caseReference,
    reason: req.reason,
    recipient: req.recipient,
    role: ctx.role,
    range: manifest.requested,
    cameras: manifest.cameras.map((c) => c.id),
    cameraNames: manifest.cameras.map((c) => c.name),
    ...(ctx.disclosure ? { disclosure: ctx.disclosure } : {}),
    manifestSha256,
    files: manifest.files.map((f) => ({ path: f.path, sha256: f.sha256 })),
    signer: ctx.key.fingerprint,
    // A site's recorders, each joined to its own ledger's evidence.custody-served by the answer's hash.
    ...(manifest.custody.recorders ? { recorders: manifest.custody.recorders.map(({ id, fingerprint, answerSha256 }) => ({ id, fingerprint, answerSha256 })) } : {}),
    // Privacy masks (issue 12, point 1): what was burned in, and what stayed behind (so the store's copy can be proven later).
    ...privacyDetails(manifest),
  });
}

/** The manifest's part of a disclosure: who asked, who approved (when, their note), on what basis. */
function disclosureOfManifest(d: DisclosureApproval) {
  return {
    requestedBy: { user: d.requestedBy.name, name: d.requestedBy.displayName, role: d.requestedBy.role, atUtc: d.requestedAtUtc },
    approval: { requestId: d.requestId, requestSha256: d.requestSha256, user: d.approvedBy.name, name: d.approvedBy.displayName, role: d.approvedBy.role, atUtc: d.approvedAtUtc, note: d.note },
    legalBasis: d.legalBasis,
  };
}

/** The package's hash (of SHA256SUMS, which covers every other file), once it is in place under its final name. */
function enterSealed(job: PackageJob, name: string, sumsSha256: string): void {
  const { ctx, req } = job;
  ctx.ledger.append({ name: ctx.user, role: ctx.role }, 'evidence.sealed', req.caseReference, {
    packageId: job.packageId,
    package: name,
    sha256sumsSha256: sumsSha256,
    signer: ctx.key.fingerprint,
    ...(ctx.disclosure ? { requestId: ctx.disclosure.requestId } : {}),
  });
}

function privacyDetails(manifest: ReturnType<typeof manifestOf>) {
  const masked = manifest.cameras.filter((c) => c.privacyMasks);
  if (masked.length === 0) return {};
  return {
    privacyMasks: masked.map((c) => ({ cameraId: c.id, version: c.privacyMasks!.version, sha256: c.privacyMasks!.sha256 })),
    withheldMasters: (manifest.withheldMasters ?? []).map((w) => ({ path: w.path, store: w.store, sha256: w.sha256 })),
    unmaskedMasters: manifest.unmaskedMasters ?? null,
  };
}

/** SHA256SUMS over every file, then its signature: the last files written. Answers the SHA-256 of SHA256SUMS. */
async function writeSignedSums(job: PackageJob, media: ReadonlyArray<{ path: string; sha256: string }>): Promise<string> {
  // The media were hashed once, as they were described; reading them again would double the cost.
  const small = [MANIFEST, AUDIT_EXTRACT, SIGNER_KEY, RECIPIENT_README];
  const sums = formatSums([...media.map(({ path, sha256 }) => ({ path, sha256 })), ...(await Promise.all(small.map(async (path) => ({ path, sha256: await sha256File(join(job.temp, path)) }))))]);
  writeFileSync(join(job.temp, SUMS), sums);
  writeFileSync(join(job.temp, SUMS_SIG), job.ctx.key.sign(Buffer.from(sums)));
  return createHash('sha256').update(sums).digest('hex');
}

/** A cancelled or failed export: its folder removed and the ledger told why; returns the error to throw. */
async function discard(job: PackageJob, error: unknown): Promise<Error> {
  const { ctx, req } = job;
  const cancelled = error instanceof ExportCancelled;
  const failure = cancelled ? error : asExportError(error, ctx.exportsDir); // while the disk is still as full as it was
  rmSync(job.temp, { recursive: true, force: true });
  await job.withheld?.discard();
  const changed = error instanceof FootageChangedError ? { segment: error.segment, recordedSha256: error.expected, foundSha256: error.actual } : {};
  ctx.ledger.append({ name: ctx.user, role: ctx.role }, cancelled ? 'evidence.export-cancelled' : 'evidence.export-failed', req.caseReference, {
    packageId: job.packageId, caseReference: req.caseReference, reason: req.reason, role: ctx.role, ...(cancelled ? {} : { code: (failure as WatchroomError).code, error: failure.message, ...changed }),
  });
  return failure;
}

/** Renames the finished package to `name` (or name-2, -3 … if taken); never onto another package. */
function moveIntoPlace(temp: string, dir: string, name: string): string {
  for (let n = 1; ; n++) {
    const final = join(dir, n === 1 ? name : `${name}-${n}`);
    if (existsSync(final)) continue;
    try {
      renameSync(temp, final);
      return final;
    } catch (error) {
      // Another export took the name between the look and the rename (a non-empty folder refuses it).
      if (!['EEXIST', 'ENOTEMPTY'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  }
}

/** ffmpeg does not always fail on a full disk (it may exit 0 with a broken file), so look at the disk too. */
const NEARLY_FULL_BYTES = 64 * 1024;

function asExportError(error: unknown, exportsDir: string): WatchroomError {
  if (error instanceof WatchroomError && error.code !== 'export.ffmpeg-failed') return error;
  const text = error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}` : String(error);
  let free = Infinity;
  try {
    const fs = statfsSync(exportsDir);
    free = fs.bavail * fs.bsize;
  } catch {
    // No answer from the disk: judge by the error alone.
  }
  if (error instanceof WatchroomError && free >= NEARLY_FULL_BYTES) return error;
  if (isNoSpace(text) || free < NEARLY_FULL_BYTES) return new WatchroomError('export.disk-full', 'The export folder’s disk is full. Nothing was kept; free space or choose another folder.');
  return new WatchroomError('export.failed', `The export failed: ${error instanceof Error ? error.message : String(error)}`);
}
