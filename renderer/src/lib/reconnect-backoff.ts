const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5_000;

/**
 * How long to wait before the next reconnect after `failures` consecutive failures: 0.5 s doubling to
 * 5 s, so a host that restarts is found again within seconds without a tight loop while it is down.
 */
export function reconnectDelayMs(failures: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, failures));
}
