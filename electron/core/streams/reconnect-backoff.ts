/** Exponential reconnect delays: 1 s, 2 s, 4 s … capped at 30 s. */
export const BACKOFF_MIN_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;

export function backoffDelay(failures: number, minMs = BACKOFF_MIN_MS, maxMs = BACKOFF_MAX_MS): number {
  if (failures <= 0) return 0;
  return Math.min(maxMs, minMs * 2 ** Math.min(failures - 1, 30));
}
