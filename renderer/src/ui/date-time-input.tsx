/**
 * A date and time typed as Watchroom writes them, `2026-12-01 14:05:09` (24-hour local time),
 * instead of the browser's date inputs, which follow its locale (US 12-hour in Chromium, AM/PM cut
 * off). The text is read with parseDateTime (lib/date-time-text) by whoever uses the value.
 */
import type { InputHTMLAttributes } from 'react';
import { DATE_PLACEHOLDER, DATE_TIME_PLACEHOLDER } from '../lib/date-time-text';
import './date-time-input.css';

interface DateTimeInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'type'> {
  value: string;
  onChange(text: string): void;
  /** A date alone is a whole day (search filters). */
  dateOnly?: boolean;
  invalid?: boolean;
}

export function DateTimeInput({ value, onChange, dateOnly = false, invalid = false, ...input }: DateTimeInputProps) {
  return (
    <input
      type="text"
      className="date-time-input"
      placeholder={dateOnly ? DATE_PLACEHOLDER : DATE_TIME_PLACEHOLDER}
      title={dateOnly ? 'A day (2026-12-01) or a moment (2026-12-01 14:05), 24-hour local time' : '24-hour local time, e.g. 2026-12-01 14:05:09; a time alone means today'}
      autoComplete="off"
      spellCheck={false}
      aria-invalid={invalid || undefined}
      {...input}
      value={value}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}
