/**
 * Bounded retention, enforced by default: segments older than the age limit go, then the oldest go
 * until every camera is under its quota and all cameras under the total, then until the disk has
 * its floor of free space. Segments under an evidence lock are never deleted. Every deletion is
 * audited with the segment's hash.
 */
import type { AuditAction } from '../../../shared/audit-actions.js';
import { rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { LedgerRef } from '../audit/audit-ledger.js';
import type { DeletedSegment } from './deletion-receipt.js';
import { sealMinutesOf } from './minute-batches.js';
import type { SegmentIndex, SegmentRow } from './segment-index.js';

export interface RetentionPolicy {
  maxAgeDays: number;
  maxTotalBytes: number;
  /** null: only the total applies. */
  maxBytesPerCamera: number | null;
}

/** 200 GB is written as disks are labelled and as the settings dialog shows it. */
export const DEFAULT_RETENTION: RetentionPolicy = { maxAgeDays: 31, maxTotalBytes: 200e9, maxBytesPerCamera: null };

/** Free space kept on the recordings disk whatever the quotas say: the larger of the two. */
export interface FreeSpaceFloor {
  fraction: number;
  bytes: number;
}

export const DEFAULT_FREE_SPACE_FLOOR: FreeSpaceFloor = { fraction: 0.05, bytes: 2e9 };

const BATCH = 200;

/** What one pass deleted, each segment with its ledger entry: the makings of its receipt. */
export interface RetentionResult {
  deleted: number;
  freedBytes: number;
  segments: DeletedSegment[];
}

/**
 * `now` should come from a TrustedClock, so a clock set forward while the app runs does not age
 * footage. At start there is no monotonic reference yet, hence the hold on the age limit below.
 */
export async function applyRetention(
  index: SegmentIndex,
  root: string,
  policy: RetentionPolicy,
  now: number,
  audit: (action: AuditAction, subject: string, details: Record<string, unknown>) => LedgerRef | void,
  floor: FreeSpaceFloor = DEFAULT_FREE_SPACE_FLOOR,
): Promise<RetentionResult> {
  const result: RetentionResult = { deleted: 0, freedBytes: 0, segments: [] };
  const remove = async (s: SegmentRow, reason: string) => {
    // Its capture enters the ledger before its deletion does: the receipt's hash is then the one recorded.
    sealMinutesOf(index, audit, [s]);
    await rm(join(root, s.path), { force: true });
    index.delete(s.id);
    const entry = audit('segment.deleted', s.cameraId, { path: s.path, sha256: s.sha256, startMs: s.startMs, endMs: s.endMs, bytes: s.bytes, reason });
    result.deleted++;
    result.freedBytes += s.bytes;
    result.segments.push({ cameraId: s.cameraId, path: s.path, sha256: s.sha256, startMs: s.startMs, endMs: s.endMs, bytes: s.bytes, reason, ledgerSeq: entry ? entry.seq : null });
  };

  const maxAgeMs = policy.maxAgeDays * 86_400_000;
  // A clock further ahead of the newest footage than the age limit would make one pass delete all
  // of it: either nothing was recorded for that long or the clock jumped (while the app was down, so
  // the TrustedClock could not see it); which, nothing here can tell. The age limit then counts back
  // from the newest footage instead. Deleting everything cannot be undone; keeping the newest
  // stretch a while longer can, and the quotas and the free-space floor still bound the disk.
  const newest = index.newestEnd();
  const cutoff = newest !== null && now - maxAgeMs > newest ? newest - maxAgeMs : now - maxAgeMs;
  for (;;) {
    const old = index.deletable(BATCH).filter((s) => s.endMs < cutoff);
    if (old.length === 0) break;
    for (const s of old) await remove(s, 'age');
  }

  if (policy.maxBytesPerCamera !== null) {
    for (const [cameraId, bytes] of index.bytesByCamera()) {
      let excess = bytes - policy.maxBytesPerCamera;
      while (excess > 0) {
        const batch = index.deletable(BATCH, cameraId);
        if (batch.length === 0) break;
        for (const s of batch) {
          if (excess <= 0) break;
          await remove(s, 'camera-quota');
          excess -= s.bytes;
        }
      }
    }
  }

  let excess = [...index.bytesByCamera().values()].reduce((a, b) => a + b, 0) - policy.maxTotalBytes;
  while (excess > 0) {
    const batch = index.deletable(BATCH);
    if (batch.length === 0) break;
    for (const s of batch) {
      if (excess <= 0) break;
      await remove(s, 'total-quota');
      excess -= s.bytes;
    }
  }

  // Deletes about the shortfall, then measures again. A round that frees nothing ends it: the space
  // is held by something else (other data, files still open), and deleting on would empty the disk
  // of footage without reaching the floor.
  for (let disk = await freeSpace(root, floor), before = -Infinity; disk.deficit > 0 && disk.free > before; before = disk.free, disk = await freeSpace(root, floor)) {
    const batch = index.deletable(BATCH);
    if (batch.length === 0) break;
    let deficit = disk.deficit;
    for (const s of batch) {
      if (deficit <= 0) break;
      await remove(s, 'free-space');
      if (!s.missing) deficit -= s.bytes;
    }
  }
  return result;
}

/** Free bytes on the recordings disk, and how many short of the floor (0 or less: enough). */
async function freeSpace(root: string, floor: FreeSpaceFloor): Promise<{ free: number; deficit: number }> {
  const disk = await statfs(root).catch(() => null);
  if (!disk) return { free: 0, deficit: 0 }; // no recordings folder yet: nothing to free
  const free = disk.bavail * disk.bsize;
  return { free, deficit: Math.max(floor.fraction * disk.blocks * disk.bsize, floor.bytes) - free };
}
