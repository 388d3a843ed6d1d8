/** "Go to" a typed moment (24-hour local time; a time alone means today) on every camera of the playback. */
import { useState } from 'react';
import { parseDateTime } from '../lib/date-time-text';
import { DateTimeInput } from '../ui/date-time-input';

export function GoToForm({ onGo }: { onGo(ms: number): void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="playback-goto"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = parseDateTime(text);
        if (!parsed.ok) return setError(parsed.error);
        if (parsed.ms > Date.now()) return setError('Pick a date and time in the past.');
        setError(null);
        onGo(parsed.ms);
      }}
    >
      <label>
        Go to <DateTimeInput data-testid="playback-goto-input" value={text} invalid={error !== null} onChange={setText} />
      </label>
      <button type="submit" data-testid="playback-goto">Go</button>
      {error && <span className="field-error playback-goto-error" role="alert" data-testid="playback-goto-error">{error}</span>}
    </form>
  );
}
