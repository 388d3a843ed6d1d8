/** Adds an account: name to sign in with, full name, role, first password. The core checks every field. */
import { useState, type FormEvent } from 'react';
import type { PersonInput } from '../../../shared/api.js';
import { WatchroomError } from '../../../shared/errors.js';
import { api } from '../api/client';
import { formErrors, NO_FORM_ERRORS, type FormErrors } from '../lib/form-errors';
import { TextField } from '../ui/text-field';
import { RoleSelect } from './role-select';

const FIELDS = ['name', 'displayName', 'role', 'password'] as const;
type Field = (typeof FIELDS)[number];
const EMPTY: PersonInput = { name: '', displayName: '', role: 'operator', password: '' };

/** A taken name gets the core's whole sentence by the field: it may be taken by a disabled account. */
function addErrors(error: unknown): FormErrors<Field> {
  if (error instanceof WatchroomError && error.code === 'people.name-taken') return { fields: { name: error.message }, general: null };
  return formErrors(error, FIELDS);
}

export function AddPersonForm({ onAdded }: { onAdded(): void }) {
  const [values, setValues] = useState<PersonInput>(EMPTY);
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_FORM_ERRORS);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const set = (field: Field) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_FORM_ERRORS);
    setAdded(null);
    try {
      const person = await api.addPerson(values);
      setValues(EMPTY);
      setAdded(`${person.displayName} (${person.name}) can now sign in.`);
      onAdded();
    } catch (error) {
      setErrors(addErrors(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="dialog-form add-person" noValidate onSubmit={(event) => void submit(event)} aria-labelledby="add-person-title">
      <h3 id="add-person-title">Add a person</h3>
      <div className="form-row">
        <TextField id="add-person-name" label="Account name (to sign in with)" autoComplete="off" spellCheck={false} value={values.name} error={errors.fields.name} onChange={set('name')} />
        <TextField id="add-person-displayName" label="Full name" autoComplete="off" value={values.displayName} error={errors.fields.displayName} onChange={set('displayName')} />
      </div>
      <div className="form-row">
        <div className="form-field">
          <label htmlFor="add-person-role">Role</label>
          <RoleSelect id="add-person-role" data-testid="add-person-role" value={values.role} onChange={set('role')} />
          {errors.fields.role && <p className="field-error" data-testid="add-person-role-error">{errors.fields.role}</p>}
        </div>
        <TextField id="add-person-password" label="First password (at least 10 characters)" type="password" autoComplete="new-password" value={values.password} error={errors.fields.password} onChange={set('password')} />
      </div>
      {errors.general && (
        <p className="form-error" role="alert" data-testid="add-person-error">
          {errors.general}
        </p>
      )}
      {added && (
        <p className="people-note" role="status" data-testid="add-person-done">
          {added}
        </p>
      )}
      <div className="dialog-actions">
        <button type="submit" className="primary" data-testid="add-person-submit" disabled={busy}>
          Add person
        </button>
      </div>
    </form>
  );
}
