/**
 * People, for administrators: every account with its role and state, a form to add one, and the
 * idle lock. Accounts are disabled, never deleted, because the ledger names people by account.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Person } from '../../../shared/api.js';
import { api } from '../api/client';
import { errorMessage } from '../lib/error-message';
import { useSession } from '../session/session-context';
import { ModalDialog } from '../ui/modal-dialog';
import { AddPersonForm } from './add-person-form';
import { IdleLockForm } from './idle-lock-form';
import { PersonRow } from './person-row';
import '../ui/form.css';

export function PeopleDialog({ onClose }: { onClose(): void }) {
  const { session, refresh } = useSession();
  const [people, setPeople] = useState<Person[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(() => api.listPeople().then((list) => (setPeople(list), setProblem(null)), (error: unknown) => setProblem(errorMessage(error))), []);
  useEffect(() => void load(), [load]);
  // A change to one's own account (role, name) changes what the session may do.
  const changed = () => void load().then(refresh);

  return (
    <ModalDialog title="People" testId="people-dialog" className="people-dialog" onCancel={onClose}>
      <p className="dialog-lead">
        Accounts are never deleted: the audit ledger names people by their account, so a disabled account keeps its history and can no longer sign in.
      </p>
      {problem && (
        <p className="form-error" role="alert" data-testid="people-error">
          {problem}
        </p>
      )}
      <table className="people-table" data-testid="people-table">
        <thead>
          <tr>
            <th>Account</th>
            <th>Full name</th>
            <th>Role</th>
            <th>State</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(people ?? []).map((person) => (
            <PersonRow key={person.id} person={person} isMe={person.id === session.person?.id} onChanged={changed} />
          ))}
        </tbody>
      </table>
      <AddPersonForm onAdded={changed} />
      <IdleLockForm />
      <div className="dialog-actions">
        <button type="button" data-testid="people-close" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
