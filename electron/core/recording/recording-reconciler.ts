/**
 * On start, makes the index and the disk agree: runs left by a crash are committed or salvaged,
 * segment files without a row are indexed (their hash checked against the one the audit log holds
 * from capture), rows without a file are marked missing. Returns what it did so the app can say so.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingCheck } from '../../../shared/api.js';
import type { Logger } from '../logger.js';
import { sha256File } from './file-hash.js';
import { parseClosedName, type Audit, type RecordingStore } from './recording-store.js';
import type { SegmentIndex } from './segment-index.js';

/** What reconciliation did; the API hands the same record to the renderer. */
export type ReconcileReport = RecordingCheck;

export async function reconcileRecordings(
  store: RecordingStore,
  index: SegmentIndex,
  captureHashes: (paths: ReadonlySet<string>) => Promise<Map<string, { sha256: string; offset: number }>>,
  audit: Audit,
  logger: Logger,
): Promise<ReconcileReport> {
  const report: ReconcileReport = { committed: 0, repaired: 0, removed: 0, indexed: 0, missing: 0, hashMismatches: [] };
  /** Files on disk without a row: indexed after one pass over the ledger for their capture hashes. */
  const unindexed: Array<{ cameraId: string; path: string; range: { startMs: number; endMs: number } }> = [];
  for (const cameraId of await store.cameraDirs()) {
    for (const runId of await store.leftoverRuns(cameraId)) {
      const counts = await store.completeRun(cameraId, runId);
      report.committed += counts.committed;
      report.repaired += counts.repaired;
      report.removed += counts.removed;
    }
    const cameraDir = join(store.root, cameraId);
    for (const day of (await readdir(cameraDir, { withFileTypes: true })).filter((d) => d.isDirectory() && /^\d{4}-\d{2}-\d{2}$/.test(d.name))) {
      for (const name of await readdir(join(cameraDir, day.name))) {
        const range = parseClosedName(name);
        const path = join(cameraId, day.name, name);
        if (!range) continue;
        const row = index.byPath(path);
        if (!row) unindexed.push({ cameraId, path, range });
        else if (row.missing) index.setMissing(row.id, false);
      }
    }
  }
  const captured = unindexed.length ? await captureHashes(new Set(unindexed.map((u) => u.path))) : new Map<string, { sha256: string; offset: number }>();
  for (const { cameraId, path, range } of unindexed) {
    const file = join(store.root, path);
    const sha256 = await sha256File(file);
    const atCapture = captured.get(path);
    if (atCapture !== undefined && atCapture.sha256 !== sha256) report.hashMismatches.push(path);
    const { size } = await stat(file);
    index.insert({ cameraId, runId: 'disk', path, startMs: range.startMs, endMs: range.endMs, bytes: size, sha256, repaired: true, ledgerOffset: atCapture?.offset ?? null });
    report.indexed++;
  }
  for (const row of index.all()) {
    if (!row.missing && !existsSync(join(store.root, row.path))) {
      index.setMissing(row.id, true);
      report.missing++;
    }
  }
  const changed = report.committed + report.repaired + report.removed + report.indexed + report.missing + report.hashMismatches.length;
  if (changed > 0) {
    logger.log(report.hashMismatches.length ? 'error' : 'warn', 'recording.reconciled', { ...report });
    audit('recording.reconciled', 'recordings', { ...report });
  }
  return report;
}
