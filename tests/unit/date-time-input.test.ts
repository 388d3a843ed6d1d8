/** Typed times: one 24-hour form whatever the browser's locale, short forms a person types, refusals in sentences. */
import { describe, expect, it } from 'vitest';
import { parseDateTime } from '../../renderer/src/lib/date-time-text.js';
import { formatEvidenceTime, formatLocalTime, formatUtcTime } from '../../renderer/src/lib/format-time.js';

const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => new Date(y, mo - 1, d, h, mi, s).getTime();
const NOW = at(2026, 12, 1, 14, 30, 0);

describe('parseDateTime', () => {
  it('reads the form Watchroom writes, to the second, as local time', () => {
    expect(parseDateTime('2026-12-01 14:05:09', { now: NOW })).toEqual({ ok: true, ms: at(2026, 12, 1, 14, 5, 9), wholeDay: false });
    expect(parseDateTime('  2026-12-01   14:05:09 ')).toMatchObject({ ms: at(2026, 12, 1, 14, 5, 9) });
    expect(parseDateTime('2026-12-01T14:05:09')).toMatchObject({ ms: at(2026, 12, 1, 14, 5, 9) });
  });

  it('reads what formatLocalTime writes back to the same second', () => {
    const ms = at(2027, 3, 9, 23, 59, 58);
    expect(parseDateTime(formatLocalTime(ms))).toMatchObject({ ok: true, ms });
  });

  it('reads shorter forms: no seconds, single-digit parts, a time alone meaning today', () => {
    expect(parseDateTime('2026-12-01 14:05', { now: NOW })).toMatchObject({ ms: at(2026, 12, 1, 14, 5) });
    expect(parseDateTime('2026-2-3 9:05', { now: NOW })).toMatchObject({ ms: at(2026, 2, 3, 9, 5) });
    expect(parseDateTime('09:15', { now: NOW })).toMatchObject({ ok: true, ms: at(2026, 12, 1, 9, 15), wholeDay: false });
    expect(parseDateTime('9:15:30', { now: NOW })).toMatchObject({ ms: at(2026, 12, 1, 9, 15, 30) });
  });

  it('reads a date alone only where a whole day makes sense (filters), as that day’s first moment', () => {
    expect(parseDateTime('2026-12-01', { now: NOW, dateOnly: true })).toEqual({ ok: true, ms: at(2026, 12, 1), wholeDay: true });
    expect(parseDateTime('2026-12-01 14:05', { now: NOW, dateOnly: true })).toMatchObject({ ms: at(2026, 12, 1, 14, 5), wholeDay: false });
    expect(parseDateTime('2026-12-01', { now: NOW })).toEqual({ ok: false, error: 'A date needs its time of day. Write the time as 2026-12-01 14:05:09.' });
  });

  it('never reads US or 12-hour forms, and says how to write the time instead', () => {
    for (const text of ['12/01/2026 02:04:11 PM', '02:04:11 P', '2:04 pm', 'yesterday', '2026-12-01 14h05', '2026-12-01 14:05:09 extra', '14', '']) {
      expect(parseDateTime(text, { now: NOW }), text).toEqual({ ok: false, error: 'Write the time as 2026-12-01 14:05:09.' });
    }
    expect(parseDateTime('12/01/2026', { dateOnly: true })).toEqual({ ok: false, error: 'Write the date as 2026-12-01, or a moment as 2026-12-01 14:05:09.' });
  });

  it('refuses days and times that do not exist, in a sentence', () => {
    expect(parseDateTime('2026-02-29 10:00', { now: NOW })).toEqual({ ok: false, error: '2026-02-29 is not a day in the calendar. Write the time as 2026-12-01 14:05:09.' });
    expect(parseDateTime('2028-02-29 10:00')).toMatchObject({ ok: true }); // a leap year
    expect(parseDateTime('2026-13-01 10:00')).toMatchObject({ ok: false, error: expect.stringContaining('not a day in the calendar') });
    expect(parseDateTime('2026-12-01 24:00')).toMatchObject({ ok: false, error: expect.stringContaining('runs from 00:00:00 to 23:59:59') });
    expect(parseDateTime('2026-12-01 12:60')).toMatchObject({ ok: false });
    expect(parseDateTime('2026-12-01 12:30:60')).toMatchObject({ ok: false });
  });
});

describe('read as written, never a neighbouring moment', () => {
  it('a year before 100 is that year, not the 1900s', () => {
    const parsed = parseDateTime('0050-06-01 10:00');
    expect(parsed).toMatchObject({ ok: true });
    expect(new Date((parsed as { ms: number }).ms).getFullYear()).toBe(50);
    expect(parseDateTime('0000-02-29 10:00')).toMatchObject({ ok: true }); // year 0 is a leap year, 1900 was not
    expect(parseDateTime('10000-01-01 10:00')).toMatchObject({ ok: false });
  });

  it('refuses a skipped half hour where the clocks go forward by 30 minutes', () => {
    const before = process.env.TZ;
    process.env.TZ = 'Australia/Lord_Howe';
    try {
      expect(parseDateTime('2026-10-04 02:15')).toEqual({ ok: false, error: 'That time did not exist here: the clocks went forward then.' });
      expect(parseDateTime('2026-10-04 02:45')).toMatchObject({ ok: true });
    } finally {
      process.env.TZ = before;
      if (before === undefined) delete process.env.TZ;
    }
  });
});

describe('formatting times', () => {
  it('writes local time with the date, 24-hour, and UTC for evidence', () => {
    const ms = Date.UTC(2026, 11, 1, 13, 5, 9);
    expect(formatUtcTime(ms)).toBe('2026-12-01 13:05:09 UTC');
    expect(formatLocalTime(ms)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(formatLocalTime(at(2026, 12, 1, 14, 5, 9))).toBe('2026-12-01 14:05:09');
    expect(formatLocalTime(at(2026, 12, 1, 14, 5, 9), false)).toBe('14:05:09');
    expect(formatEvidenceTime(ms)).toBe(`${formatLocalTime(ms)} (2026-12-01 13:05:09 UTC)`);
    expect(formatEvidenceTime('2026-12-01T13:05:09.000Z')).toBe(`${formatLocalTime(ms)} (2026-12-01 13:05:09 UTC)`);
  });
});

describe('in a zone with summer time', () => {
  it('refuses a time skipped when the clocks went forward, and reads one on either side', () => {
    const before = process.env.TZ;
    process.env.TZ = 'Europe/London';
    try {
      expect(parseDateTime('2026-03-29 01:30')).toEqual({ ok: false, error: 'That time did not exist here: the clocks went forward then.' });
      expect(parseDateTime('2026-03-29 00:59:59')).toMatchObject({ ok: true, ms: Date.UTC(2026, 2, 29, 0, 59, 59) });
      expect(parseDateTime('2026-03-29 02:00')).toMatchObject({ ok: true, ms: Date.UTC(2026, 2, 29, 1, 0) });
    } finally {
      process.env.TZ = before;
      if (before === undefined) delete process.env.TZ;
    }
  });
});
