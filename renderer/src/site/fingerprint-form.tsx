/**
 * A fingerprint typed by an administrator after comparing it with the one shown elsewhere (a process
 * at its start, the workstation that made the site key), sent, and the refusal shown beside it.
 */
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../lib/error-message';

export function FingerprintForm(props: { className: string; label: string; placeholder: string; button: string; testIds: { input: string; submit: string; error: string }; send(typed: string): Promise<unknown>; children?: ReactNode; formTestId?: string; state?: string }) {
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      className={props.className}
      data-testid={props.formTestId}
      data-state={props.state}
      onSubmit={(e) => {
        e.preventDefault();
        setProblem(null);
        props.send(typed).catch((error: unknown) => setProblem(errorMessage(error)));
      }}
    >
      {props.children}
      <input aria-label={props.label} data-testid={props.testIds.input} placeholder={props.placeholder} value={typed} onChange={(e) => setTyped(e.target.value)} />
      <button type="submit" data-testid={props.testIds.submit}>
        {props.button}
      </button>
      {problem && (
        <p className="form-error" role="alert" data-testid={props.testIds.error}>
          {problem}
        </p>
      )}
    </form>
  );
}
