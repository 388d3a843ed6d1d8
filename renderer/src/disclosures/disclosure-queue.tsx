/**
 * The disclosure requests: approvers decide others' pending requests here (approve with an optional
 * note, refuse with a reason); a person's own request shows no decision at all, only that someone
 * else must decide. Decided requests show who decided, and the note or reason.
 */
import { useState } from 'react';
import type { DisclosureRequest } from '../../../shared/disclosures.js';
import { api } from '../api/client';
import { errorMessage } from '../lib/error-message';
import { useSession } from '../session/session-context';
import { DisclosureState } from './disclosure-state';
import { DisclosureSummary } from './disclosure-summary';
import { useDisclosureRequests } from './use-disclosure-requests';

export function DisclosureQueue() {
  const { requests, error } = useDisclosureRequests();
  if (error) return <p className="form-error" role="alert">{error}</p>;
  if (!requests) return <p>Loading…</p>;
  if (requests.length === 0) return <p data-testid="disclosure-queue-empty">No disclosure requests in the last week.</p>;
  return (
    <ul className="disclosure-queue" data-testid="disclosure-queue">
      {requests.map((r) => (
        <QueueItem key={r.id} request={r} />
      ))}
    </ul>
  );
}

function QueueItem({ request }: { request: DisclosureRequest }) {
  const { session, can } = useSession();
  const own = request.requestedBy.id === session.person?.id;
  return (
    <li className="disclosure-item" data-testid="disclosure-request" data-state={request.state} data-case={request.export.caseReference}>
      <DisclosureSummary request={request} />
      <DisclosureState request={request} />
      {request.state === 'pending' && own && (
        <p className="menu-note" data-testid="disclosure-own">
          Your request: someone else must approve or refuse it.
        </p>
      )}
      {request.state === 'pending' && !own && can('disclosure.approve') && <Decision id={request.id} />}
    </li>
  );
}

function Decision({ id }: { id: string }) {
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const act = (call: Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    call.catch((error: unknown) => setProblem(errorMessage(error))).finally(() => setBusy(false));
  };
  return (
    <div className="disclosure-decision">
      <div className="form-field">
        <label htmlFor={`approve-note-${id}`}>Note with the approval (optional)</label>
        <input id={`approve-note-${id}`} data-testid="disclosure-note" value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <div className="form-field">
        <label htmlFor={`refuse-reason-${id}`}>Reason, to refuse</label>
        <input id={`refuse-reason-${id}`} data-testid="disclosure-refuse-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      {problem && <p className="form-error" role="alert" data-testid="disclosure-decision-error">{problem}</p>}
      <div className="dialog-actions">
        <button type="button" data-testid="disclosure-refuse" disabled={busy || !reason.trim()} title={reason.trim() ? undefined : 'Give the reason for refusing first.'} onClick={() => act(api.refuseDisclosure({ id, reason }))}>
          Refuse
        </button>
        <button type="button" className="primary" data-testid="disclosure-approve" disabled={busy} onClick={() => act(api.approveDisclosure({ id, note }))}>
          Approve and build
        </button>
      </div>
    </div>
  );
}
