/**
 * Capture hashes batched per camera per minute, on a real ledger, a real SQLite index and real files
 * (written by hand in incoming/, as ffmpeg would): what is sealed when, what a crash leaves, and what
 * start-up proves again. Recording with a real camera: tests/integration/recording.test.ts.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/api.js';
import { AuditLedger } from '../../electron/core/audit/audit-ledger.js';
import { checkInclusion, findCaptureEntries, segmentLeaf } from '../../electron/core/audit/capture-proof.js';
import { treeHash } from '../../electron/core/audit/merkle-tree.js';
import { sealMinutesOf, sealOpenMinutes } from '../../electron/core/recording/minute-batches.js';
import { applyRetention } from '../../electron/core/recording/retention.js';
import { fileLeftoverRuns, reconcileRecordings } from '../../electron/core/recording/recording-reconciler.js';
import { RecordingStore, type Audit } from '../../electron/core/recording/recording-store.js';
import { SegmentIndex } from '../../electron/core/recording/segment-index.js';

const MINUTE0 = Date.UTC(2026, 11, 2, 7, 13);
const quiet = { log: () => undefined };

function setup(dir = mkdtempSync(join(tmpdir(), 'wr-minutes-'))) {
  const root = join(dir, 'recordings');
  const ledger = new AuditLedger(join(dir, 'audit.jsonl'));
  const index = new SegmentIndex(join(dir, 'index.sqlite'));
  const audit: Audit = (action, subject, details) => ledger.append('system', action, subject, details);
  const store = new RecordingStore({ root, index, audit, logger: quiet });
  let n = 0;
  /** One closed segment of `cameraId` from startMs for 4 s, committed as the recorder does. */
  const commit = async (cameraId: string, startMs: number, said: { repaired?: boolean; clockOffsetMs?: number | null } = {}) => {
    const file = `rrun-${String(n++).padStart(5, '0')}.ts`;
    mkdirSync(store.incomingDir(cameraId), { recursive: true });
    writeFileSync(join(store.incomingDir(cameraId), file), `footage ${cameraId} ${startMs}`);
    return store.commit(cameraId, 'run', file, startMs, startMs + 4_000, said.repaired ?? false, said.clockOffsetMs ?? null);
  };
  const minutes = () => ledger.list(1_000).filter((e) => e.action === 'recording.minute');
  const close = () => {
    index.close();
    ledger.close();
  };
  return { dir, root, ledger, index, audit, store, commit, minutes, close };
}

/** Each row's proof leads from its record to the root of the entry it points at. */
function expectProven(ledger: AuditLedger, index: SegmentIndex, path: string): AuditEntry {
  const row = index.byPath(path)!;
  expect(row.captureOpen, path).toBe(false);
  expect(row.proof, path).not.toBeNull();
  const entry = ledger.readAt(row.ledgerOffset!)!;
  expect(checkInclusion(row, row.proof!, entry), path).toBeNull();
  return entry;
}

