/**
 * The one backoff curve of every reconnect loop: `minMs`, doubling after each further failure, capped
 * at `maxMs`. Each loop picks its bounds (a camera 1 s → 30 s, the renderer's socket to its own host
 * 0.5 s → 5 s), so a source that comes back is found again soon without a tight loop while it is down.
 */
export const BACKOFF_MIN_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;

export function backoffDelay(failures: number, minMs = BACKOFF_MIN_MS, maxMs = BACKOFF_MAX_MS): number {
  if (failures <= 0) return 0;
  return Math.min(maxMs, minMs * 2 ** Math.min(failures - 1, 30));
}
