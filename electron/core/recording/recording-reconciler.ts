/**
 * On start, makes the index and the disk agree, in two steps:
 *
 * 1. fileLeftoverRuns, before any camera records: minutes a crash left open are sealed (their files
 *    hashed again first, minute-batches.ts), then runs left by a crash are committed or salvaged
 *    (a new run begun first would be taken for a leftover). A few files per camera: quick.
 * 2. reconcileRecordings, in the background while the wall is live and cameras record: each day
 *    folder is listed once and compared with that day's rows, read from the index one at a time, so
 *    memory stays that of one day however many months the index holds. Files without a row are
 *    indexed (proven against their capture entry where the ledger has one: a segment.closed's hash,
 *    or a minute's root recomputed), rows without a file are marked missing.
 *
 * Returns what it did so the app can say so.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { basename, dirname, join } from 'node:path';
import type { RecordingCheck } from '../../../shared/api.js';
import { leafDetailsOf, segmentLeaf, type CaptureEntry, type LeafSegment, type MinuteDetails } from '../audit/capture-proof.js';
import { inclusionPath, treeHash } from '../audit/merkle-tree.js';
import type { Logger } from '../logger.js';
import { sha256File } from './file-hash.js';
import { parseClosedName, type Audit, type RecordingStore } from './recording-store.js';
import type { NewSegment, SegmentIndex } from './segment-index.js';

/** What reconciliation did; the API hands the same record to the renderer. */
export type ReconcileReport = RecordingCheck;

type LeftoverCounts = Pick<ReconcileReport, 'committed' | 'repaired' | 'removed' | 'hashMismatches'>;

/** Files without a row are hashed and indexed this many at a time, one pass over the ledger each. */
const UNINDEXED_BATCH = 20_000;
const DAY_MS = 86_400_000;
const DAY_NAME = /^\d{4}-\d{2}-\d{2}$/;

export async function fileLeftoverRuns(store: RecordingStore): Promise<LeftoverCounts> {
  const counts: LeftoverCounts = { committed: 0, repaired: 0, removed: 0, hashMismatches: await store.sealAfterRestart() };
  for (const cameraId of await store.cameraDirs()) {
    for (const runId of await store.leftoverRuns(cameraId)) {
      const run = await store.completeRun(cameraId, runId);
      counts.committed += run.committed;
      counts.repaired += run.repaired;
      counts.removed += run.removed;
    }
  }
  return counts;
}

export async function reconcileRecordings(
  store: RecordingStore,
  index: SegmentIndex,
  captureEntries: (paths: ReadonlySet<string>) => Promise<Map<string, CaptureEntry>>,
  audit: Audit,
  logger: Logger,
  options: {
    /** What step 1 did, when the caller ran it already. */
    leftovers?: LeftoverCounts;
    /** Stops between day folders (the app is closing); what was done so far is reported. */
    signal?: AbortSignal;
  } = {},
): Promise<ReconcileReport> {
  const { leftovers, signal } = options;
  const filed = leftovers ?? (await fileLeftoverRuns(store));
  const report: ReconcileReport = { ...filed, indexed: 0, missing: 0, hashMismatches: [...filed.hashMismatches] };
  let unindexed: Array<{ cameraId: string; path: string; range: { startMs: number; endMs: number } }> = [];
  const indexUnindexed = async () => {
    const batch = unindexed;
    unindexed = [];
    const captured = await captureEntries(new Set(batch.map((u) => u.path)));
    const found: NewSegment[] = [];
    for (const { cameraId, path, range } of batch) {
      const file = join(store.root, path);
      const [sha256, { size }] = await Promise.all([sha256File(file), stat(file)]);
      found.push({ cameraId, runId: 'disk', path, startMs: range.startMs, endMs: range.endMs, bytes: size, sha256, repaired: true, ledgerOffset: null });
    }
    for (const seg of proveFound(found, captured, index, report.hashMismatches)) {
      // Committed by a camera recording meanwhile (it renames the file into place, then indexes it).
      if (index.byPath(seg.path)) continue;
      index.insert(seg);
      report.indexed++;
    }
  };

  const cameraIds = new Set([...(await store.cameraDirs()), ...index.cameraIds()]);
  for (const cameraId of [...cameraIds].sort()) {
    if (signal?.aborted) break;
    for (const day of await days(store, index, cameraId)) {
      if (signal?.aborted) break;
      const dayStart = Date.parse(day);
      const folder = join(cameraId, day);
      // Rows before the listing: a segment committed in between has its file in place already
      // (the store renames, then indexes), so a freshly recorded segment is never taken for missing.
      const rows = new Map<string, { id: number; missing: boolean }>();
      const returned: number[] = [];
      const gone: number[] = [];
      for (const { id, path, missing } of index.filesStartingIn(cameraId, dayStart, dayStart + DAY_MS)) {
        if (dirname(path) === folder) rows.set(basename(path), { id, missing });
        // Filed elsewhere than its start's day (the store never does so): checked on its own.
        else if (existsSync(join(store.root, path)) === missing) (missing ? returned : gone).push(id);
      }
      const dir = join(store.root, folder);
      for (const name of existsSync(dir) ? await readdir(dir) : []) {
        const range = parseClosedName(name);
        if (!range) continue;
        const row = rows.get(name);
        rows.delete(name);
        if (row?.missing) returned.push(row.id);
        else if (!row && !index.byPath(join(folder, name))) unindexed.push({ cameraId, path: join(folder, name), range });
      }
      for (const row of rows.values()) if (!row.missing) gone.push(row.id);
      index.setMissingMany(returned, false);
      report.missing += index.setMissingMany(gone, true);
      if (unindexed.length >= UNINDEXED_BATCH) await indexUnindexed();
      // One day's rows at a time on the event loop: the wall's streams are served between days (a
      // month of days with no folder would otherwise run as one block of seconds).
      await nextTurn();
    }
  }
  if (unindexed.length && !signal?.aborted) await indexUnindexed();

  const changed = report.committed + report.repaired + report.removed + report.indexed + report.missing + report.hashMismatches.length;
  if (changed > 0) {
    logger.log(report.hashMismatches.length ? 'error' : 'warn', 'recording.reconciled', { ...report });
    audit('recording.reconciled', 'recordings', { ...report });
  }
  return report;
}

