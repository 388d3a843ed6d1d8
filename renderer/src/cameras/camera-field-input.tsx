import { CAMERA_FIELD_LABELS, type CameraField } from './camera-form-fields';

interface CameraFieldInputProps {
  field: CameraField;
  value: string;
  placeholder: string;
  error: string | undefined;
  disabled?: boolean;
  onChange(value: string): void;
}

/** A labelled input whose error, when the core reports one for this field, sits right under it. */
export function CameraFieldInput({ field, value, placeholder, error, disabled = false, onChange }: CameraFieldInputProps) {
  const id = `camera-${field}`;
  const errorId = `${id}-error`;
  return (
    <div className="form-field">
      <label htmlFor={id}>{CAMERA_FIELD_LABELS[field]}</label>
      <input
        id={id}
        name={field}
        data-testid={id}
        type={field === 'password' ? 'password' : 'text'}
        // Never offer saved site passwords or history for camera credentials.
        autoComplete={field === 'password' ? 'new-password' : 'off'}
        spellCheck={false}
        value={value}
        placeholder={placeholder}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {error && (
        <p id={errorId} className="field-error" data-testid={`error-${field}`}>
          {error}
        </p>
      )}
    </div>
  );
}
