import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DisposableMap, DisposableStore, interval, timeout, toDisposable } from '../../electron/core/disposables.js';

describe('disposables, on a fake clock', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a store releases every timer and resource it holds at once', () => {
    const fired: string[] = [];
    const store = new DisposableStore();
    store.add(timeout(() => fired.push('timeout'), 1_000));
    store.add(interval(() => fired.push('tick'), 300));
    store.add(toDisposable(() => fired.push('released')));
    vi.advanceTimersByTime(700);
    store.dispose();
    vi.advanceTimersByTime(10_000);
    expect(fired).toEqual(['tick', 'tick', 'released']);
  });

  it('a map re-arms a named timer: setting a key cancels the one it held, deleting it cancels it', () => {
    const fired: string[] = [];
    const timers = new DisposableMap<string>();
    timers.set('retry', timeout(() => fired.push('first'), 1_000));
    timers.set('retry', timeout(() => fired.push('second'), 2_000));
    timers.set('grace', timeout(() => fired.push('grace'), 500));
    timers.delete('grace');
    vi.advanceTimersByTime(10_000);
    expect(fired).toEqual(['second']);
  });
});
