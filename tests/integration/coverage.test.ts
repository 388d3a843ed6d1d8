/**
 * The directory's coverage of cameras by recorders (recorders/coverage.ts) on a real PostgreSQL (a
 * throw-away cluster) and a recorder's real segment index (SQLite): rounds that grow a stretch, a
 * break that starts a new one, retention trimming the past, a recorder that restarts carrying on
 * from the directory's rows, a camera with nothing new left alone, and a workstation's view across
 * two recorders.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Directory } from '../../electron/core/directory/directory.js';
import { openPostgresDirectory } from '../../electron/core/directory/postgres-directory.js';
import type { Logger } from '../../electron/core/logger.js';
import { CoverageReporter } from '../../electron/core/recorders/coverage.js';
import { SegmentIndex } from '../../electron/core/recording/segment-index.js';
import { startTestPostgres, type TestPostgres } from '../fixtures/postgres.js';

const logger: Logger = { log: () => undefined };
const T0 = Date.UTC(2026, 11, 2, 9);
const SEGMENT_MS = 6_000;

let cluster: TestPostgres;
let url: string;
let directory: Directory;
const folders: string[] = [];

beforeAll(async () => {
  cluster = await startTestPostgres();
  url = await cluster.createDatabase();
  directory = openPostgresDirectory(url, logger);
  await directory.ready;
});

afterAll(async () => {
  await directory?.close();
  await cluster?.stop();
  folders.forEach((f) => rmSync(f, { recursive: true, force: true }));
});

/** A recorder's segment index, with `record` adding back-to-back segments of a camera. */
function recorderIndex() {
  const dir = mkdtempSync(join(tmpdir(), 'watchroom-coverage-'));
  folders.push(dir);
  const index = new SegmentIndex(join(dir, 'index.sqlite'));
  let n = 0;
  const record = (cameraId: string, fromMs: number, segments: number) => {
    for (let i = 0; i < segments; i++) {
      const startMs = fromMs + i * SEGMENT_MS;
      index.insert({ cameraId, runId: 'run', path: `${cameraId}/${n++}.ts`, startMs, endMs: startMs + SEGMENT_MS, bytes: 1, sha256: 'x', repaired: false, ledgerOffset: null });
    }
  };
  return { index, record };
}

const reporter = (recorderId: string, index: SegmentIndex) => new CoverageReporter({ table: directory.site!.coverage, recorderId, index, everyMs: 60_000, logger });
const rows = (recorderId: string) =>
  cluster.query<{ camera_id: string; start_ms: string; end_ms: string }>(url, 'SELECT camera_id, start_ms, end_ms FROM coverage WHERE recorder_id = $1 ORDER BY camera_id, start_ms', [recorderId]).then((r) =>
    r.map((x) => [x.camera_id, Number(x.start_ms) - T0, Number(x.end_ms) - T0]),
  );

describe('coverage of cameras by recorders', () => {
  it('grows a stretch round by round, starts another after a break, and forgets what retention deleted', async () => {
    const { index, record } = recorderIndex();
    const rec = reporter('rec-a', index);
    record('gate', T0, 3); // 0–18 s
    record('yard', T0, 1); // 0–6 s
    await rec.report(T0 + 60_000);
    expect(await rows('rec-a')).toEqual([['gate', 0, 18_000], ['yard', 0, 6_000]]);

    record('gate', T0 + 18_000, 2); // on to 30 s: the same stretch
    record('gate', T0 + 40_000, 1); // a 10-s break, then 40–46 s
    await rec.report(T0 + 60_000);
    expect(await rows('rec-a')).toEqual([['gate', 0, 30_000], ['gate', 40_000, 46_000], ['yard', 0, 6_000]]);

    // Retention deletes gate's first 24 s: the first stretch now starts where the footage does.
    for (const s of index.segments('gate', T0, T0 + 24_000)) index.delete(s.id);
    await rec.report(T0 + 60_000);
    expect(await rows('rec-a')).toEqual([['gate', 24_000, 30_000], ['gate', 40_000, 46_000], ['yard', 0, 6_000]]);
    expect(await directory.site!.coverage.ranges('gate', T0, T0 + 60_000)).toEqual([
      { startMs: T0 + 24_000, endMs: T0 + 30_000 },
      { startMs: T0 + 40_000, endMs: T0 + 46_000 },
    ]);
  });

  it('writes nothing for a round with nothing new, and carries on after a restart from the directory’s rows', async () => {
    const { index, record } = recorderIndex();
    record('door', T0, 2); // 0–12 s
    const first = reporter('rec-b', index);
    await first.report(T0 + 60_000);
    // Nothing recorded since, nothing trimmed: the round does not touch the table (here it could not).
    await cluster.query(url, 'ALTER TABLE coverage RENAME TO coverage_away');
    await first.report(T0 + 60_000).finally(() => cluster.query(url, 'ALTER TABLE coverage_away RENAME TO coverage'));
    record('door', T0 + 12_000, 1); // the killed recorder's last seconds, found again at its start
    await reporter('rec-b', index).report(T0 + 60_000);
    expect(await rows('rec-b')).toEqual([['door', 0, 18_000]]);
  });

  it('shows a workstation one timeline across two recorders, with the hole between them, and who holds which part', async () => {
    const a = recorderIndex();
    const b = recorderIndex();
    a.record('lift', T0, 2); // 0–12 s on rec-c, which then dies
    b.record('lift', T0 + 20_000, 2); // 20–32 s on rec-d, which took over
    await reporter('rec-c', a.index).report(T0 + 60_000);
    await reporter('rec-d', b.index).report(T0 + 60_000);
    expect(await directory.site!.coverage.ranges('lift', T0, T0 + 60_000)).toEqual([
      { startMs: T0, endMs: T0 + 12_000 },
      { startMs: T0 + 20_000, endMs: T0 + 32_000 },
    ]);
    expect(await directory.site!.coverage.holders('lift', T0, T0 + 60_000)).toEqual(['rec-c', 'rec-d']);
    expect(await directory.site!.coverage.holders('lift', T0 + 13_000, T0 + 19_000)).toEqual([]);
  });

  it('loses nothing when a round cannot reach the directory: the next round writes what it missed', async () => {
    const { index, record } = recorderIndex();
    const rec = reporter('rec-e', index);
    record('bay', T0, 1);
    await rec.report(T0 + 60_000);
    record('bay', T0 + 6_000, 2);
    await cluster.query(url, 'ALTER TABLE coverage RENAME TO coverage_away');
    await expect(rec.report(T0 + 60_000)).rejects.toThrow();
    await cluster.query(url, 'ALTER TABLE coverage_away RENAME TO coverage');
    await rec.report(T0 + 60_000);
    expect(await rows('rec-e')).toEqual([['bay', 0, 18_000]]);
  });
});
