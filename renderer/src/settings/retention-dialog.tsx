/**
 * How long footage is kept and how much disk it may take; whichever limit bites first deletes the
 * oldest footage (evidence-locked footage excepted). The core validates; its errors sit by the fields.
 * Roles that may not change the settings still see them, read-only.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { RetentionSettings, StorageUsage } from '../../../shared/api.js';
import { LookBackPolicy } from './look-back-policy';
import { api } from '../api/client';
import { errorMessage } from '../lib/error-message';
import { formErrors } from '../lib/form-errors';
import { formatLocalTime } from '../lib/format-time';
import { PermissionHint, usePermission } from '../session/permission-hint';
import { ModalDialog } from '../ui/modal-dialog';
import '../ui/form.css';
import './retention-dialog.css';

const GB = 1e9;
type Field = keyof RetentionSettings;
const LABELS: Record<Field, string> = {
  maxAgeDays: 'Keep footage for (days)',
  maxTotalBytes: 'Storage for all cameras (GB)',
  maxBytesPerCamera: 'Storage per camera (GB, optional)',
};

const gbText = (bytes: number) => String(Math.round((bytes / GB) * 1000) / 1000);

/** The form's text as settings; text that is not a number goes through as NaN for the core to name. */
function settingsOf(text: Record<Field, string>): RetentionSettings {
  const gb = (t: string) => Math.round(Number(t.trim() === '' ? NaN : t) * GB);
  return {
    maxAgeDays: Number(text.maxAgeDays.trim() === '' ? NaN : text.maxAgeDays),
    maxTotalBytes: gb(text.maxTotalBytes),
    maxBytesPerCamera: text.maxBytesPerCamera.trim() === '' ? null : gb(text.maxBytesPerCamera),
  };
}

export function RetentionDialog({ onClose }: { onClose(): void }) {
  const [text, setText] = useState<Record<Field, string> | null>(null);
  const [usage, setUsage] = useState<StorageUsage | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const configure = usePermission('recording.configure');

  useEffect(() => {
    api.getRetention().then(
      (r) => setText({ maxAgeDays: String(r.maxAgeDays), maxTotalBytes: gbText(r.maxTotalBytes), maxBytesPerCamera: r.maxBytesPerCamera === null ? '' : gbText(r.maxBytesPerCamera) }),
      (e) => setGeneral(errorMessage(e)),
    );
    api.getStorageUsage().then(setUsage, () => undefined);
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text) return;
    setSaving(true);
    setErrors({});
    setGeneral(null);
    try {
      await api.setRetention(settingsOf(text));
      onClose();
    } catch (error) {
      const { fields, general } = formErrors(error, Object.keys(LABELS) as Field[]);
      setErrors(fields);
      setGeneral(general);
      setSaving(false);
    }
  };

  const limit = text ? Number(text.maxTotalBytes) * GB : NaN;
  return (
    <ModalDialog title="Recording retention" testId="retention-dialog" onCancel={onClose}>
      {usage && (
        <div className="storage-usage" data-testid="storage-usage" data-used-bytes={usage.usedBytes}>
          <div className="storage-bar">
            <div className="storage-bar-used" style={{ width: `${Number.isFinite(limit) && limit > 0 ? Math.min(100, (usage.usedBytes / limit) * 100) : 0}%` }} />
          </div>
          <p>
            Recordings use {gbText(usage.usedBytes)} GB
            {usage.oldestMs !== null && <>, oldest from {formatLocalTime(usage.oldestMs)}</>}.
          </p>
        </div>
      )}
      {text && (
        <form className="dialog-form" noValidate onSubmit={(event) => void submit(event)}>
          {(Object.keys(LABELS) as Field[]).map((field) => (
            <div className="form-field" key={field}>
              <label htmlFor={`retention-${field}`}>{LABELS[field]}</label>
              <input
                id={`retention-${field}`}
                data-testid={`retention-${field}`}
                inputMode="decimal"
                readOnly={!configure.allowed}
                value={text[field]}
                aria-invalid={errors[field] ? true : undefined}
                onChange={(e) => setText({ ...text, [field]: e.target.value })}
              />
              {errors[field] && (
                <p className="field-error" data-testid={`retention-error-${field}`}>
                  {errors[field]}
                </p>
              )}
            </div>
          ))}
          <p className="retention-hint">The oldest footage goes first once any limit is reached. Footage under an evidence lock is always kept. Each pass that deletes footage signs a receipt of what went.</p>
          <LookBackPolicy />
          <PermissionHint permission="recording.configure" />
          {general && (
            <p className="form-error" role="alert">
              {general}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>{configure.allowed ? 'Cancel' : 'Close'}</button>
            {configure.allowed && <button type="submit" className="primary" data-testid="retention-save" disabled={saving}>Save</button>}
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
