/** A labelled input whose error, when the core reports one for it, sits right under it. */
import type { InputHTMLAttributes } from 'react';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> {
  /** Also the data-testid; the error is `${id}-error`. */
  id: string;
  label: string;
  value: string;
  error: string | undefined;
  onChange(value: string): void;
}

export function TextField({ id, label, value, error, onChange, ...input }: TextFieldProps) {
  const errorId = `${id}-error`;
  return (
    <div className="form-field">
      <label htmlFor={id}>{label}</label>
      <input
        {...input}
        id={id}
        data-testid={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {error && (
        <p id={errorId} className="field-error" data-testid={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
