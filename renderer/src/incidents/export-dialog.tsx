/**
 * Export of a time range on some cameras as an evidence package. A reason and a case reference are
 * required (every disclosure needs them). Without a recipient the package stays in the organisation
 * and is built at once: a progress bar with time left, and Cancel. With a recipient it is a
 * disclosure: it needs a legal basis and waits for a second person's approval, and the dialog
 * follows the request (waiting, refused with the reason, building, ready).
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ExportJob } from '../../../shared/evidence.js';
import { WatchroomError } from '../../../shared/errors.js';
import { api, subscribeEvents } from '../api/client';
import { formErrors } from '../lib/form-errors';
import { parseDateTime } from '../lib/date-time-text';
import { formatLocalTime, formatUtcTime } from '../lib/format-time';
import { DateTimeInput } from '../ui/date-time-input';
import { ModalDialog } from '../ui/modal-dialog';
import { UnmaskedMastersField } from '../masks/unmasked-masters-field';
import { ExportProgress } from './export-progress';
// Four-eyes disclosure (issue 12, point 2)
import { LEGAL_BASES, LEGAL_BASIS_NAMES, type LegalBasis } from '../../../shared/disclosures.js';
import { DisclosureState } from '../disclosures/disclosure-state';
import { DisclosureSummary } from '../disclosures/disclosure-summary';
import { useDisclosureRequests } from '../disclosures/use-disclosure-requests';
import '../ui/form.css';
import './export-dialog.css';

export interface ExportScope {
  cameraIds: string[];
  cameraNames: string[];
  fromMs: number;
  toMs: number;
  caseReference: string;
}

/** The fields that show their own errors; anything else goes in the line above the buttons. */
const FIELDS = ['fromMs', 'toMs', 'cameraIds', 'reason', 'caseReference', 'person', 'organisation', 'basis', 'text'] as const;
type Field = (typeof FIELDS)[number] | 'general';

