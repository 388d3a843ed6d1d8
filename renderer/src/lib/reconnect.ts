/**
 * The renderer's one reconnect loop (the event feed's socket, each live player's socket): after a drop,
 * the next attempt waits out the shared backoff curve, 0.5 s doubling to 5 s, so a host that restarts
 * is found again within seconds without a tight loop while it is down. One attempt is pending at most.
 */
import { backoffDelay } from '../../../shared/backoff.js';

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5_000;

export class Reconnect {
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly attempt: () => void) {}

  /** An attempt is waiting for its turn. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** The connection dropped or could not be made: try again after the backoff. */
  later(): void {
    if (this.timer !== undefined) return;
    this.failures++;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.attempt();
    }, backoffDelay(this.failures, FIRST_DELAY_MS, MAX_DELAY_MS));
  }

  /** The connection works: the next drop starts the curve from the beginning. */
  succeeded(): void {
    this.failures = 0;
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.failures = 0;
  }
}
