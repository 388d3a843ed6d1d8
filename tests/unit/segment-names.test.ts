/**
 * How segments are filed: a name is never reused (a file is never overwritten) and one camera's
 * segments never overlap, whatever the wall clock does. Real files, SQLite index and audit ledger; the
 * segment files and list stand in for what ffmpeg's segment muxer writes.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuditLedger } from '../../electron/core/audit/audit-ledger.js';
import { createLogger } from '../../electron/core/logger.js';
import { closedSegmentPath, parseClosedName, RecordingStore } from '../../electron/core/recording/recording-store.js';
import { SegmentIndex, type SegmentRow } from '../../electron/core/recording/segment-index.js';
import { SegmentRecorder } from '../../electron/core/recording/segment-recorder.js';

const CAMERA = 'cam-1';
let dir: string;
let index: SegmentIndex;
let ledger: AuditLedger;
let store: RecordingStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wr-names-'));
  index = new SegmentIndex(join(dir, 'recordings.sqlite'));
  ledger = new AuditLedger(join(dir, 'audit.jsonl'));
  store = new RecordingStore({ root: join(dir, 'recordings'), index, audit: (a, s, d) => ledger.append('system', a, s, d), logger: createLogger({ file: join(dir, 'log'), secrets: () => [] }) });
  mkdirSync(store.incomingDir(CAMERA), { recursive: true });
});

const incoming = (file: string, content: string) => writeFileSync(join(store.incomingDir(CAMERA), file), content);
const contentOf = (row: SegmentRow) => readFileSync(join(store.root, row.path), 'utf8');
const actions = (action: string) =>
  readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; details: Record<string, unknown> }).filter((e) => e.action === action);

function expectNoOverlap(rows: SegmentRow[]): void {
  const sorted = [...rows].sort((a, b) => a.startMs - b.startMs);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.startMs, `${sorted[i]!.path} after ${sorted[i - 1]!.path}`).toBeGreaterThanOrEqual(sorted[i - 1]!.endMs);
}

describe('segment names', () => {
  it('keeps both files and both rows when two segments are committed with the same times', async () => {
    const t = Date.UTC(2026, 11, 1, 14, 3, 0);
    incoming('ra-00000.ts', 'first');
    incoming('rb-00000.ts', 'second');
    const first = await store.commit(CAMERA, 'a', 'ra-00000.ts', t, t + 4_000, false);
    const second = await store.commit(CAMERA, 'b', 'rb-00000.ts', t, t + 4_000, false);
    expect(index.all()).toHaveLength(2);
    expect(second.path).not.toBe(first.path);
    expect(contentOf(first)).toBe('first');
    expect(contentOf(second)).toBe('second');
    // The second is placed after the first rather than over it, and the move is audited.
    expect(second).toMatchObject({ startMs: t + 4_000, endMs: t + 8_000 });
    expect(actions('recording.clock-step')).toEqual([expect.objectContaining({ details: expect.objectContaining({ runId: 'b', stepMs: 4_000 }) })]);
  });

  it('never overwrites a file already under the name: the segment takes the next free one', async () => {
    const t = Date.UTC(2026, 11, 1, 14, 3, 0);
    // A file with no row (e.g. left by an index that was lost) sits where the segment would go.
    const taken = join(store.root, closedSegmentPath(CAMERA, t, t + 4_000));
    mkdirSync(join(taken, '..'), { recursive: true });
    writeFileSync(taken, 'earlier footage');
    incoming('ra-00000.ts', 'new footage');
    const row = await store.commit(CAMERA, 'a', 'ra-00000.ts', t, t + 4_000, false);
    expect(readFileSync(taken, 'utf8')).toBe('earlier footage');
    expect(row.path).toBe(closedSegmentPath(CAMERA, t, t + 4_000, 2));
    expect(contentOf(row)).toBe('new footage');
    // Start-up reconciliation still reads the range from the second name.
    expect(parseClosedName(row.path.split('/').pop()!)).toEqual({ startMs: t, endMs: t + 4_000 });
  });
});

describe('a restart', () => {
  it('records the new run when the old run ends after it began (a takeover or restart shuts ffmpeg down while the next one starts)', async () => {
    const errors: unknown[] = [];
    const recorder = new SegmentRecorder(CAMERA, store, (e) => errors.push(e));
    const now = Date.now();
    const old = recorder.beginRun();
    recorder.setEpoch(now - 20_000);
    const next = recorder.beginRun();
    // The old ffmpeg's exit is heard only now: the new run must record on.
    await recorder.endRun(old.runId);
    recorder.setEpoch(now - 8_000);
    const file = next.pattern.replace('%05d', '00000');
    writeFileSync(file, 'the new run');
    appendFileSync(next.listFile, `${file.split('/').pop()},0,4\n`);
    await recorder.poll();
    await recorder.endRun(next.runId);
    expect(errors).toEqual([]);
    expect(index.segments(CAMERA, now - 9_000, now - 3_000).map((r) => r.runId)).toEqual([next.runId]);
  });
});

describe('a wall clock stepped back', () => {
  /** One ffmpeg run as its segment muxer leaves it: files, then a list line per closed segment, listed at `listedAtMs`. */
  async function record(recorder: SegmentRecorder, epochMs: number, seconds: number[], listedAtMs: number): Promise<void> {
    const out = recorder.beginRun();
    recorder.setEpoch(epochMs);
    seconds.forEach((s, i) => {
      const file = out.pattern.replace('%05d', String(i).padStart(5, '0'));
      writeFileSync(file, `segment ${i} of ${out.listFile}`);
      appendFileSync(out.listFile, `${file.split('/').pop()},${s},${s + 4}\n`);
    });
    utimesSync(out.listFile, listedAtMs / 1000, listedAtMs / 1000);
    await recorder.poll();
    await recorder.endRun(out.runId);
  }

  it('does not overlap the footage already recorded: the new run starts where it ended, and the step is audited once', async () => {
    const errors: unknown[] = [];
    const recorder = new SegmentRecorder(CAMERA, store, (e) => errors.push(e));
    const now = Date.now();
    // 12 s recorded up to now; then the clock steps back a minute and the next run records 12 s more.
    await record(recorder, now - 12_000, [0, 4, 8], now);
    await record(recorder, now - 60_000, [0, 4, 8], now - 48_000);
    expect(errors).toEqual([]);
    const rows = index.segments(CAMERA, 0, now + 3_600_000);
    expect(rows).toHaveLength(6);
    expectNoOverlap(rows);
    expect(index.ranges(CAMERA, 0, now + 3_600_000)).toEqual([{ startMs: now - 12_000, endMs: now + 12_000 }]);
    expect(actions('recording.clock-step')).toEqual([expect.objectContaining({ details: expect.objectContaining({ stepMs: 60_000 }) })]);
    // Measured against its own (stepped) clock, the run did not drift.
    expect(actions('recording.clock-drift')).toEqual([]);
  });
});
