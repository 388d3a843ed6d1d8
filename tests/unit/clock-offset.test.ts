import { describe, expect, it } from 'vitest';
import { clockOffset } from '../../electron/core/recording/segment-recorder.js';

describe('clockOffset', () => {
  it('is how far a recorded end lies outside the window in which its segment closed', () => {
    const listed = 100_000;
    const read = 100_900;
    expect(clockOffset(100_044, listed, read)).toBe(0);
    expect(clockOffset(83_000, listed, read)).toBe(-17_000);
    expect(clockOffset(103_900, listed, read)).toBe(3_000);
  });

  it('reads a steady clock as steady when the file system keeps whole seconds only', () => {
    // Listed at 100.7 s, its mtime says 100 s: the end is inside the wider window, not 0.7 s fast.
    expect(clockOffset(100_700, 100_000, 101_200)).toBe(0);
  });
});
