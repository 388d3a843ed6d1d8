/** Arrow keys move the selection to the neighbouring tile, in every layout. */
import { describe, expect, it } from 'vitest';
import { LAYOUTS } from '../../shared/layouts.js';
import { neighbour } from '../../renderer/src/wall/use-wall-keys.js';

describe('neighbour', () => {
  it('moves within a uniform grid and stops at its edges', () => {
    const g = LAYOUTS['3x3'];
    expect(neighbour(g, 4, 'ArrowRight')).toBe(5);
    expect(neighbour(g, 4, 'ArrowLeft')).toBe(3);
    expect(neighbour(g, 4, 'ArrowUp')).toBe(1);
    expect(neighbour(g, 4, 'ArrowDown')).toBe(7);
    expect(neighbour(g, 2, 'ArrowRight')).toBeNull();
    expect(neighbour(g, 0, 'ArrowUp')).toBeNull();
  });

  it('moves between the big tile of 1+5 and the small ones beside and below it', () => {
    const g = LAYOUTS['1+5']; // 0 big (2×2); 1,2 down the right; 3,4,5 along the bottom from the right
    expect(neighbour(g, 0, 'ArrowRight')).toBe(1);
    expect([4, 5]).toContain(neighbour(g, 0, 'ArrowDown')); // two small tiles below it, equally near
    expect(neighbour(g, 2, 'ArrowLeft')).toBe(0);
    expect(neighbour(g, 4, 'ArrowUp')).toBe(0);
    expect(neighbour(g, 5, 'ArrowRight')).toBe(4);
  });
});
