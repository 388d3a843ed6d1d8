import { describe, expect, it } from 'vitest';
import { SignInThrottle } from '../../electron/core/people/sign-in-throttle.js';

describe('sign-in throttle', () => {
  it('lets three failures through, then doubles the wait after each further one up to a minute, and forgets on success', () => {
    let now = 0;
    const throttle = new SignInThrottle(() => now);
    for (let i = 0; i < 3; i++) {
      expect(throttle.waitMs('olive')).toBe(0);
      throttle.failed('olive');
    }
    expect(throttle.waitMs('olive')).toBe(1_000);
    expect(throttle.waitMs('ivy')).toBe(0); // per name
    now += 1_000;
    expect(throttle.waitMs('olive')).toBe(0);
    const waits = [];
    for (let i = 0; i < 8; i++) {
      throttle.failed('olive');
      waits.push(throttle.waitMs('olive'));
      now += waits.at(-1)!;
    }
    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    throttle.succeeded('olive');
    expect(throttle.waitMs('olive')).toBe(0);
  });

  it('holds every sign-in after thirty failures in a minute across all names, until the oldest ages out', () => {
    let now = 0;
    const throttle = new SignInThrottle(() => now);
    for (let i = 0; i < 30; i++) {
      expect(throttle.waitMs(`name-${i}`)).toBe(0);
      throttle.failed(`name-${i}`);
      now += 1_000;
    }
    expect(throttle.waitMs('someone-else')).toBe(30_000);
    now += 30_000;
    expect(throttle.waitMs('someone-else')).toBe(0);
  });
});
