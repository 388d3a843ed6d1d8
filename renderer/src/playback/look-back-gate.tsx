/**
 * Before playback opens, the reason for looking back: a sentence or a case reference (a bookmark's
 * is filled in), asked while the administrator's setting asks for one (by default). The playback
 * session it opens is what recorded media are served under, and it is closed when playback closes,
 * so the ledger has how long the footage was watched. Live viewing and instant replay never ask.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../api/client';
import { formErrors, NO_FORM_ERRORS, type FormErrors } from '../lib/form-errors';
import { TextField } from '../ui/text-field';
import { ViewingContext } from './viewing';
import '../ui/form.css';
import './look-back-gate.css';

const FIELDS = ['reason', 'caseReference'] as const;
type Field = (typeof FIELDS)[number];

interface LookBackGateProps {
  /** A bookmark's case reference, when playback opens from one. */
  caseReference?: string;
  onCancel(): void;
  children: ReactNode;
}

export function LookBackGate({ caseReference = '', onCancel, children }: LookBackGateProps) {
  const [asking, setAsking] = useState<boolean | null>(null);
  const [viewingId, setViewingId] = useState<string | null>(null);
  const [values, setValues] = useState({ reason: '', caseReference });
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_FORM_ERRORS);

  const open = async (reason: string, caseRef: string) => {
    try {
      setViewingId((await api.openPlayback({ reason, caseReference: caseRef })).id);
    } catch (error) {
      setAsking(true);
      setErrors(formErrors(error, FIELDS));
    }
  };
  useEffect(() => {
    let gone = false;
    void api.getViewingPolicy().then(
      (policy) => {
        if (gone) return;
        setAsking(policy.reasonRequired);
        if (!policy.reasonRequired) void open('', '');
      },
      () => !gone && setAsking(true),
    );
    return () => void (gone = true);
    // Asked once, when playback opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // The session ends with the panel: its length goes in the ledger.
  useEffect(() => (viewingId ? () => void api.closePlayback({ id: viewingId }).catch(() => undefined) : undefined), [viewingId]);

  if (viewingId) return <ViewingContext.Provider value={viewingId}>{children}</ViewingContext.Provider>;
  if (asking !== true) return <section className="playback-panel" aria-busy="true" data-testid="look-back-opening" />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setErrors(NO_FORM_ERRORS);
    void open(values.reason, values.caseReference);
  };
  const field = (name: Field, label: string, maxLength: number) => (
    <TextField id={`look-back-${name}`} label={label} maxLength={maxLength} value={values[name]} error={errors.fields[name]} onChange={(value) => setValues((v) => ({ ...v, [name]: value }))} />
  );
  return (
    <section className="playback-panel look-back" data-testid="look-back-gate" aria-label="Why are you looking back?">
      <form className="dialog-form look-back-form" noValidate onSubmit={submit}>
        <h2>Why are you looking back?</h2>
        <p className="menu-note">Recorded footage older than instant replay is opened with a reason or a case reference. Both go in the audit ledger with what you watch and for how long.</p>
        {field('reason', 'Reason', 500)}
        {field('caseReference', 'Case reference', 64)}
        {errors.general && (
          <p className="form-error" role="alert" data-testid="look-back-error">
            {errors.general}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" data-testid="look-back-cancel" onClick={onCancel}>
            Back to live wall
          </button>
          <button type="submit" className="primary" data-testid="look-back-open">
            Open playback
          </button>
        </div>
      </form>
    </section>
  );
}
