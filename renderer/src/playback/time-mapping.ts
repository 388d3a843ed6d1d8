/**
 * Wall-clock time <-> player time for a playlist over recorded ranges. The HLS playlist marks every gap
 * as a discontinuity, so the player's timeline is the ranges laid end to end.
 */
import type { RecordedRange } from '../../../shared/api.js';

/** Player seconds at a wall-clock time; a time in a gap maps to the start of the next range. */
export function playerSecondsAt(ranges: readonly RecordedRange[], wallMs: number): number | null {
  let offset = 0;
  for (const r of ranges) {
    if (wallMs < r.startMs) return offset / 1000;
    if (wallMs <= r.endMs) return (offset + wallMs - r.startMs) / 1000;
    offset += r.endMs - r.startMs;
  }
  return ranges.length ? offset / 1000 : null;
}

/** Wall-clock ms at a player time, or null past the end. */
export function wallMsAt(ranges: readonly RecordedRange[], playerSeconds: number): number | null {
  let remaining = playerSeconds * 1000;
  for (const r of ranges) {
    const length = r.endMs - r.startMs;
    if (remaining <= length) return r.startMs + remaining;
    remaining -= length;
  }
  return null;
}