/**
 * Files found without a row, each with the capture entry that proves it, where one does: a
 * segment.closed's hash matches, or the minute's root is recomputed from its leaves (rows the index
 * holds, files found here) and matches. A file that differs from its capture is named in `mismatches`
 * and indexed unproven; so is one whose minute cannot be recomputed (a leaf neither indexed nor found).
 */
function proveFound(found: readonly NewSegment[], captured: ReadonlyMap<string, CaptureEntry>, index: SegmentIndex, mismatches: string[]): NewSegment[] {
  const byPath = new Map(found.map((f) => [f.path, f]));
  const proven = new Map<string, Partial<NewSegment>>();
  const minutes = new Map<number, Extract<CaptureEntry, { kind: 'minute' }>>();
  for (const f of found) {
    const capture = captured.get(f.path);
    if (capture?.kind === 'segment') {
      if (capture.sha256 === f.sha256) proven.set(f.path, { ledgerOffset: capture.offset });
      else mismatches.push(f.path);
    } else if (capture?.kind === 'minute') minutes.set(capture.offset, capture);
  }
  for (const { entry, offset } of minutes.values()) {
    const d = entry.details as unknown as MinuteDetails;
    const leaves: LeafSegment[] = [];
    for (const path of d.paths) {
      const leaf = byPath.get(path) ?? index.byPath(path);
      if (leaf) leaves.push(leaf);
    }
    const mine = d.paths.filter((p) => byPath.has(p));
    if (leaves.length < d.paths.length) continue;
    const hashes = leaves.map(segmentLeaf);
    if (treeHash(hashes).toString('hex') !== d.root) {
      mismatches.push(...mine);
      continue;
    }
    // What the entry says of each leaf besides its hash is restored with it (a found file knows none of it).
    d.paths.forEach((path, i) => byPath.has(path) && proven.set(path, { ledgerOffset: offset, proof: { leafIndex: i, treeSize: d.paths.length, auditPath: inclusionPath(hashes, i).map((h) => h.toString('hex')) }, ...leafDetailsOf(d, i) }));
  }
  return found.map((f) => ({ ...f, ...proven.get(f.path) }));
}

/** The UTC days (YYYY-MM-DD) a camera has a folder or rows for, oldest first. */
async function days(store: RecordingStore, index: SegmentIndex, cameraId: string): Promise<string[]> {
  const cameraDir = join(store.root, cameraId);
  const found = new Set(existsSync(cameraDir) ? (await readdir(cameraDir, { withFileTypes: true })).filter((d) => d.isDirectory() && DAY_NAME.test(d.name)).map((d) => d.name) : []);
  for (let start = index.firstStartFrom(cameraId, Number.MIN_SAFE_INTEGER); start !== undefined; ) {
    const dayStart = Math.floor(start / DAY_MS) * DAY_MS;
    found.add(new Date(dayStart).toISOString().slice(0, 10));
    start = index.firstStartFrom(cameraId, dayStart + DAY_MS);
  }
  return [...found].sort();
}
