/**
 * Anyone's own password: the current one, the new one twice. The core checks the current one and the
 * rules for the new; the repeat is compared here, since only the page sees both. Other sessions of
 * the same person end when it changes.
 */
import { useState, type FormEvent } from 'react';
import { WatchroomError } from '../../../shared/errors.js';
import { api } from '../api/client';
import { formErrors, NO_FORM_ERRORS, type FormErrors } from '../lib/form-errors';
import { ModalDialog } from '../ui/modal-dialog';
import { TextField } from '../ui/text-field';
import '../ui/form.css';

const FIELDS = ['current', 'next', 'repeat'] as const;
type Field = (typeof FIELDS)[number];

export function ChangePasswordDialog({ onClose }: { onClose(): void }) {
  const [values, setValues] = useState<Record<Field, string>>({ current: '', next: '', repeat: '' });
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_FORM_ERRORS);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (values.next !== values.repeat) return setErrors({ fields: { repeat: 'The two new passwords differ.' }, general: null });
    setBusy(true);
    setErrors(NO_FORM_ERRORS);
    try {
      await api.changePassword({ current: values.current, next: values.next });
      setDone(true);
    } catch (error) {
      // A wrong current password is a refusal without fields: it belongs beside that field.
      setErrors(error instanceof WatchroomError && error.code === 'auth.bad-credentials' ? { fields: { current: error.message }, general: null } : formErrors(error, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  const field = (name: Field, label: string, autoComplete: string) => (
    <TextField
      id={`change-password-${name}`}
      type="password"
      label={label}
      autoComplete={autoComplete}
      value={values[name]}
      error={errors.fields[name]}
      onChange={(value) => setValues((v) => ({ ...v, [name]: value }))}
    />
  );

  return (
    <ModalDialog title="Change your password" testId="change-password-dialog" onCancel={onClose}>
      {done ? (
        <>
          <p data-testid="change-password-done" role="status">
            Your password is changed. Your other sessions, if any, were signed out.
          </p>
          <div className="dialog-actions">
            <button type="button" className="primary" data-testid="change-password-close" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form className="dialog-form" noValidate onSubmit={(event) => void submit(event)}>
          {field('current', 'Current password', 'current-password')}
          {field('next', 'New password (at least 10 characters)', 'new-password')}
          {field('repeat', 'New password again', 'new-password')}
          {errors.general && (
            <p className="form-error" role="alert" data-testid="change-password-error">
              {errors.general}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" data-testid="change-password-save" disabled={busy || !values.current || !values.next}>
              Change password
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
