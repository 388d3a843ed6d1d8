/** Small tiles take the sub-stream; big, maximised and single tiles the main stream. */
import { describe, expect, it } from 'vitest';
import { LAYOUTS } from '../../shared/layouts.js';
import { tileStream } from '../../renderer/src/wall/tile-stream.js';

describe('tileStream', () => {
  it('uses the sub-stream on 3×3 and 4×4, the main stream on 1 and 2×2', () => {
    expect(tileStream(LAYOUTS['3x3'], 4, false, true)).toBe('sub');
    expect(tileStream(LAYOUTS['4x4'], 15, false, true)).toBe('sub');
    expect(tileStream(LAYOUTS['2x2'], 0, false, true)).toBe('main');
    expect(tileStream(LAYOUTS['1'], 0, false, true)).toBe('main');
  });

  it('gives the big tile of 1+5 and 1+7 the main stream and the small ones the sub-stream', () => {
    expect(tileStream(LAYOUTS['1+5'], 0, false, true)).toBe('main');
    expect(tileStream(LAYOUTS['1+5'], 3, false, true)).toBe('sub');
    expect(tileStream(LAYOUTS['1+7'], 0, false, true)).toBe('main');
    expect(tileStream(LAYOUTS['1+7'], 7, false, true)).toBe('sub');
  });

  it('a maximised tile, or a camera without a sub-stream, is always on the main stream', () => {
    expect(tileStream(LAYOUTS['4x4'], 5, true, true)).toBe('main');
    expect(tileStream(LAYOUTS['4x4'], 5, false, false)).toBe('main');
  });
});
