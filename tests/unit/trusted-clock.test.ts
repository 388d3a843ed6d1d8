import { describe, expect, it } from 'vitest';
import { TrustedClock, type ClockJump } from '../../electron/core/recording/trusted-clock.js';

const DAY = 86_400_000;

function clocks(wall = Date.UTC(2026, 11, 1), monotonic = 1_000) {
  const c = { wall, monotonic, jumps: [] as ClockJump[] };
  const clock = new TrustedClock((j) => c.jumps.push(j), { wall: () => c.wall, monotonic: () => c.monotonic }, 60_000);
  const pass = (ms: number, wallMs = ms) => {
    c.monotonic += ms;
    c.wall += wallMs;
    return clock.now();
  };
  return { c, clock, pass };
}

describe('TrustedClock', () => {
  it('is the wall clock while wall and monotonic time agree, NTP slewing included', () => {
    const { c, clock, pass } = clocks();
    expect(clock.now()).toBe(c.wall);
    expect(pass(60_000)).toBe(c.wall);
    expect(pass(60_000, 60_000 + 30_000)).toBe(c.wall);
    expect(c.jumps).toEqual([]);
  });

  it('does not follow a jump forward: reports it once and goes on at the monotonic rate', () => {
    const { c, clock, pass } = clocks();
    const start = clock.now();
    expect(pass(60_000, 40 * DAY)).toBe(start + 60_000);
    expect(c.jumps).toEqual([{ wallMs: start + 40 * DAY, trustedMs: start + 60_000, jumpMs: 40 * DAY - 60_000 }]);
    expect(pass(60_000)).toBe(start + 120_000);
    expect(pass(DAY)).toBe(start + 120_000 + DAY);
    expect(c.jumps).toHaveLength(1);
    // A second jump is reported on its own.
    expect(pass(60_000, 2 * DAY)).toBe(start + 180_000 + DAY);
    expect(c.jumps).toHaveLength(2);
  });

  it('follows a jump back, which only makes retention keep more', () => {
    const { c, clock, pass } = clocks();
    const start = clock.now();
    expect(pass(60_000, -3 * DAY)).toBe(start - 3 * DAY);
    expect(c.jumps).toEqual([]);
  });
});
