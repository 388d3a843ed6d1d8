/**
 * One account in the people table: change its role, disable or enable it, reset its password. A
 * refusal (the last administrator, for one) shows under the row; the row shows what the core has.
 */
import { useState } from 'react';
import type { Person } from '../../../shared/api.js';
import type { Role } from '../../../shared/roles.js';
import { api } from '../api/client';
import { errorMessage } from '../lib/error-message';
import { formatLocalTime } from '../lib/format-time';
import { ResetPasswordForm } from './reset-password-form';
import { RoleSelect } from './role-select';

const COLUMNS = 6;

interface PersonRowProps {
  person: Person;
  /** The signed-in person's own account. */
  isMe: boolean;
  onChanged(): void;
}

export function PersonRow({ person, isMe, onChanged }: PersonRowProps) {
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [resetting, setResetting] = useState(false);

  const update = (changes: { role?: Role; disabled?: boolean }) => {
    setProblem(null);
    setNote(null);
    api.updatePerson({ id: person.id, changes }).then(onChanged, (error: unknown) => setProblem(errorMessage(error)));
  };

  return (
    <>
      <tr data-testid="person-row" data-person-name={person.name} data-disabled={person.disabled} className={person.disabled ? 'person-disabled' : undefined}>
        <td className="person-account">
          {person.name}
          {isMe && <span className="menu-note"> (you)</span>}
        </td>
        <td>{person.displayName}</td>
        <td>
          <RoleSelect aria-label={`Role of ${person.name}`} data-testid="person-role-select" value={person.role} onChange={(role) => update({ role })} />
        </td>
        <td data-testid="person-state">{person.disabled ? 'Disabled' : 'Active'}</td>
        <td>{formatLocalTime(person.createdAt)}</td>
        <td className="person-actions">
          <button
            type="button"
            data-testid="person-toggle-disabled"
            title={person.disabled ? 'Let this person sign in again' : 'Stop this person signing in; their history stays'}
            onClick={() => update({ disabled: !person.disabled })}
          >
            {person.disabled ? 'Enable' : 'Disable'}
          </button>
          <button type="button" data-testid="person-reset-password" onClick={() => setResetting(!resetting)}>
            Reset password…
          </button>
        </td>
      </tr>
      {resetting && (
        <tr className="person-subrow">
          <td colSpan={COLUMNS}>
            <ResetPasswordForm
              person={person}
              onDone={() => (setResetting(false), setNote(`${person.displayName} has a new password; any session of theirs was signed out.`))}
              onCancel={() => setResetting(false)}
            />
          </td>
        </tr>
      )}
      {(problem || note) && (
        <tr className="person-subrow">
          <td colSpan={COLUMNS}>
            {problem && (
              <p className="form-error" role="alert" data-testid="person-error">
                {problem}
              </p>
            )}
            {note && (
              <p className="people-note" role="status" data-testid="person-note">
                {note}
              </p>
            )}
          </td>
        </tr>
      )}
    </>
  );
}
