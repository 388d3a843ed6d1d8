/**
 * Where the timeline's time labels go: at round steps of local time chosen for the window (every
 * 2 min over 10 min, every 10 min over an hour, every 3 h over a day), so they read 14:00, 14:10…,
 * never 13:56:27. A tick at midnight is labelled with its date, so a day change shows.
 */
import { formatLocalTime } from '../lib/format-time.js';

export interface Tick {
  ms: number;
  label: string;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [1, 2, 5, 10, 15, 30].map((s) => s * SECOND).concat([1, 2, 5, 10, 15, 30].map((m) => m * MINUTE), [1, 2, 3, 6, 12, 24].map((h) => h * HOUR));

/** The smallest round step that puts at most `maxTicks` ticks in the window. */
export function tickStep(spanMs: number, maxTicks: number): number {
  return STEPS.find((step) => spanMs / step <= maxTicks) ?? Math.ceil(spanMs / maxTicks / DAY) * DAY;
}

/** Ticks in [fromMs, toMs] at round local times; `maxTicks` follows from the width there is. */
export function timelineTicks(fromMs: number, toMs: number, maxTicks: number): Tick[] {
  const step = tickStep(toMs - fromMs, Math.max(1, maxTicks));
  const ticks: Tick[] = [];
  // Counted in local time (the zone's offset taken away), so steps land on round local times even in
  // zones a half or quarter hour off UTC; a tick that lands in a clock change's gap is left out.
  for (let local = Math.ceil(localMs(fromMs) / step) * step; ; local += step) {
    const ms = local + offsetMs(local + offsetMs(local));
    if (ms > toMs) break;
    if (ms < fromMs || localMs(ms) !== local || ticks.at(-1)?.ms === ms) continue;
    ticks.push({ ms, label: label(ms, local, step) });
  }
  return ticks;
}

/** The zone's offset behind UTC at `ms` (what is added to local time to get UTC). */
const offsetMs = (ms: number) => new Date(ms).getTimezoneOffset() * MINUTE;
const localMs = (ms: number) => ms - offsetMs(ms);

function label(ms: number, local: number, step: number): string {
  const [date, time] = formatLocalTime(ms).split(' ') as [string, string];
  if (local % DAY === 0) return date;
  return step < MINUTE ? time : time.slice(0, 5);
}
