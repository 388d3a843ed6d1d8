/**
 * Evidence export and verification against the standard tools, on the same bytes in the same run:
 *  - export: a 10-minute clip of one camera (master only, -c copy, hashed, signed) vs `cp` of its
 *    recorded segments + `sha256sum` of the copies (aim ≤ 1.3×);
 *  - verify: watchroom's verifier on that package vs `sha256sum -c SHA256SUMS` in it (aim ≤ 1.2×).
 * The footage is real H.264 (720p25, ~3 Mbit/s) in 4 s MPEG-TS segments, filed through the recording
 * store as a recording would be (hashed, indexed, audited). Rounds alternate; medians are reported.
 * With --masked the camera has two privacy masks: the export re-encodes a masked working copy and
 * withholds the master (no aim then: it is an encode, measured to know its cost).
 * Prints JSON; never fails on the figures.
 *
 *   npm run bench:evidence [-- --minutes 10 --rounds 5 --masked]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLedger } from '../electron/core/audit/audit-ledger.js';
import { buildPackage } from '../electron/core/evidence/evidence-export.js';
import { localExportSources } from '../electron/core/evidence/export-sources.js';
import { verifyPackage } from '../electron/core/evidence/package-verifier.js';
import { loadOrCreateSigningKey } from '../electron/core/evidence/signing-key.js';
import { masksSha256 } from '../electron/core/masks/masks-module.js';
import type { MaskPolygon } from '../shared/masks.js';
import { createLogger } from '../electron/core/logger.js';
import { RecordingStore } from '../electron/core/recording/recording-store.js';
import { SegmentIndex } from '../electron/core/recording/segment-index.js';
import { parseSegmentList } from '../electron/core/recording/segment-list.js';
import { localWithheldStore } from '../electron/core/evidence/withheld-store.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, rounds: { type: 'string', default: '5' }, masked: { type: 'boolean', default: false } } });
const minutes = Number(values.minutes);
const rounds = Number(values.rounds);
const CAMERA = 'cam-bench';
const BENCH_MASKS: MaskPolygon[] = [[[0.1, 0.1], [0.4, 0.1], [0.4, 0.5], [0.1, 0.5]], [[0.6, 0.6], [0.9, 0.6], [0.75, 0.95]]];

/** Encoded once per length and kept in the temp folder: encoding takes longer than everything measured. */
function sourceSegments(): string {
  const dir = join(tmpdir(), `watchroom-bench-evidence-${minutes}min`);
  if (existsSync(join(dir, 'done'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('ffmpeg', [
    '-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=25,noise=alls=12:allf=t`, '-t', String(minutes * 60),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-b:v', '3M', '-maxrate', '3M', '-bufsize', '6M', '-pix_fmt', 'yuv420p',
    '-f', 'segment', '-segment_time', '4', '-segment_format', 'mpegts', '-segment_list', join(dir, 'list.csv'), '-segment_list_type', 'csv',
    join(dir, 'r1-%05d.ts'),
  ]);
  execFileSync('touch', [join(dir, 'done')]);
  return dir;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** Timed from a clean slate: `sync` first, so the last step's write-back does not land in this one. */
const time = async (work: () => unknown) => {
  execFileSync('sync');
  const t0 = performance.now();
  await work();
  return (performance.now() - t0) / 1000;
};

const src = sourceSegments();
const work = mkdtempSync(join(tmpdir(), 'watchroom-bench-evidence-'));
try {
  const root = join(work, 'recordings');
  const index = new SegmentIndex(join(work, 'recordings.sqlite'));
  const ledger = new AuditLedger(join(work, 'audit.jsonl'));
  const store = new RecordingStore({ root, index, audit: (a, s, d) => ledger.append('system', a, s, d), logger: createLogger({ file: join(work, 'log'), secrets: () => [] }) });
  const epochMs = Date.UTC(2026, 10, 24, 2, 0, 0);
  mkdirSync(store.incomingDir(CAMERA), { recursive: true });
  const listed = parseSegmentList(readFileSync(join(src, 'list.csv'), 'utf8'));
  for (const seg of listed) {
    copyFileSync(join(src, seg.file), join(store.incomingDir(CAMERA), seg.file));
    await store.commit(CAMERA, 'r1', seg.file, Math.round(epochMs + seg.start * 1000), Math.round(epochMs + seg.end * 1000), false);
  }
  const segmentFiles = index.segments(CAMERA, 0, 8.64e15).map((s) => join(root, s.path));
  const footageBytes = segmentFiles.reduce((n, f) => n + statSync(f).size, 0);
  const key = loadOrCreateSigningKey(join(work, 'keys'));
  const trusted = new Set([key.fingerprint]);
  const ctx = {
    sources: localExportSources({ recordingsRoot: root, index, ledger }), ledger, key, exportsDir: join(work, 'exports'), appVersion: 'bench',
    camera: (id: string) => ({ id, name: 'Bench camera', url: 'rtsp://127.0.0.1/bench' }), user: 'bench', role: 'admin' as const,
    ...(values.masked ? { privacy: { masks: async () => ({ version: 1, sha256: masksSha256(BENCH_MASKS), polygons: BENCH_MASKS }), withheld: (packageId: string) => localWithheldStore(join(work, 'evidence-store'), packageId) } } : {}),
  };
  const request = {
    cameraIds: [CAMERA], fromMs: epochMs, toMs: epochMs + minutes * 60_000, reason: 'Benchmark', caseReference: 'BENCH-1', recipient: null, workingCopy: false,
  };

  const exportSeconds: number[] = [];
  const copySeconds: number[] = [];
  const verifySeconds: number[] = [];
  const sumsSeconds: number[] = [];
  let packagePath = '';
  let verified = false;
  for (let round = 0; round < rounds; round++) {
    rmSync(ctx.exportsDir, { recursive: true, force: true });
    rmSync(join(work, 'evidence-store'), { recursive: true, force: true });
    exportSeconds.push(await time(async () => (packagePath = await buildPackage(ctx, request, new AbortController().signal, () => undefined))));
    const copyDir = join(work, 'copy');
    rmSync(copyDir, { recursive: true, force: true });
    mkdirSync(copyDir);
    copySeconds.push(await time(() => {
      execFileSync('cp', [...segmentFiles, copyDir]);
      execFileSync('sh', ['-c', 'sha256sum -- * > /dev/null'], { cwd: copyDir });
    }));
    verifySeconds.push(await time(async () => (verified = (await verifyPackage(packagePath, trusted)).ok)));
    sumsSeconds.push(await time(() => execFileSync('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], { cwd: packagePath })));
  }
  const packageBytes = Number(execFileSync('du', ['-sb', packagePath], { encoding: 'utf8' }).split('\t')[0]);
  const result = {
    benchmark: 'evidence',
    footage: { minutes, segments: segmentFiles.length, bytes: footageBytes, packageBytes },
    masked: values.masked,
    rounds,
    export: {
      watchroomSeconds: median(exportSeconds),
      cpPlusSha256sumSeconds: median(copySeconds),
      ratio: +(median(exportSeconds) / median(copySeconds)).toFixed(2),
      aim: values.masked ? 'none: a masked export re-encodes' : '≤ 1.3',
      allRounds: { watchroom: exportSeconds.map((s) => +s.toFixed(3)), baseline: copySeconds.map((s) => +s.toFixed(3)) },
    },
    verify: {
      verified,
      watchroomSeconds: median(verifySeconds),
      sha256sumCheckSeconds: median(sumsSeconds),
      ratio: +(median(verifySeconds) / median(sumsSeconds)).toFixed(2),
      aim: '≤ 1.2',
      allRounds: { watchroom: verifySeconds.map((s) => +s.toFixed(3)), baseline: sumsSeconds.map((s) => +s.toFixed(3)) },
    },
    packageFiles: readdirSync(packagePath),
  };
  index.close();
  ledger.close();
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
