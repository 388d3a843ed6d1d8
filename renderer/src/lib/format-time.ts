/**
 * The one way Watchroom writes a time for a person: 24-hour local time with the date,
 * `2026-12-01 14:05:09`, whatever the browser's locale. Where evidence is concerned (an export's
 * span, a package's times) UTC is written as well, because the package itself speaks UTC.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-12-01 14:05:09` in local time; `14:05:09` without the date. */
export function formatLocalTime(ms: number, withDate = true): string {
  const d = new Date(ms);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withDate ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}` : time;
}

/** `2026-12-01 13:05:09 UTC`. */
export function formatUtcTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** For evidence: `2026-12-01 14:05:09 (2026-12-01 13:05:09 UTC)`. Takes ms or an ISO string (a manifest's times). */
export function formatEvidenceTime(time: number | string): string {
  const ms = typeof time === 'number' ? time : Date.parse(time);
  return Number.isFinite(ms) ? `${formatLocalTime(ms)} (${formatUtcTime(ms)})` : String(time);
}

/** A recording clock's drift from real time (recorded minus real, ms) in words: "17 s behind real time". */
export function formatClockDrift(offsetMs: number): string {
  return `${formatDriftSeconds(offsetMs)} ${offsetMs < 0 ? 'behind' : 'ahead of'} real time`;
}

/** The size of a drift: "17 s", "1.5 s". */
export function formatDriftSeconds(offsetMs: number): string {
  const seconds = Math.abs(offsetMs) / 1000;
  return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
}
