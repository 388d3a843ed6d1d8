import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay } from '../../shared/backoff.js';
import { Reconnect } from '../../renderer/src/lib/reconnect.js';

describe('backoffDelay', () => {
  it('doubles from 1 s and caps at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50, 5000].map((n) => backoffDelay(n))).toEqual([0, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  });
  it('honours custom bounds', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 100, 300))).toEqual([100, 200, 300, 300]);
  });
});

describe('Reconnect (the renderer’s reconnect loop), on a fake clock', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** How long each of `drops` drops in a row waited before its attempt. */
  function waits(reconnect: Reconnect, attempts: () => number, drops: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < drops; i++) {
      const before = attempts();
      reconnect.later();
      let waited = 0;
      while (attempts() === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      out.push(waited);
    }
    return out;
  }

  it('waits 0.5 s doubling to 5 s between attempts, and starts over after a success', () => {
    let attempts = 0;
    const reconnect = new Reconnect(() => attempts++);
    expect(waits(reconnect, () => attempts, 6)).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    reconnect.succeeded();
    expect(waits(reconnect, () => attempts, 2)).toEqual([500, 1000]);
  });

  it('keeps one attempt pending however often the link drops meanwhile, and a cancelled one never runs', () => {
    let attempts = 0;
    const reconnect = new Reconnect(() => attempts++);
    reconnect.later();
    reconnect.later();
    expect(reconnect.pending).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(attempts).toBe(1);
    reconnect.later();
    reconnect.cancel();
    vi.advanceTimersByTime(60_000);
    expect([attempts, reconnect.pending]).toEqual([1, false]);
  });
});
