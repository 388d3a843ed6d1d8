/**
 * Slows password guessing per account name: after three failures in a row, each further attempt
 * must wait twice as long as the last (1 s, 2 s, 4 s … at most a minute). A success clears it.
 * Kept in memory: a restart forgives, the ledger remembers every failure.
 */
const FREE_FAILURES = 3;
const MAX_WAIT_MS = 60_000;

export class SignInThrottle {
  private readonly failures = new Map<string, { count: number; lastMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** ms until `name` may try again (0: now). */
  waitMs(name: string): number {
    const f = this.failures.get(name);
    if (!f || f.count < FREE_FAILURES) return 0;
    const wait = Math.min(MAX_WAIT_MS, 1000 * 2 ** (f.count - FREE_FAILURES));
    return Math.max(0, f.lastMs + wait - this.now());
  }

  failed(name: string): number {
    const count = (this.failures.get(name)?.count ?? 0) + 1;
    this.failures.set(name, { count, lastMs: this.now() });
    return count;
  }

  succeeded(name: string): void {
    this.failures.delete(name);
  }
}
