/**
 * Lifting a camera's privacy masks for oneself (evidence officers, administrators): a reason and how
 * long, both recorded; the masks come back by themselves at that time. While lifted, the same dialog
 * restores them early.
 */
import { useState, type FormEvent } from 'react';
import type { CameraView } from '../../../shared/api.js';
import { LIFT_MINUTES } from '../../../shared/masks.js';
import { api } from '../api/client';
import { errorMessage } from '../lib/error-message';
import { formatLocalTime } from '../lib/format-time';
import { ModalDialog } from '../ui/modal-dialog';
import { useCameraMasks } from './masks-store';
import '../ui/form.css';

export function LiftMasksDialog({ camera, onClose }: { camera: CameraView; onClose(): void }) {
  const masks = useCameraMasks(camera.id);
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState(String(LIFT_MINUTES.default));
  const [message, setMessage] = useState<string | null>(null);
  const act = (call: Promise<unknown>) => call.then(onClose, (error: unknown) => setMessage(errorMessage(error)));
  const lift = (event: FormEvent) => {
    event.preventDefault();
    void act(api.liftMask({ cameraId: camera.id, reason, minutes: Number(minutes) }));
  };

  if (masks?.lift) {
    return (
      <ModalDialog title={`Privacy masks of ${camera.name}`} testId="lift-masks" onCancel={onClose}>
        <p>You lifted these masks until {formatLocalTime(masks.lift.untilMs, false).slice(0, 5)} ({masks.lift.reason}). Restoring them now is recorded.</p>
        {message && <p className="form-error" role="alert">{message}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Close</button>
          <button type="button" data-testid="restore-masks" onClick={() => void act(api.restoreMask({ cameraId: camera.id }))}>Restore masks now</button>
        </div>
      </ModalDialog>
    );
  }
  return (
    <ModalDialog title={`Lift the privacy masks of ${camera.name}`} testId="lift-masks" onCancel={onClose}>
      <form onSubmit={lift}>
        <p>Only you will see behind the masks, until they come back by themselves. Your reason and the times are recorded in the audit ledger.</p>
        <label className="form-field">
          Reason or case reference
          <input data-testid="lift-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} autoFocus />
        </label>
        <label className="form-field">
          For how many minutes ({LIFT_MINUTES.min}–{LIFT_MINUTES.max})
          <input data-testid="lift-minutes" type="number" min={LIFT_MINUTES.min} max={LIFT_MINUTES.max} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </label>
        {message && <p className="form-error" role="alert" data-testid="lift-message">{message}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" data-testid="lift-submit">Lift masks</button>
        </div>
      </form>
    </ModalDialog>
  );
}
