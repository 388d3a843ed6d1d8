/** Disclosures: the requests (to decide, or to follow one's own) and, for those who may read it, the register. */
import { useState } from 'react';
import { useSession } from '../session/session-context';
import { ModalDialog } from '../ui/modal-dialog';
import { DisclosureQueue } from './disclosure-queue';
import { DisclosureRegisterView } from './disclosure-register-view';
import '../ledger/audit-ledger.css';
import '../ui/form.css';
import './disclosures.css';

export function DisclosuresDialog({ onClose }: { onClose(): void }) {
  const { can } = useSession();
  const [tab, setTab] = useState<'requests' | 'register'>('requests');
  return (
    <ModalDialog title="Disclosures" testId="disclosures-dialog" className="ledger-dialog" onCancel={onClose}>
      <div className="disclosure-tabs" role="tablist">
        <button type="button" role="tab" data-testid="tab-requests" aria-selected={tab === 'requests'} onClick={() => setTab('requests')}>
          Requests
        </button>
        {can('disclosures.view') && (
          <button type="button" role="tab" data-testid="tab-register" aria-selected={tab === 'register'} onClick={() => setTab('register')}>
            Register
          </button>
        )}
      </div>
      {tab === 'requests' ? <DisclosureQueue /> : <DisclosureRegisterView />}
      <div className="dialog-actions">
        <button type="button" className="primary" data-testid="disclosures-close" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
