/**
 * Retention against a clock set forward: a real core, real SQLite, real files (written in the
 * store's layout; no camera needed), the wall and monotonic clocks injected so they can disagree.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestHost } from '../fixtures/test-host.js';
import { applyRetention } from '../../electron/core/recording/retention.js';
import { closedSegmentPath } from '../../electron/core/recording/recording-store.js';
import type { SegmentIndex } from '../../electron/core/recording/segment-index.js';

const DAY = 86_400_000;
// Years before the real clock, so that a pass on the real clock would delete everything.
const T = Date.UTC(2024, 0, 1);
const policy = { maxAgeDays: 31, maxTotalBytes: 1e12, maxBytesPerCamera: null };

/** One 4-second segment a day for `days` days up to `end`, as files and rows. */
function footage(index: SegmentIndex, root: string, end: number, days: number): string[] {
  const paths: string[] = [];
  for (let d = days; d >= 0; d--) {
    const startMs = end - d * DAY - 4_000;
    const path = closedSegmentPath('cam-a', startMs, startMs + 4_000);
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), 'footage');
    index.insert({ cameraId: 'cam-a', runId: 'r', path, startMs, endMs: startMs + 4_000, bytes: 7, sha256: 'x', repaired: false, ledgerOffset: null });
    paths.push(path);
  }
  return paths;
}

const left = (index: SegmentIndex) => index.segments('cam-a', 0, 8e12).map((s) => s.path);
const audited = (dataDir: string, action: string) =>
  readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; details: Record<string, number> }).filter((e) => e.action === action);

describe('retention and the clock', () => {
  it('a clock set 40 days forward while the app runs deletes nothing retention would keep, and the jump is audited once', async () => {
    const clocks = { wallMs: T, monotonicMs: 0 };
    const h = await startTestHost({ clocks: { wall: () => clocks.wallMs, monotonic: () => clocks.monotonicMs }, retentionIntervalMs: 3_600_000 });
    await h.core.ready; // its retention pass is the clock's first reading
    const index = h.core.recordings.index;
    const paths = footage(index, h.core.recordings.root, T, 45);
    // What retention keeps at the true time, a minute after start: the last 31 days.
    const kept = paths.filter((p) => index.byPath(p)!.endMs >= T + 60_000 - 31 * DAY);
    expect(kept.length).toBeLessThan(paths.length);

    clocks.monotonicMs += 60_000;
    clocks.wallMs += 40 * DAY;
    await h.core.applyRetention();
    expect(left(index)).toEqual(kept);
    const [jump, ...more] = audited(h.dataDir, 'clock.jump');
    expect(jump!.details).toEqual({ wallMs: T + 40 * DAY, trustedMs: T + 60_000, jumpMs: 40 * DAY - 60_000 });

    clocks.monotonicMs += 60_000;
    clocks.wallMs += 60_000;
    await h.core.applyRetention();
    expect(left(index)).toEqual(kept);
    expect(more).toEqual([]);
    expect(audited(h.dataDir, 'clock.jump')).toHaveLength(1);
    await h.close();
  });

  it('at start, with no monotonic reference yet, a clock 40 days ahead of all footage deletes nothing retention would keep', async () => {
    const h = await startTestHost();
    await h.core.ready;
    const index = h.core.recordings.index;
    const paths = footage(index, h.core.recordings.root, T, 45);
    const kept = paths.filter((p) => index.byPath(p)!.endMs >= T - 31 * DAY);
    await applyRetention(index, h.core.recordings.root, policy, T + 40 * DAY, () => undefined);
    expect(left(index)).toEqual(kept);
    await h.close();
  });
});
