/** Asks before something that cannot be undone; shows why it failed if it does. */
import { useState } from 'react';
import { errorMessage } from '../lib/error-message';
import { ModalDialog } from './modal-dialog';

interface ConfirmDialogProps {
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm(): Promise<void>;
  onClose(): void;
}

export function ConfirmDialog({ title, message, confirmLabel, onConfirm, onClose }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };

  return (
    <ModalDialog title={title} testId="confirm-dialog" onCancel={onClose}>
      <p>{message}</p>
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
