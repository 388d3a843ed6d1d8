/** Add a camera, or edit one. The core checks every field; its errors appear beside the fields they concern. */
import { useState, type FormEvent } from 'react';
import type { CameraView } from '../../../shared/api.js';
import { api } from '../api/client';
import { formErrors, NO_FORM_ERRORS, type FormErrors } from '../lib/form-errors';
import { ModalDialog } from '../ui/modal-dialog';
import { cameraChanges, formValuesOf, newCamera } from './camera-changes';
import { CameraFieldInput } from './camera-field-input';
import { CAMERA_FIELDS, type CameraField } from './camera-form-fields';
import '../ui/form.css';

interface CameraDialogProps {
  /** The camera to edit, or null to add one. */
  camera: CameraView | null;
  onClose(): void;
}

const PLACEHOLDERS: Record<CameraField, string> = {
  name: 'Loading bay east',
  group: 'optional, e.g. Depot North',
  url: 'rtsp://192.168.1.20:554/stream1',
  subUrl: 'optional, lower resolution for the wall',
  username: 'optional',
  password: 'optional',
};

export function CameraDialog({ camera, onClose }: CameraDialogProps) {
  const [values, setValues] = useState(() => formValuesOf(camera));
  const [removePassword, setRemovePassword] = useState(false);
  const [errors, setErrors] = useState<FormErrors<CameraField>>(NO_FORM_ERRORS);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setErrors(NO_FORM_ERRORS);
    try {
      if (camera) await api.updateCamera({ id: camera.id, changes: cameraChanges(values, removePassword) });
      else await api.addCamera(newCamera(values));
      onClose();
    } catch (error) {
      setErrors(formErrors(error, CAMERA_FIELDS));
      setSaving(false);
    }
  };

  return (
    <ModalDialog title={camera ? `Edit ${camera.name}` : 'Add camera'} testId="camera-dialog" onCancel={onClose}>
      <form className="dialog-form" noValidate onSubmit={(event) => void submit(event)}>
        {CAMERA_FIELDS.map((field) => (
          <CameraFieldInput
            key={field}
            field={field}
            value={values[field]}
            placeholder={field === 'password' && camera ? 'unchanged' : PLACEHOLDERS[field]}
            error={errors.fields[field]}
            disabled={field === 'password' && removePassword}
            onChange={(value) => setValues((current) => ({ ...current, [field]: value }))}
          />
        ))}
        {camera?.hasPassword && (
          <label className="checkbox">
            <input type="checkbox" data-testid="camera-remove-password" checked={removePassword} onChange={(event) => setRemovePassword(event.target.checked)} />
            Remove the stored password
          </label>
        )}
        {errors.general && (
          <p className="form-error" data-testid="camera-error" role="alert">
            {errors.general}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" data-testid="camera-cancel" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" data-testid="camera-save" disabled={saving}>
            {camera ? 'Save' : 'Add camera'}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
