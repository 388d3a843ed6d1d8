/** Asks before something that cannot be undone, with a reason when one goes on the record; shows why it failed if it does. */
import { useState } from 'react';
import { errorMessage } from '../lib/error-message';
import { ModalDialog } from './modal-dialog';
import './form.css';

interface ConfirmDialogProps {
  title: string;
  message: string;
  confirmLabel: string;
  /** Asks for a reason under this label and passes it on; the core says when one is missing. */
  reasonLabel?: string;
  onConfirm(reason: string): Promise<unknown>;
  onClose(): void;
}

export function ConfirmDialog({ title, message, confirmLabel, reasonLabel, onConfirm, onClose }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason);
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };

  return (
    <ModalDialog title={title} testId="confirm-dialog" onCancel={onClose}>
      <p>{message}</p>
      {reasonLabel && (
        <div className="form-field">
          <label htmlFor="confirm-reason">{reasonLabel}</label>
          <textarea id="confirm-reason" data-testid="confirm-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      )}
      {error && (
        <p className="form-error" data-testid="confirm-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" data-testid="confirm-cancel" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" data-testid="confirm-ok" disabled={busy} onClick={() => void confirm()}>
          {confirmLabel}
        </button>
      </div>
    </ModalDialog>
  );
}
