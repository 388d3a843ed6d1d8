/**
 * Bounded retention, enforced by default: segments older than the age limit go, then the oldest go
 * until every camera is under its quota and all cameras under the total. Segments under an evidence
 * lock are never deleted. Every deletion is audited with the segment's hash.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SegmentIndex, SegmentRow } from './segment-index.js';

export interface RetentionPolicy {
  maxAgeDays: number;
  maxTotalBytes: number;
  /** null: only the total applies. */
  maxBytesPerCamera: number | null;
}

/** 200 GB is written as disks are labelled and as the settings dialog shows it. */
export const DEFAULT_RETENTION: RetentionPolicy = { maxAgeDays: 31, maxTotalBytes: 200e9, maxBytesPerCamera: null };

const BATCH = 200;

export async function applyRetention(index: SegmentIndex, root: string, policy: RetentionPolicy, now: number, audit: (action: string, subject: string, details: Record<string, unknown>) => void): Promise<{ deleted: number; freedBytes: number }> {
  const result = { deleted: 0, freedBytes: 0 };
  const remove = async (s: SegmentRow, reason: string) => {
    await rm(join(root, s.path), { force: true });
    index.delete(s.id);
    audit('segment.deleted', s.cameraId, { path: s.path, sha256: s.sha256, startMs: s.startMs, endMs: s.endMs, bytes: s.bytes, reason });
    result.deleted++;
    result.freedBytes += s.bytes;
  };

  const cutoff = now - policy.maxAgeDays * 86_400_000;
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
  return result;
}
