/**
 * The media of an evidence package: each clip copied as a master (`-c copy` from the keyframe at or
 * before the requested start, so nothing is re-encoded) and, when asked, a working copy cut exactly
 * to the range and re-encoded from that master. ffmpeg reads the recorded segments from us, each
 * hashed against its capture entry as it goes (verified-sources.ts), whichever ExportSources they
 * come through. Also the manifest's description of every file and camera, and the export's progress.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MASK_FILL } from '../../../shared/masks.js';
import { writeMaskPng } from '../masks/mask-image.js';
import { sha256File } from '../recording/file-hash.js';
import { keyframeOffsetsInTs, MAX_SEGMENT_BYTES } from '../recording/ts-keyframes.js';
import type { ClipPlan, Gap } from './clip-plan.js';
import type { AlsoRecorded, ExportRun, ProvenSegment, SourceInclusion } from './export-sources.js';
import { probeMedia, runFfmpeg } from './ffmpeg-job.js';
import { mediaName } from './package-files.js';
import { feedProvenSources, provenBytes, readProven, type ProvenSource } from './verified-sources.js';
import type { AppliedMasks, WithheldMaster } from './withheld-masters.js';
import type { WithheldStore } from './withheld-store.js';

export type Progress = (fraction: number, stage: string) => void;

export const iso = (ms: number) => new Date(ms).toISOString();

/** How much slower than copying a second of footage re-encoding one is, for the progress bar. */
const ENCODE_WEIGHT = 6;

/** A camera as the manifest may show it: the URL without credentials. */
export interface ManifestCameraRef {
  id: string;
  name: string;
  url: string;
}

/** One camera's share of an export: its clips and the gaps between them. */
export interface CameraPlan {
  camera: ManifestCameraRef;
  clips: ClipPlan[];
  gaps: Gap[];
  /** The camera's privacy masks when the export began (null: none): burned into its working copies. */
  masks: AppliedMasks | null;
  /** Another recorder's copies of stretches taken from one recorder (a site), declared in the manifest. */
  alsoRecorded?: AlsoRecorded[];
}

export interface ManifestFile {
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
  /** Picture size, for burning masks in at the master's own resolution. */
  width: number;
  height: number;
}

export interface FootageJob {
  footage: ExportRun;
  /** The package's temporary folder, with master/ (and working/ if asked) already made. */
  temp: string;
  workingCopy: boolean;
  /**
   * Where a masked camera's unmasked masters go instead of the package (the workstation's evidence
   * store); null when an administrator let them into this export.
   */
  withheld: WithheldStore | null;
  signal: AbortSignal;
  progress: Progress;
  /** The hash the ledger took of a source segment when it closed. */
  captureSha256(seg: ProvenSegment): string;
  /** Where a source segment sits in the Merkle tree of its minute's capture entry; null for a segment.closed capture. */
  captureInclusion(seg: ProvenSegment): SourceInclusion | null;
}

/** A copy in progress: the job, the media names already given, and the progress bar. */
interface Copying extends FootageJob {
  taken: Set<string>;
  meter: ReturnType<typeof progressMeter>;
}

export type ManifestCamera = ReturnType<typeof manifestCamera>;

const clipSeconds = (c: ClipPlan) => (c.wantEndMs - c.wantStartMs) / 1000;

/** Copies every camera's clips into the package; returns what the manifest says of them. */
export async function copyFootage(job: FootageJob, plans: readonly CameraPlan[]): Promise<{ files: ManifestFile[]; cameras: ManifestCamera[]; withheld: WithheldMaster[] }> {
  const encodes = job.workingCopy || plans.some((p) => p.masks);
  const copying: Copying = { ...job, taken: new Set(), meter: progressMeter(plans.flatMap((p) => p.clips), encodes, job.progress) };
  const files: ManifestFile[] = [];
  const cameras: ManifestCamera[] = [];
  const withheld: WithheldMaster[] = [];
  for (const plan of plans) {
    const clipsOut = [];
    // A masked camera's picture leaves only with its masks burned in; its master stays behind unless
    // allowed out, and is written straight into the evidence store: not even a half-built package
    // on the exports disk (a share, a removable disk) ever holds it.
    const store = plan.masks ? job.withheld : null;
    const masterDir = store ? privateFolder(store.workDir) : job.temp;
    for (const clip of plan.clips) {
      const master = await copyMaster(copying, plan.camera, clip, masterDir);
      const working = plan.masks || job.workingCopy ? await makeWorkingCopy(copying, plan.camera, clip, master, plan.masks) : null;
      if (store) withheld.push(await store.keep(master.file, join(master.dir, master.file.path), clip.segments[0]!.recorderId));
      else files.push(master.file);
      if (working) files.push(working);
      clipsOut.push({ master: master.file.path, actualStartUtc: master.file.startUtc, actualEndUtc: master.file.endUtc });
    }
    cameras.push(manifestCamera(plan, clipsOut, job));
  }
  copying.meter.sealing();
  return { files, cameras, withheld };
}

