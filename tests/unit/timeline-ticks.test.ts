/** The timeline's labels fall on round local times chosen for the window, in any time zone. */
import { afterEach, describe, expect, it } from 'vitest';
import { tickStep, timelineTicks } from '../../renderer/src/playback/timeline-ticks.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const original = process.env.TZ;
afterEach(() => {
  process.env.TZ = original;
  if (original === undefined) delete process.env.TZ;
});

/** Ticks over a window ending at a local time, in a zone. */
function ticksIn(zone: string, end: [number, number, number, number, number, number], spanMs: number, maxTicks = 8) {
  process.env.TZ = zone;
  const toMs = new Date(end[0], end[1] - 1, end[2], end[3], end[4], end[5]).getTime();
  return timelineTicks(toMs - spanMs, toMs, maxTicks);
}

describe('timeline ticks', () => {
  it('chooses the smallest round step that fits the ticks there is room for', () => {
    expect(tickStep(10 * MINUTE, 8)).toBe(2 * MINUTE);
    expect(tickStep(HOUR, 8)).toBe(10 * MINUTE);
    expect(tickStep(HOUR, 4)).toBe(15 * MINUTE);
    expect(tickStep(24 * HOUR, 8)).toBe(3 * HOUR);
    expect(tickStep(24 * HOUR, 30)).toBe(HOUR);
    expect(tickStep(90_000, 10)).toBe(10_000);
  });

  it('labels an hour ending at 14:56:27 at 14:00, 14:10…, never at the odd second the window starts', () => {
    expect(ticksIn('Europe/Berlin', [2026, 12, 1, 14, 56, 27], HOUR).map((t) => t.label)).toEqual(['14:00', '14:10', '14:20', '14:30', '14:40', '14:50']);
    expect(ticksIn('Europe/Berlin', [2026, 12, 1, 14, 56, 27], 10 * MINUTE).map((t) => t.label)).toEqual(['14:48', '14:50', '14:52', '14:54', '14:56']);
  });

  it('stays on round local times in zones a half or quarter hour off UTC', () => {
    for (const zone of ['Asia/Kolkata', 'America/St_Johns', 'Asia/Kathmandu', 'UTC']) {
      const ticks = ticksIn(zone, [2026, 12, 1, 14, 56, 27], HOUR);
      expect(ticks.map((t) => t.label), zone).toEqual(['14:00', '14:10', '14:20', '14:30', '14:40', '14:50']);
      expect(ticks.every((t) => new Date(t.ms).getMinutes() % 10 === 0 && new Date(t.ms).getSeconds() === 0), zone).toBe(true);
    }
  });

  it('names the date at midnight over a day, and seconds only when the step is under a minute', () => {
    const day = ticksIn('Europe/Berlin', [2026, 12, 2, 10, 20, 0], 24 * HOUR).map((t) => t.label);
    expect(day).toEqual(['12:00', '15:00', '18:00', '21:00', '2026-12-02', '03:00', '06:00', '09:00']);
    expect(ticksIn('UTC', [2026, 12, 1, 14, 1, 31], 60_000, 6).map((t) => t.label)).toEqual(['14:00:40', '14:00:50', '14:01:00', '14:01:10', '14:01:20', '14:01:30']);
  });

  it('leaves out the hour the clocks skip, and keeps the rest round', () => {
    // London, 29 March 2026: 01:00 GMT becomes 02:00 BST, so there is no 01:00 that night.
    const ticks = ticksIn('Europe/London', [2026, 3, 29, 6, 0, 0], 6 * HOUR, 6);
    expect(ticks.map((t) => t.label)).toEqual(['23:00', '2026-03-29', '02:00', '03:00', '04:00', '05:00', '06:00']);
    expect(ticks[2]!.ms - ticks[1]!.ms).toBe(HOUR);
  });
});
