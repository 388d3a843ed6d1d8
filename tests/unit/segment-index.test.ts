import { mkdtempSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SegmentIndex } from '../../electron/core/recording/segment-index.js';

function indexWith(starts: number[], length = 4_000): SegmentIndex {
  const index = new SegmentIndex(join(mkdtempSync(join(tmpdir(), 'wr-index-')), 'i.sqlite'));
  // Inserted out of order on purpose: reconciliation indexes files in any order.
  for (const s of [...starts].reverse()) index.insert({ cameraId: 'cam-a', runId: 'r', path: `a/${s}.ts`, startMs: s, endMs: s + length, bytes: 10, sha256: 'x', repaired: false, ledgerOffset: null });
  index.insert({ cameraId: 'cam-b', runId: 'r', path: 'b/0.ts', startMs: 0, endMs: 4_000, bytes: 10, sha256: 'x', repaired: false, ledgerOffset: null });
  return index;
}

describe('SegmentIndex ranges', () => {
  it('merges contiguous segments and splits at gaps over a second', () => {
    const index = indexWith([0, 4_000, 8_500, 20_000, 24_000]);
    expect(index.ranges('cam-a', 0, 100_000)).toEqual([
      { startMs: 0, endMs: 12_500 },
      { startMs: 20_000, endMs: 28_000 },
    ]);
    expect(index.ranges('cam-a', 21_000, 22_000)).toEqual([{ startMs: 20_000, endMs: 24_000 }]);
    expect(index.ranges('cam-a', 13_000, 19_000)).toEqual([]);
    expect(index.ranges('cam-b', 0, 100_000)).toEqual([{ startMs: 0, endMs: 4_000 }]);
  });

  it('opens a gap where a segment is deleted or goes missing, and closes it when the file returns', () => {
    const index = indexWith([0, 4_000, 8_000, 12_000]);
    const second = index.byPath('a/4000.ts')!;
    index.setMissing(second.id, true);
    expect(index.ranges('cam-a', 0, 100_000)).toEqual([
      { startMs: 0, endMs: 4_000 },
      { startMs: 8_000, endMs: 16_000 },
    ]);
    index.setMissing(second.id, false);
    expect(index.ranges('cam-a', 0, 100_000)).toEqual([{ startMs: 0, endMs: 16_000 }]);
    index.delete(index.byPath('a/0.ts')!.id);
    index.delete(index.byPath('a/8000.ts')!.id);
    expect(index.ranges('cam-a', 0, 100_000)).toEqual([
      { startMs: 4_000, endMs: 8_000 },
      { startMs: 12_000, endMs: 16_000 },
    ]);
  });

  it('never offers locked segments to retention', () => {
    const index = indexWith([0, 4_000, 8_000]);
    index.addLock('cam-a', { startMs: 5_000, endMs: 6_000 }, 'case 1');
    expect(index.deletable(10, 'cam-a').map((s) => s.startMs)).toEqual([0, 8_000]);
  });
});

describe('SegmentIndex bytes per camera', () => {
  it('counts present footage through inserts, missing files, returns and deletions', () => {
    const index = indexWith([0, 4_000, 8_000]);
    expect(index.bytesByCamera()).toEqual(new Map([['cam-a', 30], ['cam-b', 10]]));
    const first = index.byPath('a/0.ts')!;
    index.setMissing(first.id, true);
    index.delete(index.byPath('b/0.ts')!.id);
    expect(index.bytesByCamera()).toEqual(new Map([['cam-a', 20]]));
    expect(index.usage()).toEqual({ usedBytes: 20, oldestMs: 4_000 });
    index.setMissing(first.id, false);
    index.delete(index.byPath('a/8000.ts')!.id);
    expect(index.bytesByCamera()).toEqual(new Map([['cam-a', 20]]));
  });

  it('sums an index made before the counts were kept, once, when it opens', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'wr-index-')), 'i.sqlite');
    const before = new SegmentIndex(file);
    before.insert({ cameraId: 'cam-a', runId: 'r', path: 'a/0.ts', startMs: 0, endMs: 4_000, bytes: 10, sha256: 'x', repaired: false, ledgerOffset: null });
    before.close();
    const db = new Database(file);
    db.exec('DROP TABLE camera_bytes; DROP TRIGGER camera_bytes_insert; DROP TRIGGER camera_bytes_delete; DROP TRIGGER camera_bytes_update');
    db.prepare("INSERT INTO segments (camera_id, run_id, path, start_ms, end_ms, bytes, sha256) VALUES ('cam-b', 'r', 'b/0.ts', 0, 4000, 7, 'x')").run();
    db.close();
    expect(new SegmentIndex(file).bytesByCamera()).toEqual(new Map([['cam-a', 10], ['cam-b', 7]]));
  });
});