/** A folder only this user may enter, made if missing. */
function privateFolder(dir: string): string {
  mkdirSync(join(dir, 'master'), { recursive: true, mode: 0o700 });
  return dir;
}

/** The master of one clip, written under `dir`; where it is, and the time it really starts at (its first keyframe). */
async function copyMaster(copying: Copying, camera: ManifestCameraRef, clip: ClipPlan, dir: string): Promise<{ file: ManifestFile; dir: string; startMs: number }> {
  const first = clip.segments[0]!;
  const wantOffset = (clip.wantStartMs - first.startMs) / 1000;
  // ffmpeg reads the segments from us, each hashed against its capture entry as it goes. The first
  // (a few MB) is read once and proven before ffmpeg starts: the same bytes give its keyframes.
  const [head, ...rest] = clip.segments.map((seg) => provenSource(copying, seg));
  const firstBytes = await readProven(head!, MAX_SEGMENT_BYTES, copying.signal);
  // Copying cannot start between keyframes: begin at the last keyframe at or before the start.
  const keyframes = keyframeOffsetsInTs(firstBytes);
  const kf = keyframes.filter((k) => k <= wantOffset + 0.001).pop() ?? 0;
  const startMs = Math.round(first.startMs + kf * 1000);
  const copySeconds = (clip.wantEndMs - startMs) / 1000;
  const path = `master/${mediaName(camera, startMs, clip.wantEndMs, '.mp4', copying.taken)}`;
  const stage = `Copying ${camera.name}`;
  await runFfmpeg(
    ['-f', 'mpegts', '-i', 'pipe:0', '-map', '0:v:0', '-c', 'copy', '-ss', kf.toFixed(3), '-t', copySeconds.toFixed(3), '-movflags', '+faststart', '-f', 'mp4', join(dir, path)],
    copying.signal,
    (s) => copying.meter.during(s, 1, stage),
    (stdin) => feedProvenSources([provenBytes(head!, firstBytes), ...rest], stdin, copying.signal),
  );
  copying.meter.finished(clipSeconds(clip), 1);
  const file = await describeMedia(dir, path, camera.id, startMs, null, `ffmpeg -c copy of ${clip.segments.length} recorded MPEG-TS segment(s) from the keyframe at or before the requested start; no re-encoding`);
  return { file, dir, startMs };
}

/** A segment as ffmpeg is fed it: its bytes from the export's sources, and the hash they must have. */
function provenSource(copying: Copying, seg: ProvenSegment): ProvenSource {
  return { label: seg.path, open: () => copying.footage.open(seg), captureSha256: copying.captureSha256(seg) };
}

