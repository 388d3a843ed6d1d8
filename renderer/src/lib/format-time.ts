/** Times are shown in local time (with the date when asked); exports use UTC. */
export function formatLocalTime(ms: number, withDate = true): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withDate ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}` : time;
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

/** A time as `<input type="datetime-local" step="1">` shows it: local, to the second. */
export function toLocalInput(ms: number): string {
  return formatLocalTime(ms).replace(' ', 'T');
}

/** What a datetime-local input holds, as ms since epoch (it is local time); null when incomplete. */
export function fromLocalInput(value: string): number | null {
  const ms = value ? new Date(value).getTime() : NaN;
  return Number.isFinite(ms) ? ms : null;
}