describe('capture hashes batched per camera per minute', () => {
  it('writes one recording.minute per camera and minute, sealed when a later minute begins or the run ends, each segment proven by its path', async () => {
    const { ledger, index, store, commit, minutes, close } = setup();
    const a = [await commit('cam-a', MINUTE0 + 40_000), await commit('cam-a', MINUTE0 + 44_000), await commit('cam-a', MINUTE0 + 48_000)];
    const b = await commit('cam-b', MINUTE0 + 50_000);
    expect(minutes(), 'nothing sealed while the minute is open').toEqual([]);
    expect(index.byPath(a[0]!.path)).toMatchObject({ captureOpen: true, ledgerOffset: null, proof: null });

    // cam-a's next segment ends in the next minute: its first minute is sealed, cam-b's is not.
    const next = await commit('cam-a', MINUTE0 + 56_000);
    expect(minutes()).toHaveLength(1);
    const first = minutes()[0]!;
    expect(first).toMatchObject({ actor: 'system', subject: 'cam-a', details: { minute: '2026-12-02T07:13Z', count: 3, paths: a.map((s) => s.path) } });
    expect(first.details!.root).toBe(treeHash(a.map(segmentLeaf)).toString('hex'));
    for (const s of a) expect(expectProven(ledger, index, s.path).seq).toBe(first.seq);
    expect(index.byPath(next.path)!.captureOpen).toBe(true);

    store.sealMinutes('cam-a');
    store.sealMinutes('cam-b');
    expect(minutes().map((e) => [e.subject, e.details!.minute, e.details!.count])).toEqual([['cam-a', '2026-12-02T07:13Z', 3], ['cam-a', '2026-12-02T07:14Z', 1], ['cam-b', '2026-12-02T07:13Z', 1]]);
    for (const s of [next, b]) expectProven(ledger, index, s.path);
    expect(ledger.list(1_000).some((e) => e.action === 'segment.closed')).toBe(false);
    close();
  });

  it('records in the minute each leaf’s clock drift and which leaves were closed by salvage, and proves a row only as recorded', async () => {
    const { ledger, index, store, commit, minutes, close } = setup();
    const a = [await commit('cam-a', MINUTE0 + 10_000, { clockOffsetMs: 0 }), await commit('cam-a', MINUTE0 + 14_000, { clockOffsetMs: 1_500 }), await commit('cam-a', MINUTE0 + 18_000, { repaired: true })];
    store.sealMinutes('cam-a');
    expect(minutes()[0]!.details).toMatchObject({ clockOffsetsMs: [0, 1_500, null], repaired: [2] });
    for (const s of a) expectProven(ledger, index, s.path);
    const entry = minutes()[0]!;
    const row = index.byPath(a[1]!.path)!;
    expect(checkInclusion({ ...row, clockOffsetMs: 0 }, row.proof!, entry)).toMatchObject({ code: 'details-differ' });
    expect(checkInclusion({ ...row, repaired: true }, row.proof!, entry)).toMatchObject({ code: 'details-differ' });
    // A minute sealed before it recorded these says nothing of them: only its leaves are checked.
    const { clockOffsetsMs: _o, repaired: _r, ...older } = entry.details!;
    expect(checkInclusion({ ...row, clockOffsetMs: 0 }, row.proof!, { ...entry, details: older })).toBeNull();
    close();
  });

  it('seals only minutes over for a while when asked by the clock, and a minute sealed early takes a second entry', async () => {
    const { index, audit, commit, minutes, close } = setup();
    await commit('cam-a', MINUTE0 + 10_000);
    expect(sealOpenMinutes(index, audit, undefined, { endedBefore: MINUTE0 + 60_000 - 1 })).toBe(0);
    expect(sealOpenMinutes(index, audit, undefined, { endedBefore: MINUTE0 + 60_000 })).toBe(1);
    const late = await commit('cam-a', MINUTE0 + 20_000);
    sealOpenMinutes(index, audit, 'cam-a');
    expect(minutes().map((e) => [e.details!.minute, e.details!.paths])).toEqual([['2026-12-02T07:13Z', [index.all()[0]!.path]], ['2026-12-02T07:13Z', [late.path]]]);
    close();
  });

  it('seals early the open minute of a segment an export or a deletion needs, and only its camera’s', async () => {
    const { ledger, index, audit, root, commit, minutes, close } = setup();
    const needed = await commit('cam-a', MINUTE0 + 10_000);
    const other = await commit('cam-b', MINUTE0 + 10_000);
    sealMinutesOf(index, audit, [index.byPath(needed.path)!]);
    expect(minutes().map((e) => e.subject)).toEqual(['cam-a']);
    expectProven(ledger, index, needed.path);
    expect(index.byPath(other.path)!.captureOpen).toBe(true);

    // Retention deleting a segment of an open minute enters its capture before its deletion.
    await applyRetention(index, root, { maxAgeDays: 31, maxTotalBytes: 1, maxBytesPerCamera: null }, MINUTE0 + 60_000, audit, { fraction: 0, bytes: 0 });
    const actions = ledger.list(1_000).map((e) => `${e.action} ${e.subject}`);
    expect(actions.indexOf('recording.minute cam-b')).toBeGreaterThan(-1);
    expect(actions.indexOf('recording.minute cam-b')).toBeLessThan(actions.indexOf('segment.deleted cam-b'));
    close();
  });

  it('after a crash, seals the open minutes whose files still hash as recorded (afterRestart) and leaves a changed one unproven', async () => {
    const { dir, root, commit, close } = setup();
    const kept = await commit('cam-a', MINUTE0 + 10_000);
    const changed = await commit('cam-a', MINUTE0 + 14_000);
    close(); // the process dies: nothing sealed
    writeFileSync(join(root, changed.path), 'other footage');

    const again = setup(dir);
    const leftovers = await fileLeftoverRuns(again.store);
    expect(leftovers.hashMismatches).toEqual([changed.path]);
    const [entry] = again.minutes();
    expect(entry).toMatchObject({ subject: 'cam-a', details: { count: 1, paths: [kept.path], afterRestart: true } });
    expectProven(again.ledger, again.index, kept.path);
    expect(again.index.byPath(changed.path)).toMatchObject({ captureOpen: false, ledgerOffset: null, proof: null });
    // Sealed once: the next commit does not take the changed one in.
    await again.commit('cam-a', MINUTE0 + 70_000);
    again.store.sealMinutes('cam-a');
    expect(again.minutes().at(-1)!.details!.count).toBe(1);
    again.close();
  });

  it('re-indexes lost rows proven by their minute’s root recomputed, and names footage that no longer gives it', async () => {
    const { dir, root, store, commit, close } = setup();
    // What the minute says of each leaf besides its hash comes back with it: a found file knows none of it.
    const said = [{ clockOffsetMs: 0 }, { clockOffsetMs: -1_250 }, { clockOffsetMs: null, repaired: true }];
    const segs = [await commit('cam-a', MINUTE0 + 10_000, said[0]), await commit('cam-a', MINUTE0 + 14_000, said[1]), await commit('cam-a', MINUTE0 + 18_000, said[2])];
    store.sealMinutes('cam-a');
    const other = [await commit('cam-b', MINUTE0 + 10_000), await commit('cam-b', MINUTE0 + 14_000)];
    store.sealMinutes('cam-b');
    close();
    writeFileSync(join(root, other[1]!.path), 'swapped footage');
    // The index is lost: a new, empty one.
    const lost = join(dir, 'index.sqlite');
    for (const suffix of ['', '-wal', '-shm']) writeFileSync(`${lost}${suffix}`, '');

    const again = setup(dir);
    const report = await reconcileRecordings(again.store, again.index, (paths) => findCaptureEntries(again.ledger.entries(), paths, () => true), again.audit, quiet);
    expect(report.indexed).toBe(5);
    expect(report.hashMismatches.sort()).toEqual(other.map((s) => s.path).sort());
    for (const s of segs) expectProven(again.ledger, again.index, s.path);
    expect(segs.map((s) => again.index.byPath(s.path)).map((r) => [r!.clockOffsetMs, r!.repaired])).toEqual([[0, false], [-1_250, false], [null, true]]);
    for (const s of other) expect(again.index.byPath(s.path)).toMatchObject({ ledgerOffset: null, proof: null });
    again.close();
  });

  it('keeps proving segments of older ledgers by their own segment.closed entry', async () => {
    const { dir, root, ledger, close } = setup();
    const path = 'cam-a/2026-12-02/1796195600000-1796195604000.ts';
    mkdirSync(join(root, 'cam-a', '2026-12-02'), { recursive: true });
    writeFileSync(join(root, path), 'old footage');
    const sha256 = createHash('sha256').update('old footage').digest('hex');
    const closed = ledger.append('system', 'segment.closed', 'cam-a', { path, sha256, startMs: 1796195600000, endMs: 1796195604000, bytes: 11 });
    close();
    const again = setup(dir);
    const report = await reconcileRecordings(again.store, again.index, (paths) => findCaptureEntries(again.ledger.entries(), paths, () => true), again.audit, quiet);
    expect(report).toMatchObject({ indexed: 1, hashMismatches: [] });
    expect(again.index.byPath(path)).toMatchObject({ ledgerOffset: closed.offset, proof: null });
    again.close();
  });

  it('migrates an index made before minute batches: its rows keep their segment.closed offsets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wr-minutes-old-'));
    const file = join(dir, 'index.sqlite');
    const db = new Database(file);
    db.exec(`CREATE TABLE segments (id INTEGER PRIMARY KEY, camera_id TEXT NOT NULL, run_id TEXT NOT NULL, path TEXT NOT NULL UNIQUE, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL,
      bytes INTEGER NOT NULL, sha256 TEXT NOT NULL, missing INTEGER NOT NULL DEFAULT 0, repaired INTEGER NOT NULL DEFAULT 0, gap_before INTEGER NOT NULL DEFAULT 1, ledger_offset INTEGER, clock_offset_ms INTEGER);
      INSERT INTO segments (camera_id, run_id, path, start_ms, end_ms, bytes, sha256, ledger_offset) VALUES ('cam-a', 'r', 'cam-a/x.ts', 0, 4000, 10, 'aa', 1234);`);
    db.close();
    const index = new SegmentIndex(file);
    expect(index.byPath('cam-a/x.ts')).toMatchObject({ ledgerOffset: 1234, proof: null, captureOpen: false });
    expect(index.openCaptures()).toEqual([]);
    index.close();
    expect(readFileSync(file).length).toBeGreaterThan(0);
  });
});
