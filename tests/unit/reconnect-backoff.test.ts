import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../shared/backoff.js';

describe('backoffDelay', () => {
  it('doubles from 1 s and caps at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50, 5000].map((n) => backoffDelay(n))).toEqual([0, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  });
  it('honours custom bounds', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 100, 300))).toEqual([100, 200, 300, 300]);
  });
});
