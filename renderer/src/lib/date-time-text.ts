/**
 * Typed times, read the way Watchroom writes them (`2026-12-01 14:05:09`, 24-hour local time) and
 * never the browser's locale: Chromium's own date inputs show US 12-hour times and cut off AM/PM.
 * Shorter forms a person would type are read too: without seconds (14:05), a time alone (today),
 * and, where a whole day makes sense (search filters), a date alone. Times are written back with
 * formatLocalTime, so a shown time can be typed in again as it is.
 */
export const DATE_TIME_PLACEHOLDER = 'YYYY-MM-DD HH:MM:SS';
export const DATE_PLACEHOLDER = 'YYYY-MM-DD [HH:MM]';

export type ParsedTime =
  /** `wholeDay` when only a date was written: `ms` is that day's first moment. */
  | { ok: true; ms: number; wholeDay: boolean }
  | { ok: false; error: string };

const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

const refuse = (error: string): ParsedTime => ({ ok: false, error });

/**
 * `text` as ms since the epoch (local time). `now` names today for a time written alone; a date
 * alone is read only with `dateOnly` (its first moment, `wholeDay` set).
 */
export function parseDateTime(text: string, { now = Date.now(), dateOnly = false }: { now?: number; dateOnly?: boolean } = {}): ParsedTime {
  const shape = dateOnly ? 'Write the date as 2026-12-01, or a moment as 2026-12-01 14:05:09.' : 'Write the time as 2026-12-01 14:05:09.';
  const parts = text.trim().split(/[\sT]+/).filter(Boolean);
  if (parts.length === 0 || parts.length > 2) return refuse(shape);
  const [dateText, timeText] = parts.length === 2 ? parts : DATE.test(parts[0]!) ? [parts[0], undefined] : [undefined, parts[0]];
  const today = new Date(now);
  const date = dateText === undefined ? [dateText, today.getFullYear(), today.getMonth() + 1, today.getDate()] : DATE.exec(dateText);
  const time = timeText === undefined ? null : TIME.exec(timeText);
  if (!date || (timeText !== undefined && !time)) return refuse(shape);
  if (!time && !dateOnly) return refuse(`A date needs its time of day. ${shape}`);
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  const [hours, minutes, seconds] = time ? [Number(time[1]), Number(time[2]), Number(time[3] ?? 0)] : [0, 0, 0];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return refuse(`${dateText} is not a day in the calendar. ${shape}`);
  if (hours > 23 || minutes > 59 || seconds > 59) return refuse(`The time of day runs from 00:00:00 to 23:59:59. ${shape}`);
  const ms = localMoment(year, month, day, hours, minutes, seconds);
  // A time skipped when the clocks went forward does not exist here: Date would quietly move it (by 30 minutes in some zones).
  const read = new Date(ms);
  if (read.getHours() !== hours || read.getMinutes() !== minutes) return refuse('That time did not exist here: the clocks went forward then.');
  return { ok: true, ms, wholeDay: !time };
}

/** Local time as written: the Date constructor would take a year before 100 for one in the 1900s. */
function localMoment(year: number, month: number, day: number, hours: number, minutes: number, seconds: number): number {
  const d = new Date(2000, 0, 1);
  d.setFullYear(year, month - 1, day);
  return d.setHours(hours, minutes, seconds, 0);
}

const daysIn = (year: number, month: number) => new Date(localMoment(year, month + 1, 0, 12, 0, 0)).getDate();

