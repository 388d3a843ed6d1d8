/**
 * Builds one evidence package (layout in ARCHITECTURE.md) in a hidden temporary folder beside the
 * exports, and renames it into place only when complete: a cancelled or failed export leaves nothing.
 *
 * The footage is proven as it is copied: every source segment must have its capture entry in the
 * ledger, and the bytes ffmpeg reads are hashed against it (verified-sources.ts); a difference stops
 * the export with export.footage-changed. No file of a package is ever written twice: media names
 * carry the camera id and millisecond times, and ffmpeg runs with -n.
 *
 * Order matters for the chain of custody: media first (masters by `-c copy`, working copies derived
 * from the masters), then the manifest, then the ledger entry for the export (which names the
 * manifest's hash), then the audit extract that includes that entry, then SHA256SUMS over everything,
 * then its signature.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ExportRequest } from '../../../shared/evidence.js';
import type { Role } from '../../../shared/roles.js';
import { WatchroomError } from '../../../shared/errors.js';
import type { AuditEntry } from '../../../shared/api.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import { canonicalJson } from '../canonical-json.js';
import { sha256File } from '../recording/file-hash.js';
import type { SegmentIndex, SegmentRow } from '../recording/segment-index.js';
import { planClips, type ClipPlan, type Gap } from './clip-plan.js';
import { ExportCancelled, isNoSpace, probeMedia, runFfmpeg } from './ffmpeg-job.js';
import { keyframeOffsetsOfFile } from '../recording/ts-keyframes.js';
import { AUDIT_EXTRACT, MANIFEST, MANIFEST_FORMAT, RECIPIENT_README, SIGNER_KEY, SUMS, SUMS_SIG, formatSums, mediaName, recipientReadme, safeName, utcStamp } from './package-files.js';
import { feedProvenSources, FootageChangedError } from './verified-sources.js';
import type { SigningKey } from './signing-key.js';

export interface ExportContext {
  recordingsRoot: string;
  index: SegmentIndex;
  ledger: AuditLedger;
  /** False for ledger bytes that may not be trusted (written while Watchroom was stopped). */
  trustedLedgerOffset?: (offset: number) => boolean;
  key: SigningKey;
  exportsDir: string;
  appVersion: string;
  /** A camera as the manifest may show it: the URL without credentials. */
  camera(id: string): { id: string; name: string; url: string };
  user: string;
  role: Role;
}

export type Progress = (fraction: number, stage: string) => void;

/** How much slower than copying a second of footage re-encoding one is, for the progress bar. */
const ENCODE_WEIGHT = 6;
const iso = (ms: number) => new Date(ms).toISOString();

interface ManifestFile {
  path: string;
  role: 'master' | 'working';
  cameraId: string;
  bytes: number;
  sha256: string;
  durationSeconds: number;
  codec: string;
  startUtc: string;
  endUtc: string;
  derivedFrom: string | null;
  process: string;
}

/** Refuses a request that cannot give a package, before anything is written. */
export function checkExportRequest(ctx: Pick<ExportContext, 'index' | 'camera'>, req: ExportRequest): void {
  if (req.toMs <= req.fromMs) throw new WatchroomError('export.bad-range', 'The end of the range must come after its start.');
  if (req.fromMs > Date.now()) throw new WatchroomError('export.bad-range', 'The range starts in the future.');
  for (const id of req.cameraIds) ctx.camera(id); // throws camera.not-found
  if (req.cameraIds.every((id) => ctx.index.segments(id, req.fromMs, req.toMs).length === 0)) {
    throw new WatchroomError('export.no-recording', 'Nothing was recorded on these cameras in that range.');
  }
}