export function ExportDialog({ scope, onClose, onVerify }: { scope: ExportScope; onClose(): void; onVerify(path: string): void }) {
  const [fromText, setFromText] = useState(formatLocalTime(scope.fromMs));
  const [toText, setToText] = useState(formatLocalTime(scope.toMs));
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set(scope.cameraIds));
  const [reason, setReason] = useState('');
  const [caseReference, setCaseReference] = useState(scope.caseReference);
  const [person, setPerson] = useState('');
  const [organisation, setOrganisation] = useState('');
  const [workingCopy, setWorkingCopy] = useState(true);
  // Privacy masks (issue 12, point 1): an administrator's choice to let unmasked masters out, with a reason.
  const [unmasked, setUnmasked] = useState<{ reason: string } | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [job, setJob] = useState<ExportJob | null>(null);
  const [basis, setBasis] = useState<LegalBasis['basis'] | ''>('');
  const [basisText, setBasisText] = useState('');
  /** The disclosure request this dialog sent, followed until it is decided and built. */
  const [requestId, setRequestId] = useState<string | null>(null);

  useEffect(
    () =>
      subscribeEvents((event) => {
        if (event.type === 'export.progress') setJob((current) => (current && current.id === event.job.id ? event.job : current));
      }),
    [],
  );

  const [from, to] = [parseDateTime(fromText), parseDateTime(toText)];
  /** The span as the package will state it (UTC), while the person types local times. */
  const utcSpan = from.ok && to.ok ? `${formatUtcTime(from.ms)} – ${formatUtcTime(to.ms)}` : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    const recipient = person.trim() || organisation.trim() ? { person, organisation } : null;
    if (!from.ok || !to.ok) return setErrors({ ...(from.ok ? {} : { fromMs: from.error }), ...(to.ok ? {} : { toMs: to.error }) });
    const [fromMs, toMs] = [from.ms, to.ms];
    try {
      const cameraIds = scope.cameraIds.filter((id) => chosen.has(id));
      const request = { cameraIds, fromMs, toMs, reason, caseReference, recipient, workingCopy, ...(unmasked ? { unmasked } : {}) };
      if (!recipient) return setJob(await api.startExport(request));
      // The core checks every field, the basis too, so every missing detail is said at once.
      setRequestId((await api.requestDisclosure({ export: request, legalBasis: { basis: basis as LegalBasis['basis'], text: basisText } })).id);
    } catch (error) {
      if (error instanceof WatchroomError && error.code === 'export.bad-range') return setErrors({ toMs: error.message });
      const { fields, general } = formErrors(error, FIELDS);
      setErrors({ ...fields, ...(general ? { general } : {}) });
    }
  };

  const input = (id: Field, label: string, value: string, set: (v: string) => void) => (
    <div className="form-field">
      <label htmlFor={`export-${id}`}>{label}</label>
      <input id={`export-${id}`} data-testid={`export-${id}`} value={value} aria-invalid={errors[id] ? true : undefined} onChange={(e) => set(e.target.value)} />
      {errors[id] && <p className="field-error" data-testid={`export-error-${id}`}>{errors[id]}</p>}
    </div>
  );

  const timeInput = (id: Field, label: string, value: string, set: (v: string) => void) => (
    <div className="form-field">
      <label htmlFor={`export-${id}`}>{label}</label>
      <DateTimeInput id={`export-${id}`} data-testid={`export-${id}`} value={value} invalid={Boolean(errors[id])} onChange={set} />
      {errors[id] && <p className="field-error" data-testid={`export-error-${id}`}>{errors[id]}</p>}
    </div>
  );

  const running = job?.state === 'running';
  return (
    <ModalDialog title="Export evidence" testId="export-dialog" onCancel={() => !running && onClose()}>
      <p className="dialog-lead">
        {scope.cameraIds.filter((id) => chosen.has(id)).map((id) => scope.cameraNames[scope.cameraIds.indexOf(id)]).join(', ')} · times are local here and UTC in the package
      </p>
      {requestId ? (
        <RequestFollowed id={requestId} onClose={onClose} />
      ) : job ? (
        <ExportProgress job={job} onClose={onClose} onVerify={onVerify} />
      ) : (
        <form className="dialog-form" noValidate onSubmit={(e) => void submit(e)}>
          <div className="form-row">
            {timeInput('fromMs', 'From (local time)', fromText, setFromText)}
            {timeInput('toMs', 'To (local time)', toText, setToText)}
          </div>
          {utcSpan && <p className="dialog-lead" data-testid="export-span-utc">In the package: {utcSpan}</p>}
          {scope.cameraIds.length > 1 && (
            <fieldset className="export-cameras" data-testid="export-cameras">
              <legend>Cameras</legend>
              {scope.cameraIds.map((id, i) => (
                <label key={id} className="checkbox">
                  <input
                    type="checkbox"
                    data-testid="export-camera"
                    checked={chosen.has(id)}
                    onChange={(e) => setChosen((now) => new Set(e.target.checked ? [...now, id] : [...now].filter((c) => c !== id)))}
                  />
                  {scope.cameraNames[i]}
                </label>
              ))}
              {errors.cameraIds && <p className="field-error" data-testid="export-error-cameraIds">{errors.cameraIds}</p>}
            </fieldset>
          )}
          <div className="form-field">
            <label htmlFor="export-reason">Reason for the export (required)</label>
            <textarea id="export-reason" data-testid="export-reason" rows={2} value={reason} aria-invalid={errors.reason ? true : undefined} onChange={(e) => setReason(e.target.value)} />
            {errors.reason && <p className="field-error" data-testid="export-error-reason">{errors.reason}</p>}
          </div>
          {input('caseReference', 'Case reference (required)', caseReference, setCaseReference)}
          <div className="form-row">
            {input('person', 'Recipient', person, setPerson)}
            {input('organisation', 'Organisation', organisation, setOrganisation)}
          </div>
          {(person.trim() || organisation.trim()) && (
            <div className="form-row" data-testid="export-disclosure">
              <div className="form-field">
                <label htmlFor="export-basis">Legal basis (a disclosure needs a second person’s approval)</label>
                <select id="export-basis" data-testid="export-basis" value={basis} aria-invalid={errors.basis ? true : undefined} onChange={(e) => setBasis(e.target.value as LegalBasis['basis'] | '')}>
                  <option value="">Choose…</option>
                  {LEGAL_BASES.map((b) => (
                    <option key={b} value={b}>
                      {LEGAL_BASIS_NAMES[b]}
                    </option>
                  ))}
                </select>
                {errors.basis && <p className="field-error" data-testid="export-error-basis">{errors.basis}</p>}
              </div>
              {input('text', basis === 'other' ? 'What the basis is (required)' : 'Details (order number, reference)', basisText, setBasisText)}
            </div>
          )}
          <label className="checkbox">
            <input type="checkbox" data-testid="export-working-copy" checked={workingCopy} onChange={(e) => setWorkingCopy(e.target.checked)} />
            Also make an exactly cut H.264 working copy (the master is always kept as recorded)
          </label>
          <UnmaskedMastersField cameras={scope.cameraIds.filter((id) => chosen.has(id)).map((id) => ({ id, name: scope.cameraNames[scope.cameraIds.indexOf(id)] ?? id }))} value={unmasked} onChange={setUnmasked} />
          {errors.general && <p className="form-error" role="alert" data-testid="export-error">{errors.general}</p>}
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>Cancel</button>
            <button type="submit" className="primary" data-testid="export-start">
              {person.trim() || organisation.trim() ? 'Request approval' : 'Export'}
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}

/** The request this dialog sent: what it asks, and where it stands now. */
function RequestFollowed({ id, onClose }: { id: string; onClose(): void }) {
  const { requests, error } = useDisclosureRequests();
  const request = requests?.find((r) => r.id === id);
  return (
    <div data-testid="export-request">
      {error && <p className="form-error" role="alert">{error}</p>}
      {request ? (
        <>
          <DisclosureSummary request={request} />
          <DisclosureState request={request} />
        </>
      ) : (
        <p>Loading…</p>
      )}
      <div className="dialog-actions">
        <button type="button" className="primary" data-testid="export-request-close" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
