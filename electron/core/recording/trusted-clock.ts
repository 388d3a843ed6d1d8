/**
 * The "now" retention ages footage by. The wall clock can be set forward (by hand, a bad NTP server,
 * a dead RTC battery); one retention pass would then delete everything it takes for old. So the wall
 * clock is checked against the monotonic clock between readings: while they agree (within a
 * tolerance, for NTP slewing) the wall time is used; when the wall clock moved further than monotonic
 * time elapsed, the jump is reported once and not followed: time goes on from the last trusted
 * reading at the monotonic rate. A jump back is followed (it only makes retention keep more).
 *
 * Time the machine spent suspended counts as a jump (the monotonic clock stops): retention then
 * lags by the suspension, which errs on keeping footage.
 */
export interface Clocks {
  /** Wall time, ms since the epoch. */
  wall: () => number;
  /** Monotonic ms since an arbitrary origin. */
  monotonic: () => number;
}

export interface ClockJump {
  wallMs: number;
  trustedMs: number;
  /** How far the wall clock moved beyond monotonic time elapsed. */
  jumpMs: number;
}

export const SYSTEM_CLOCKS: Clocks = { wall: Date.now, monotonic: () => performance.now() };
/** Larger than NTP's slewing between two retention passes, far smaller than any age limit. */
export const JUMP_TOLERANCE_MS = 5 * 60_000;

export class TrustedClock {
  private last: { wallMs: number; monotonicMs: number; trustedMs: number } | null = null;

  constructor(
    private readonly onJump: (jump: ClockJump) => void,
    private readonly clocks: Clocks = SYSTEM_CLOCKS,
    private readonly toleranceMs = JUMP_TOLERANCE_MS,
  ) {}

  now(): number {
    const wallMs = this.clocks.wall();
    const monotonicMs = this.clocks.monotonic();
    const last = this.last;
    let trustedMs = wallMs;
    if (last) {
      const elapsed = monotonicMs - last.monotonicMs;
      const moved = wallMs - last.wallMs;
      const jumpMs = moved - elapsed;
      trustedMs = Math.min(wallMs, last.trustedMs + (jumpMs > this.toleranceMs ? elapsed : moved));
      if (jumpMs > this.toleranceMs) this.onJump({ wallMs, trustedMs, jumpMs });
    }
    this.last = { wallMs, monotonicMs, trustedMs };
    return trustedMs;
  }
}