export async function buildPackage(ctx: ExportContext, req: ExportRequest, signal: AbortSignal, progress: Progress): Promise<string> {
  checkExportRequest(ctx, req);
  const exportedAt = Date.now();
  const packageId = randomUUID();
  const name = `WR-${safeName(req.caseReference)}-${utcStamp(exportedAt)}`;
  mkdirSync(ctx.exportsDir, { recursive: true });
  const temp = join(ctx.exportsDir, `.partial-${packageId}`);
  try {
    return await build();
  } catch (error) {
    const cancelled = error instanceof ExportCancelled;
    const failure = cancelled ? error : asExportError(error, ctx.exportsDir); // while the disk is still as full as it was
    rmSync(temp, { recursive: true, force: true });
    const changed = error instanceof FootageChangedError ? { segment: error.segment, recordedSha256: error.expected, foundSha256: error.actual } : {};
    ctx.ledger.append({ name: ctx.user, role: ctx.role }, cancelled ? 'evidence.export-cancelled' : 'evidence.export-failed', req.caseReference, {
      packageId, caseReference: req.caseReference, reason: req.reason, role: ctx.role, ...(cancelled ? {} : { code: (failure as WatchroomError).code, error: failure.message, ...changed }),
    });
    throw failure;
  }

  async function build(): Promise<string> {
    for (const dir of ['master', 'working', 'custody']) if (dir !== 'working' || req.workingCopy) mkdirSync(join(temp, dir), { recursive: true });
    const plans = req.cameraIds.map((id) => ({ camera: ctx.camera(id), ...planClips(id, ctx.index.segments(id, req.fromMs, req.toMs), req.fromMs, req.toMs) }));
    const clips = plans.flatMap((p) => p.clips);
    // Footage the ledger never saw close cannot be proven unchanged: refused before anything is copied.
    const capture = new Map<string, AuditEntry>();
    for (const seg of clips.flatMap((c) => c.segments)) {
      const entry = seg.ledgerOffset !== null && ctx.trustedLedgerOffset?.(seg.ledgerOffset) === false ? null : captureEntry(ctx.ledger, seg);
      if (!entry) throw new WatchroomError('export.footage-unproven', `Recorded segment ${seg.path} has no capture entry in the audit ledger, so nothing proves it unchanged since it was recorded. It was not exported.`);
      capture.set(seg.path, entry);
    }
    const captureSha256 = (seg: SegmentRow) => String(capture.get(seg.path)!.details!.sha256);
    const taken = new Set<string>();
    const clipSeconds = (c: ClipPlan) => (c.wantEndMs - c.wantStartMs) / 1000;
    const totalWork = clips.reduce((n, c) => n + clipSeconds(c) * (1 + (req.workingCopy ? ENCODE_WEIGHT : 0)), 0) * 1.1; // +10 %: hashing and signing
    let done = 0;
    const step = (seconds: number, weight: number, stage: string) => progress(Math.min(0.99, (done + seconds * weight) / totalWork), stage);

    const files: ManifestFile[] = [];
    const cameras = [];
    for (const plan of plans) {
      const clipsOut = [];
      for (const clip of plan.clips) {
        const first = clip.segments[0]!;
        const wantOffset = (clip.wantStartMs - first.startMs) / 1000;
        // Copying cannot start between keyframes: begin at the last keyframe at or before the start.
        const keyframes = await keyframeOffsetsOfFile(join(ctx.recordingsRoot, first.path));
        const kf = keyframes.filter((k) => k <= wantOffset + 0.001).pop() ?? 0;
        const actualStartMs = Math.round(first.startMs + kf * 1000);
        const copySeconds = (clip.wantEndMs - actualStartMs) / 1000;
        const masterPath = `master/${mediaName(plan.camera, actualStartMs, clip.wantEndMs, '.mp4', taken)}`;
        const stage = `Copying ${plan.camera.name}`;
        // ffmpeg reads the segments from us, each hashed against its capture entry as it goes.
        const sources = clip.segments.map((seg) => ({ path: seg.path, file: join(ctx.recordingsRoot, seg.path), captureSha256: captureSha256(seg) }));
        await runFfmpeg(
          ['-f', 'mpegts', '-i', 'pipe:0', '-map', '0:v:0', '-c', 'copy', '-ss', kf.toFixed(3), '-t', copySeconds.toFixed(3), '-movflags', '+faststart', '-f', 'mp4', join(temp, masterPath)],
          signal,
          (s) => step(s, 1, stage),
          (stdin) => feedProvenSources(sources, stdin, signal),
        );
        done += clipSeconds(clip);
        const master = await describe(masterPath, plan.camera.id, actualStartMs, null, `ffmpeg -c copy of ${clip.segments.length} recorded MPEG-TS segment(s) from the keyframe at or before the requested start; no re-encoding`);
        files.push(master);
        if (req.workingCopy) {
          const workingPath = `working/${mediaName(plan.camera, clip.wantStartMs, clip.wantEndMs, '_exact.mp4', taken)}`;
          const exactOffset = (clip.wantStartMs - actualStartMs) / 1000;
          const wstage = `Making working copy of ${plan.camera.name}`;
          await runFfmpeg(
            ['-i', join(temp, masterPath), '-ss', exactOffset.toFixed(3), '-t', clipSeconds(clip).toFixed(3), '-map', '0:v:0', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4', join(temp, workingPath)],
            signal,
            (s) => step(s, ENCODE_WEIGHT, wstage),
          );
          done += clipSeconds(clip) * ENCODE_WEIGHT;
          files.push(await describe(workingPath, plan.camera.id, clip.wantStartMs, master.sha256, `cut exactly to the requested range from ${masterPath} and re-encoded: ffmpeg libx264 veryfast crf 18 yuv420p`));
        }
        clipsOut.push({ master: masterPath, actualStartUtc: master.startUtc, actualEndUtc: master.endUtc });
      }
      const segments = plan.clips.flatMap((c) => c.segments);
      cameras.push({
        id: plan.camera.id,
        name: plan.camera.name,
        url: plan.camera.url,
        clips: clipsOut,
        gaps: plan.gaps.map((g: Gap) => ({ startUtc: iso(g.startMs), endUtc: iso(g.endMs) })),
        sourceSegments: segments.map((s) => ({ path: s.path, startUtc: iso(s.startMs), endUtc: iso(s.endMs), bytes: s.bytes, sha256: captureSha256(s), repaired: s.repaired, clockOffsetMs: s.clockOffsetMs })),
      });
    }
    progress(Math.min(0.99, done / totalWork), 'Sealing the package');

    const captureEntries = [...capture.values()].sort((a, b) => a.seq - b.seq);

    const manifest = {
      format: MANIFEST_FORMAT,
      packageId,
      caseReference: req.caseReference,
      reason: req.reason,
      recipient: req.recipient,
      exportedBy: { user: ctx.user, role: ctx.role },
      exportedAtUtc: iso(exportedAt),
      workstation: { hostname: hostname(), app: 'Watchroom', appVersion: ctx.appVersion },
      clock: {
        offsetMs: null,
        note: 'The workstation clock was not compared with a time server. Recorded times are the workstation clock at capture; each source segment carries clockOffsetMs, how far the camera stream’s own time had drifted from the workstation clock when it closed (0: within measurement; null: not measured), and recording re-anchors to the workstation clock beyond a second.',
      },
      requested: { startUtc: iso(req.fromMs), endUtc: iso(req.toMs) },
      cameras,
      files,
      custody: {
        auditExtract: AUDIT_EXTRACT,
        captureEntries: captureEntries.map((e) => ({ seq: e.seq, hash: e.hash, segment: e.details?.path })),
      },
      signer: { fingerprint: ctx.key.fingerprint, algorithm: 'ECDSA P-256, SHA-256, DER' },
    };
    const manifestText = canonicalJson(manifest);
    writeFileSync(join(temp, MANIFEST), manifestText);
    const manifestSha256 = await sha256File(join(temp, MANIFEST));

    const exportEntry = ctx.ledger.append({ name: ctx.user, role: ctx.role }, 'evidence.export', req.caseReference, {
      packageId,
      package: name,
      caseReference: req.caseReference,
      reason: req.reason,
      recipient: req.recipient,
      role: ctx.role,
      range: manifest.requested,
      cameras: cameras.map((c) => c.id),
      manifestSha256,
      files: files.map((f) => ({ path: f.path, sha256: f.sha256 })),
      signer: ctx.key.fingerprint,
    });
    const { offset: _offset, ...exportLine } = exportEntry;
    writeFileSync(join(temp, AUDIT_EXTRACT), [...captureEntries, exportLine].map((e) => `${JSON.stringify(e)}\n`).join(''));
    writeFileSync(join(temp, SIGNER_KEY), ctx.key.publicKeyPem);
    writeFileSync(join(temp, RECIPIENT_README), recipientReadme(req.caseReference, ctx.key.fingerprint));

    // The media were hashed once, as they were described; reading them again would double the cost.
    const small = [MANIFEST, AUDIT_EXTRACT, SIGNER_KEY, RECIPIENT_README];
    const sums = formatSums([...files.map(({ path, sha256 }) => ({ path, sha256 })), ...(await Promise.all(small.map(async (path) => ({ path, sha256: await sha256File(join(temp, path)) }))))]);
    writeFileSync(join(temp, SUMS), sums);
    writeFileSync(join(temp, SUMS_SIG), ctx.key.sign(Buffer.from(sums)));
    if (signal.aborted) throw new ExportCancelled();

    const final = moveIntoPlace(temp, ctx.exportsDir, name);
    progress(1, 'Done');
    return final;
  }

  async function describe(path: string, cameraId: string, startMs: number, derivedFrom: string | null, process: string): Promise<ManifestFile> {
    const file = join(temp, path);
    const [sha256, facts] = await Promise.all([sha256File(file), probeMedia(file)]);
    return {
      path,
      role: derivedFrom ? 'working' : 'master',
      cameraId,
      bytes: statSync(file).size,
      sha256,
      durationSeconds: Math.round(facts.durationSeconds * 1000) / 1000,
      codec: facts.codec,
      startUtc: iso(startMs),
      endUtc: iso(Math.round(startMs + facts.durationSeconds * 1000)),
      derivedFrom,
      process,
    };
  }
}

/** A segment's capture entry: its segment.closed line, read where the index says it is, and agreeing with it. */
function captureEntry(ledger: AuditLedger, seg: SegmentRow): AuditEntry | null {
  const entry = seg.ledgerOffset === null ? null : ledger.readAt(seg.ledgerOffset);
  return entry && entry.action === 'segment.closed' && entry.details?.path === seg.path && typeof entry.details.sha256 === 'string' ? entry : null;
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
