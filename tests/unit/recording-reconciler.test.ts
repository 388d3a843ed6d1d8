/**
 * Reconciliation against real files and a real SQLite index (no camera: files are written by hand in
 * the store's layout). Crash leftovers with a real camera are covered in tests/integration/recording.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaptureEntry } from '../../electron/core/audit/capture-proof.js';
import { reconcileRecordings } from '../../electron/core/recording/recording-reconciler.js';
import { closedSegmentPath, RecordingStore, type Audit } from '../../electron/core/recording/recording-store.js';
import { SegmentIndex } from '../../electron/core/recording/segment-index.js';

const DAY = 86_400_000;
const DAY0 = Date.UTC(2026, 10, 1);
const quiet = { log: () => undefined };
const noLedger = async () => new Map<string, CaptureEntry>();

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'wr-reconcile-'));
  const root = join(dir, 'recordings');
  const index = new SegmentIndex(join(dir, 'i.sqlite'));
  const audited: string[] = [];
  const audit = (action: string) => {
    audited.push(action);
    return { offset: 0 } as ReturnType<Audit>;
  };
  const store = new RecordingStore({ root, index, audit, logger: quiet });
  /** A segment file on disk (and its row, unless `row` is false). */
  const segment = (cameraId: string, startMs: number, { file = true, row = true } = {}) => {
    const path = closedSegmentPath(cameraId, startMs, startMs + 4_000);
    const bytes = Buffer.from(`footage ${path}`);
    if (file) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), bytes);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (row) index.insert({ cameraId, runId: 'r', path, startMs, endMs: startMs + 4_000, bytes: bytes.length, sha256, repaired: false, ledgerOffset: null });
    return { path, sha256 };
  };
  return { dir, root, index, store, audit, audited, segment };
}

describe('reconciliation at start', () => {
  it('compares each day folder with its rows: new files indexed, rows without a file marked missing, returned files unmarked', async () => {
    const { dir, root, index, store, audit, audited, segment } = setup();
    const kept = segment('cam-a', DAY0 + 1_000);
    const unindexed = segment('cam-a', DAY0 + 5_000, { row: false });
    const lost = segment('cam-a', DAY0 + 9_000, { file: false });
    // A whole day folder gone, and a camera folder gone: their rows are still checked.
    const lostDay = segment('cam-a', DAY0 + 3 * DAY, { file: false });
    const lostCamera = segment('cam-gone', DAY0 + 2 * DAY, { file: false });
    const back = segment('cam-b', DAY0 + DAY);
    index.setMissing(index.byPath(back.path)!.id, true);

    const report = await reconcileRecordings(store, index, noLedger, audit, quiet);

    expect(report).toMatchObject({ indexed: 1, missing: 3, hashMismatches: [] });
    const row = (p: string) => index.byPath(p)!;
    expect(row(unindexed.path)).toMatchObject({ cameraId: 'cam-a', runId: 'disk', sha256: unindexed.sha256, repaired: true, missing: false });
    expect([lost, lostDay, lostCamera].map((s) => row(s.path).missing)).toEqual([true, true, true]);
    expect([kept, back].map((s) => row(s.path).missing)).toEqual([false, false]);
    expect(audited).toContain('recording.reconciled');
    expect(existsSync(join(root, kept.path))).toBe(true);

    // A second start finds nothing to do.
    expect(await reconcileRecordings(store, index, noLedger, audit, quiet)).toMatchObject({ indexed: 0, missing: 0 });
    index.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the index a day at a time, never the whole of it at once', async () => {
    const { dir, index, store, audit, segment } = setup();
    const perDay = 30;
    for (let d = 0; d < 10; d++) for (let i = 0; i < perDay; i++) segment(d % 2 ? 'cam-a' : 'cam-b', DAY0 + d * DAY + i * 4_000, { file: d < 5 });
    // Counts the rows each call on the index hands out, whether as an array or one by one.
    let most = 0;
    const counted = new Proxy(index, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          if (Array.isArray(result)) most = Math.max(most, result.length);
          else if (result && typeof result === 'object' && Symbol.iterator in result && typeof result !== 'string') {
            return (function* () {
              let n = 0;
              for (const item of result as Iterable<unknown>) {
                most = Math.max(most, ++n);
                yield item;
              }
            })();
          }
          return result;
        };
      },
    });

    const report = await reconcileRecordings(store, counted, noLedger, audit, quiet);

    expect(report.missing).toBe(5 * perDay);
    expect(most).toBeLessThanOrEqual(perDay);
    index.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('neither re-indexes nor marks missing a segment that a recording camera commits while its day is compared', async () => {
    const { dir, root, index, store, audit, segment } = setup();
    segment('cam-a', DAY0);
    let fresh: { path: string } | null = null;
    // The camera commits (file renamed into place, then its row) right after the day's rows are read.
    const racing = new Proxy(index, {
      get(target, key) {
        if (key !== 'filesStartingIn') return (Reflect.get(target, key) as (...a: unknown[]) => unknown).bind(target);
        return function* (...args: [string, number, number]) {
          yield* target.filesStartingIn(...args);
          fresh ??= segment('cam-a', DAY0 + 60_000);
        };
      },
    });

    const report = await reconcileRecordings(store, racing, noLedger, audit, quiet);

    expect(fresh).not.toBeNull();
    expect(report).toMatchObject({ indexed: 0, missing: 0 });
    expect(index.byPath(fresh!.path)).toMatchObject({ runId: 'r', missing: false });
    expect(existsSync(join(root, fresh!.path))).toBe(true);
    index.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
