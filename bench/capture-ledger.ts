/**
 * Ledger bytes per camera-day, before and after capture hashes were batched per minute. Before: one
 * `segment.closed` entry per segment, as the store wrote it. After: the real sealing code
 * (minute-batches.ts) on a real SQLite index, one `recording.minute` entry per camera and minute.
 * Both ledgers are real AuditLedger files; a camera-day of segments is written into each and measured.
 * Prints JSON.
 *
 *   npm run bench:capture-ledger [-- --segment-seconds 4 --hours 24 --cameras 100]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLedger } from '../electron/core/audit/audit-ledger.js';
import { minuteOf } from '../electron/core/audit/capture-proof.js';
import { sealOpenMinutes } from '../electron/core/recording/minute-batches.js';
import { closedSegmentPath, type Audit } from '../electron/core/recording/recording-store.js';
import { SegmentIndex } from '../electron/core/recording/segment-index.js';

const { values } = parseArgs({ options: { 'segment-seconds': { type: 'string', default: '4' }, hours: { type: 'string', default: '24' }, cameras: { type: 'string', default: '100' } } });
const segmentMs = Number(values['segment-seconds']) * 1000;
const hours = Number(values.hours);
const cameras = Number(values.cameras);
const CAMERA = 'cam-3f9a1c02de'; // as camera-registry.ts names them
const DAY0 = Date.UTC(2026, 11, 1);
const segments = Math.floor((hours * 3_600_000) / segmentMs);
const segmentBytes = 1_900_000; // about 4 s of 720p at 4 Mbit/s

const dir = mkdtempSync(join(tmpdir(), 'watchroom-capture-bench-'));
const segment = (i: number) => {
  const startMs = DAY0 + i * segmentMs;
  return { path: closedSegmentPath(CAMERA, startMs, startMs + segmentMs), startMs, endMs: startMs + segmentMs, sha256: i.toString(16).padStart(64, '0') };
};

// Before: what RecordingStore.commit appended for every segment.
const before = new AuditLedger(join(dir, 'before.jsonl'));
let t = performance.now();
for (let i = 0; i < segments; i++) {
  const s = segment(i);
  before.append('system', 'segment.closed', CAMERA, { path: s.path, sha256: s.sha256, startMs: s.startMs, endMs: s.endMs, bytes: segmentBytes, clockOffsetMs: 0 });
}
const beforeMs = performance.now() - t;
before.close();

// After: each commit indexes its row as an open capture and seals the camera's earlier minutes, as RecordingStore.commit does.
const after = new AuditLedger(join(dir, 'after.jsonl'));
const index = new SegmentIndex(join(dir, 'index.sqlite'));
const audit: Audit = (action, subject, details) => after.append('system', action, subject, details);
t = performance.now();
for (let i = 0; i < segments; i++) {
  const s = segment(i);
  sealOpenMinutes(index, audit, CAMERA, { keepMinute: minuteOf(s.endMs) });
  index.insert({ cameraId: CAMERA, runId: 'bench', ...s, bytes: segmentBytes, repaired: false, ledgerOffset: null, captureOpen: true, clockOffsetMs: 0 });
}
sealOpenMinutes(index, audit, CAMERA);
const afterMs = performance.now() - t;
const minuteEntries = after.list(1)[0]!.seq;
after.close();
index.close();

const bytes = (name: string) => statSync(join(dir, name)).size;
const perDay = (b: number) => Math.round((b * 24) / hours);
const beforeBytes = perDay(bytes('before.jsonl'));
const afterBytes = perDay(bytes('after.jsonl'));
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify(
    {
      bench: 'capture-ledger',
      segmentSeconds: segmentMs / 1000,
      segmentsPerCameraDay: Math.round((segments * 24) / hours),
      perSegment: { entriesPerCameraDay: Math.round((segments * 24) / hours), ledgerBytesPerCameraDay: beforeBytes, bytesPerEntry: Math.round(beforeBytes / ((segments * 24) / hours)), writeMs: Math.round(beforeMs) },
      perMinute: { entriesPerCameraDay: Math.round((minuteEntries * 24) / hours), ledgerBytesPerCameraDay: afterBytes, bytesPerEntry: Math.round(afterBytes / ((minuteEntries * 24) / hours)), writeMs: Math.round(afterMs) },
      ratio: Math.round((beforeBytes / afterBytes) * 10) / 10,
      [`ledgerBytesPerDayAt${cameras}Cameras`]: { perSegment: beforeBytes * cameras, perMinute: afterBytes * cameras },
      note: 'writeMs includes one fdatasync per entry (and, after, the SQLite index work that commits do anyway); the per-minute entry names each segment path, so its size still grows with the segments of the minute.',
    },
    null,
    2,
  )}\n`,
);
