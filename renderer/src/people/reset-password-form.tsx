/** A new password for someone who forgot theirs; the core ends their sessions when it is set. */
import { useState, type FormEvent } from 'react';
import type { Person } from '../../../shared/api.js';
import { api } from '../api/client';
import { formErrors } from '../lib/form-errors';
import { TextField } from '../ui/text-field';

export function ResetPasswordForm({ person, onDone, onCancel }: { person: Person; onDone(): void; onCancel(): void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);

  const reset = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await api.resetPassword({ id: person.id, password });
      onDone();
    } catch (failure) {
      const { fields, general } = formErrors(failure, ['password'] as const);
      setError(fields.password ?? general ?? undefined);
    }
  };

  return (
    <form className="reset-password" noValidate onSubmit={(event) => void reset(event)}>
      <TextField
        id="reset-password"
        label={`New password for ${person.name} (at least 10 characters)`}
        type="password"
        autoComplete="new-password"
        autoFocus
        value={password}
        error={error}
        onChange={setPassword}
      />
      <button type="submit" className="primary" data-testid="reset-password-save">
        Set password
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
