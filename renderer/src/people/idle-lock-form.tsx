/** How long Watchroom waits without input before it locks every session (the wall stays on). */
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { formErrors } from '../lib/form-errors';
import { useSession } from '../session/session-context';
import { TextField } from '../ui/text-field';

export function IdleLockForm() {
  const { session, refresh } = useSession();
  const [minutes, setMinutes] = useState(String(Math.round(session.idleLockMs / 60_000)));
  const [error, setError] = useState<string | undefined>(undefined);
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      // Text that is not a number goes through as NaN for the core to name, as every form here does.
      await api.setIdleLock({ minutes: Number(minutes.trim() === '' ? NaN : minutes) });
      setSaved(true);
      await refresh();
    } catch (failure) {
      const { fields, general } = formErrors(failure, ['minutes'] as const);
      setError(fields.minutes ?? general ?? undefined);
    }
  };

  return (
    <form className="dialog-form idle-lock" noValidate onSubmit={(event) => void submit(event)} aria-labelledby="idle-lock-title">
      <h3 id="idle-lock-title">Idle lock</h3>
      <div className="idle-lock-row">
        <TextField id="idle-lock-minutes" label="Lock after this many minutes without input (1–240)" inputMode="numeric" value={minutes} error={error} onChange={setMinutes} />
        <button type="submit" data-testid="idle-lock-save">
          Save
        </button>
      </div>
      {saved && (
        <p className="people-note" role="status" data-testid="idle-lock-saved">
          Saved: sessions lock after {minutes.trim()} minutes without input.
        </p>
      )}
    </form>
  );
}