/** The working copy of one clip: cut exactly to the requested range from its master, re-encoded, with the camera's masks burned in if it has any. */
async function makeWorkingCopy(copying: Copying, camera: ManifestCameraRef, clip: ClipPlan, copied: { file: ManifestFile; dir: string; startMs: number }, masks: AppliedMasks | null): Promise<ManifestFile> {
  const { file: master, startMs: masterStartMs } = copied;
  const path = `working/${mediaName(camera, clip.wantStartMs, clip.wantEndMs, masks ? '_masked.mp4' : '_exact.mp4', copying.taken)}`;
  const exactOffset = (clip.wantStartMs - masterStartMs) / 1000;
  const stage = `Making ${masks ? 'masked ' : ''}working copy of ${camera.name}`;
  mkdirSync(join(copying.temp, 'working'), { recursive: true }); // a masked camera's copy is made even when none was asked for
  const maskDir = masks ? mkdtempSync(join(tmpdir(), 'watchroom-mask-')) : null;
  try {
    // The masks as an opaque image at the master's own size, laid over every frame before encoding.
    // Every frame of the master once, none added or dropped (fps_mode passthrough): frame n of the copy is frame n of the cut master.
    const overlay = masks && maskDir
      ? ['-i', writeMaskPng(join(maskDir, 'mask.png'), masks.polygons, master.width, master.height), '-filter_complex', '[0:v:0][1:v]overlay=0:0:format=auto,format=yuv420p[v]', '-map', '[v]', '-fps_mode', 'passthrough']
      : ['-map', '0:v:0'];
    await runFfmpeg(
      ['-i', join(copied.dir, master.path), ...overlay, '-ss', exactOffset.toFixed(3), '-t', clipSeconds(clip).toFixed(3), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4', join(copying.temp, path)],
      copying.signal,
      (s) => copying.meter.during(s, ENCODE_WEIGHT, stage),
    );
  } finally {
    if (maskDir) rmSync(maskDir, { recursive: true, force: true });
  }
  copying.meter.finished(clipSeconds(clip), ENCODE_WEIGHT);
  const process = masks
    ? `cut exactly to the requested range from master ${master.path} (SHA-256 ${master.sha256}) and re-encoded with privacy masks version ${masks.version} (SHA-256 ${masks.sha256}) burned in as opaque ${MASK_FILL} at ${master.width}x${master.height}: ffmpeg overlay, libx264 veryfast crf 18 yuv420p, every frame of the master once`
    : `cut exactly to the requested range from ${master.path} and re-encoded: ffmpeg libx264 veryfast crf 18 yuv420p`;
  return describeMedia(copying.temp, path, camera.id, clip.wantStartMs, master.sha256, process);
}

/** A camera as the manifest shows it: its clips, its gaps, and every source segment with its capture hash (and inclusion proof). */
function manifestCamera(plan: CameraPlan, clips: Array<{ master: string; actualStartUtc: string; actualEndUtc: string }>, capture: Pick<FootageJob, 'captureSha256' | 'captureInclusion'>) {
  const segments = plan.clips.flatMap((c) => c.segments);
  return {
    id: plan.camera.id,
    name: plan.camera.name,
    url: plan.camera.url,
    privacyMasks: plan.masks ? { version: plan.masks.version, sha256: plan.masks.sha256, polygons: plan.masks.polygons, fill: MASK_FILL } : null,
    clips,
    gaps: plan.gaps.map((g) => ({ startUtc: iso(g.startMs), endUtc: iso(g.endMs), ...(g.why ? { why: g.why } : {}) })),
    ...(plan.alsoRecorded?.length ? { alsoRecorded: plan.alsoRecorded } : {}),
    sourceSegments: segments.map((s) => {
      const inclusion = capture.captureInclusion(s);
      return { path: s.path, ...(s.recorderId ? { recorder: s.recorderId } : {}), startUtc: iso(s.startMs), endUtc: iso(s.endMs), bytes: s.bytes, sha256: capture.captureSha256(s), repaired: s.repaired, clockOffsetMs: s.clockOffsetMs, ...(inclusion ? { inclusion } : {}) };
    }),
  };
}

/** A media file of the package as the manifest describes it; hashed here, once, for SHA256SUMS too. */
async function describeMedia(temp: string, path: string, cameraId: string, startMs: number, derivedFrom: string | null, process: string): Promise<ManifestFile> {
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
    width: facts.width,
    height: facts.height,
  };
}

/** Progress over the whole export, by seconds of footage: a second re-encoded weighs ENCODE_WEIGHT copied ones. */
function progressMeter(clips: readonly ClipPlan[], workingCopy: boolean, progress: Progress) {
  const total = clips.reduce((n, c) => n + clipSeconds(c) * (1 + (workingCopy ? ENCODE_WEIGHT : 0)), 0) * 1.1; // +10 %: hashing and signing
  let done = 0;
  return {
    /** `seconds` into the current ffmpeg run. */
    during: (seconds: number, weight: number, stage: string) => progress(Math.min(0.99, (done + seconds * weight) / total), stage),
    finished: (seconds: number, weight: number) => void (done += seconds * weight),
    sealing: () => progress(Math.min(0.99, done / total), 'Sealing the package'),
  };
}
