import { describe, expect, it } from 'vitest';
import { playerSecondsAt, wallMsAt } from '../../renderer/src/playback/time-mapping.js';

const ranges = [
  { startMs: 10_000, endMs: 20_000 },
  { startMs: 50_000, endMs: 54_000 },
];

describe('recorded time mapping', () => {
  it('lays the ranges end to end, skipping gaps', () => {
    expect(playerSecondsAt(ranges, 15_000)).toBe(5);
    expect(playerSecondsAt(ranges, 52_000)).toBe(12);
    expect(wallMsAt(ranges, 12)).toBe(52_000);
    expect(wallMsAt(ranges, 5)).toBe(15_000);
  });
  it('maps a time in a gap to the next recording, and knows when there is none', () => {
    expect(playerSecondsAt(ranges, 30_000)).toBe(10);
    expect(playerSecondsAt(ranges, 5_000)).toBe(0);
    expect(playerSecondsAt([], 5_000)).toBeNull();
    expect(wallMsAt(ranges, 100)).toBeNull();
  });
});
