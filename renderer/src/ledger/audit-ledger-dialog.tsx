/**
 * The audit ledger, for those whose role may read it: newest first, who acted and in which role,
 * what and on what, the details in brief. Entries the system made itself stand apart.
 */
import { useEffect, useMemo, useState } from 'react';
import type { AuditEntry } from '../../../shared/api.js';
import { ROLE_NAMES } from '../../../shared/roles.js';
import { api } from '../api/client';
import { errorMessage } from '../lib/error-message';
import { formatLocalTime, formatUtcTime } from '../lib/format-time';
import { ModalDialog } from '../ui/modal-dialog';
import { matchesFilter, newestFirst, summarizeDetails } from './ledger-entries';
import './audit-ledger.css';

const PAGE = 200;
/** listAudit answers at most this many entries. */
const MOST = 1000;

function LedgerRow({ entry }: { entry: AuditEntry }) {
  const system = entry.actor === 'system';
  return (
    <tr data-testid="ledger-row" data-seq={entry.seq} data-actor={entry.actor} data-action={entry.action} className={system ? 'ledger-system' : undefined}>
      <td className="ledger-time" title={formatUtcTime(Date.parse(entry.at))}>{formatLocalTime(Date.parse(entry.at))}</td>
      <td>{system ? <span className="ledger-system-tag">SYSTEM</span> : entry.actor}</td>
      <td>{entry.role ? ROLE_NAMES[entry.role] : ''}</td>
      <td className="ledger-action">{entry.action}</td>
      <td className="ledger-subject" title={entry.subject}>
        {entry.subject}
      </td>
      <td className="ledger-details" title={entry.details ? JSON.stringify(entry.details, null, 1) : undefined}>
        {summarizeDetails(entry.details)}
      </td>
    </tr>
  );
}

export function AuditLedgerDialog({ onClose }: { onClose(): void }) {
  const [limit, setLimit] = useState(PAGE);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [filter, setFilter] = useState('');

  useEffect(() => {
    api.listAudit({ limit }).then((list) => (setEntries(newestFirst(list)), setProblem(null)), (error: unknown) => setProblem(errorMessage(error)));
  }, [limit]);
  const shown = useMemo(() => (entries ?? []).filter((entry) => matchesFilter(entry, filter)), [entries, filter]);
  const more = entries !== null && entries.length === limit && limit < MOST;

  return (
    <ModalDialog title="Audit ledger" testId="ledger-dialog" className="ledger-dialog" onCancel={onClose}>
      <div className="ledger-tools">
        <input type="search" data-testid="ledger-filter" placeholder="Filter by person, role or action" aria-label="Filter by person, role or action" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <span className="menu-note" data-testid="ledger-count">
          {entries === null ? 'Loading…' : `${shown.length} of the latest ${entries.length} entries`}
        </span>
      </div>
      {problem && (
        <p className="form-error" role="alert" data-testid="ledger-error">
          {problem}
        </p>
      )}
      <div className="ledger-scroll">
        <table className="ledger-table">
          <thead>
            <tr>
              <th>Time</th>
              <th>Person</th>
              <th>Role</th>
              <th>Action</th>
              <th>Subject</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((entry) => (
              <LedgerRow key={entry.seq} entry={entry} />
            ))}
          </tbody>
        </table>
      </div>
      <div className="dialog-actions">
        {more && (
          <button type="button" data-testid="ledger-more" onClick={() => setLimit((n) => Math.min(MOST, n + PAGE))}>
            Show {PAGE} more
          </button>
        )}
        <button type="button" data-testid="ledger-close" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
