/**
 * Slows password guessing. Per account name: after three failures in a row, each further attempt
 * must wait twice as long as the last (1 s, 2 s, 4 s … at most a minute); a success clears it. Over
 * all names together: after 30 failures in a minute, every sign-in waits for the oldest of them to
 * age out, so a local process trying name after name cannot keep scrypt busy or flood the ledger.
 * Kept in memory: a restart forgives, the ledger remembers every failure.
 */
const FREE_FAILURES = 3;
const MAX_WAIT_MS = 60_000;
const GLOBAL_FAILURES = 30;
const GLOBAL_WINDOW_MS = 60_000;
/** Names whose last failure is older than this are forgotten (the map stays small). */
const FORGET_AFTER_MS = 3_600_000;

export class SignInThrottle {
  private readonly failures = new Map<string, { count: number; lastMs: number }>();
  /** When the latest failures happened, oldest first (at most GLOBAL_FAILURES). */
  private readonly recent: number[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** ms until `name` may try again (0: now). */
  waitMs(name: string): number {
    return Math.max(this.nameWaitMs(name), this.globalWaitMs());
  }

  failed(name: string): number {
    const now = this.now();
    const count = (this.failures.get(name)?.count ?? 0) + 1;
    this.failures.set(name, { count, lastMs: now });
    this.recent.push(now);
    if (this.recent.length > GLOBAL_FAILURES) this.recent.shift();
    if (this.failures.size > 1_000) for (const [n, f] of this.failures) if (now - f.lastMs > FORGET_AFTER_MS) this.failures.delete(n);
    return count;
  }

  succeeded(name: string): void {
    this.failures.delete(name);
  }

  private nameWaitMs(name: string): number {
    const f = this.failures.get(name);
    if (!f || f.count < FREE_FAILURES) return 0;
    const wait = Math.min(MAX_WAIT_MS, 1000 * 2 ** (f.count - FREE_FAILURES));
    return Math.max(0, f.lastMs + wait - this.now());
  }

  private globalWaitMs(): number {
    if (this.recent.length < GLOBAL_FAILURES) return 0;
    return Math.max(0, this.recent[0]! + GLOBAL_WINDOW_MS - this.now());
  }
}
