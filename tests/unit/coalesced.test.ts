import { describe, expect, it } from 'vitest';
import { coalesced } from '../../electron/core/coalesced.js';

describe('a coalesced reload', () => {
  it('runs once more after the run in flight however many ask meanwhile, and again for an ask after that', async () => {
    let runs = 0;
    const gates: Array<() => void> = [];
    const reload = coalesced(() => {
      runs++;
      return new Promise<void>((done) => gates.push(done));
    });
    const first = reload();
    for (let i = 0; i < 1000; i++) void reload();
    expect(runs).toBe(1);
    gates.shift()!();
    await first;
    await Promise.resolve();
    expect(runs).toBe(2); // the thousand asks made one more run
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(2);
    void reload();
    expect(runs).toBe(3);
    gates.shift()!();
  });
});
