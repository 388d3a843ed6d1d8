/**
 * The top bar's way to disclosures: for those who may ask for one, decide one or read the register.
 * Those who may approve see a badge with the number of requests waiting for them (never their own).
 */
import { useSession } from '../session/session-context';
import { awaitingDecision, useDisclosureRequests } from './use-disclosure-requests';
import './disclosures.css';

export function DisclosuresButton({ onOpen }: { onOpen(): void }) {
  const { can } = useSession();
  if (!can('evidence.export') && !can('disclosure.approve') && !can('disclosures.view')) return null;
  return <DisclosuresButtonShown onOpen={onOpen} approver={can('disclosure.approve')} />;
}

function DisclosuresButtonShown({ onOpen, approver }: { onOpen(): void; approver: boolean }) {
  const { session } = useSession();
  const { requests } = useDisclosureRequests();
  const waiting = approver && requests && session.person ? awaitingDecision(requests, session.person.id).length : 0;
  return (
    <button
      type="button"
      data-testid="open-disclosures"
      aria-label="Disclosures"
      onClick={onOpen}
      title={waiting ? `Disclosures: ${waiting} request${waiting === 1 ? '' : 's'} wait for your approval` : 'Disclosures: requests and the register'}
    >
      <span aria-hidden="true">⚖</span>
      <span className="top-bar-label"> Disclosures</span>
      {waiting > 0 && (
        <span className="count-badge" data-testid="disclosures-badge" aria-label={`${waiting} waiting`}>
          {waiting}
        </span>
      )}
    </button>
  );
}
