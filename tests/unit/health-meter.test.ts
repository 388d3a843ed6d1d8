import { describe, expect, it } from 'vitest';
import { HealthMeter } from '../../electron/core/streams/health-meter.js';

describe('HealthMeter', () => {
  it('gives the rate over the last 2 s, however many frames that window holds', () => {
    const meter = new HealthMeter();
    // 25 fps of 4,000-byte frames for 10 s, then 300 fps of 1,000-byte frames (more than its ring holds) for 3 s.
    let t = 0;
    for (; t < 10_000; t += 40) meter.record(t, 4_000, 1);
    expect(meter.snapshot(true, t)).toEqual({ fps: 25, kbps: 800, lastFrameAt: t - 40 });
    for (const end = t + 3_000; t < end; t += 10 / 3) meter.record(t, 1_000, 1);
    const fast = meter.snapshot(true, t);
    expect(fast.fps).toBeCloseTo(300, -1);
    expect(fast.kbps).toBeCloseTo(2_400, -2);
    // Quiet since: nothing is left in the window, and a stream that is not flowing shows no rate at all.
    expect(meter.snapshot(true, t + 2_500)).toMatchObject({ fps: 0, kbps: 0 });
    expect(meter.snapshot(false, t)).toMatchObject({ fps: 0, kbps: 0 });
  });
});
