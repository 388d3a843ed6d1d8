/**
 * Capture hashes batched per camera per minute (audit/capture-proof.ts says what is proven). A
 * committed segment's row waits in the index as an open capture; its camera's minute is sealed, as
 * ONE `recording.minute` entry with the Merkle root of its segments, when:
 *  - a segment of a later minute commits (the recorder has moved on),
 *  - the minute has been over for SEAL_AFTER_MS (a camera that stopped delivering),
 *  - the camera's run ends, or recording stops,
 *  - an export or a deletion needs one of its segments (sealed early: a minute may then have
 *    several entries, each the root of the segments it names),
 *  - at start, for rows a crash left open, once their files hash as recorded (marked afterRestart).
 * The open rows live in the index, not in memory, so a crash loses no leaf, and whoever holds the
 * index and the ledger seals the same way. Sealing is synchronous: it cannot interleave with a commit.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MINUTE_MS, minuteLeafDetails, minuteName, minuteOf, segmentLeaf, type MinuteDetails } from '../audit/capture-proof.js';
import { inclusionPath, treeHash } from '../audit/merkle-tree.js';
import { sha256File } from './file-hash.js';
import type { AuditAction } from '../../../shared/audit-actions.js';
import type { LedgerRef } from '../audit/audit-ledger.js';
import type { SegmentIndex, SegmentRow } from './segment-index.js';

/** Appends to the ledger; returns nothing only where a caller keeps no ledger (some tests). */
type Audit = (action: AuditAction, subject: string, details: Record<string, unknown>) => LedgerRef | void;

/** How long after its minute ended a minute is sealed even if its camera delivers nothing more. */
export const SEAL_AFTER_MS = 15_000;

/** Seals the open minutes of one camera (all cameras when none is named); returns how many entries were written. */
export function sealOpenMinutes(index: SegmentIndex, audit: Audit, cameraId?: string, opts: { keepMinute?: number; afterRestart?: boolean; endedBefore?: number } = {}): number {
  let entries = 0;
  for (const [camera, minutes] of byCameraAndMinute(index.openCaptures(cameraId))) {
    for (const [minute, rows] of minutes) {
      if (minute === opts.keepMinute || (opts.endedBefore !== undefined && minute + MINUTE_MS > opts.endedBefore)) continue;
      sealMinute(index, audit, camera, minute, rows, opts.afterRestart ?? false);
      entries++;
    }
  }
  return entries;
}

/** Seals the open minutes holding any of these segments (an export or a deletion needs their proof now). */
export function sealMinutesOf(index: SegmentIndex, audit: Audit, segments: readonly SegmentRow[]): void {
  for (const cameraId of new Set(segments.filter((s) => s.captureOpen).map((s) => s.cameraId))) sealOpenMinutes(index, audit, cameraId);
}

function sealMinute(index: SegmentIndex, audit: Audit, cameraId: string, minute: number, rows: readonly SegmentRow[], afterRestart: boolean): void {
  const leaves = rows.map(segmentLeaf);
  const details: MinuteDetails = { minute: minuteName(minute), count: rows.length, root: treeHash(leaves).toString('hex'), paths: rows.map((r) => r.path), ...minuteLeafDetails(rows), ...(afterRestart ? { afterRestart: true as const } : {}) };
  // Ledger first, as for a single segment: a row then never points at an entry that is not there.
  const entry = audit('recording.minute', cameraId, { ...details });
  if (!entry) return index.closeUnproven(rows.map((r) => r.id));
  index.sealCaptures(rows.map((r, i) => ({ id: r.id, proof: { leafIndex: i, treeSize: rows.length, auditPath: inclusionPath(leaves, i).map((h) => h.toString('hex')) } })), entry.offset);
}

function byCameraAndMinute(rows: readonly SegmentRow[]): Map<string, Map<number, SegmentRow[]>> {
  const out = new Map<string, Map<number, SegmentRow[]>>();
  for (const r of rows) {
    const minutes = out.get(r.cameraId) ?? new Map<number, SegmentRow[]>();
    out.set(r.cameraId, minutes);
    minutes.set(minuteOf(r.endMs), [...(minutes.get(minuteOf(r.endMs)) ?? []), r]);
  }
  return out;
}

/**
 * At start, before anything records: the minutes a crash left open. A leaf is sealed only if its file
 * still hashes and measures as recorded; one that changed or went is closed unproven (an export then
 * refuses it) and named. Returns the paths that changed.
 */
export async function sealAfterRestart(index: SegmentIndex, audit: Audit, root: string): Promise<string[]> {
  const changed: string[] = [];
  const unproven: number[] = [];
  for (const row of index.openCaptures()) {
    const file = join(root, row.path);
    const found = await Promise.all([sha256File(file), stat(file)]).catch(() => null);
    if (found && found[0] === row.sha256 && found[1].size === row.bytes) continue;
    unproven.push(row.id);
    changed.push(row.path);
  }
  index.closeUnproven(unproven);
  sealOpenMinutes(index, audit, undefined, { afterRestart: true });
  return changed;
}
