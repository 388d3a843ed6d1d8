/**
 * The disclosure register: every package that left, read by the core from the ledger, searchable by
 * text and legal basis, each row naming the ledger entries it rests on; "Download CSV" saves the same
 * rows as a file (a Blob download, which both shells allow).
 */
import { useEffect, useState } from 'react';
import { LEGAL_BASES, LEGAL_BASIS_NAMES, type DisclosureQuery, type DisclosureRow } from '../../../shared/disclosures.js';
import { api, subscribeEvents } from '../api/client';
import { errorMessage } from '../lib/error-message';
import { formatLocalTime } from '../lib/format-time';

function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function DisclosureRegisterView() {
  const [text, setText] = useState('');
  const [basis, setBasis] = useState<DisclosureQuery['legalBasis'] | ''>('');
  const [rows, setRows] = useState<DisclosureRow[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [changes, setChanges] = useState(0);
  const query: DisclosureQuery = { ...(text.trim() ? { text } : {}), ...(basis ? { legalBasis: basis } : {}) };
  const key = JSON.stringify(query);

  useEffect(() => subscribeEvents((event) => event.type === 'disclosures.changed' && setChanges((n) => n + 1)), []);
  useEffect(() => {
    let current = true;
    api.listDisclosures(JSON.parse(key) as DisclosureQuery).then(
      (list) => current && (setRows(list), setProblem(null)),
      (error: unknown) => current && setProblem(errorMessage(error)),
    );
    return () => void (current = false);
  }, [key, changes]);

  const saveCsv = () =>
    api.disclosuresCsv(query).then(
      (csv) => download(csv, `disclosure-register-${new Date().toISOString().slice(0, 10)}.csv`),
      (error: unknown) => setProblem(errorMessage(error)),
    );

  return (
    <div className="disclosure-register" data-testid="disclosure-register">
      <div className="ledger-tools">
        <input type="search" data-testid="register-search" placeholder="Search case, recipient, reason, people" aria-label="Search the register" value={text} onChange={(e) => setText(e.target.value)} />
        <select data-testid="register-basis" aria-label="Legal basis" value={basis} onChange={(e) => setBasis(e.target.value as DisclosureQuery['legalBasis'] | '')}>
          <option value="">Every legal basis</option>
          {LEGAL_BASES.map((b) => (
            <option key={b} value={b}>
              {LEGAL_BASIS_NAMES[b]}
            </option>
          ))}
        </select>
        <span className="menu-note" data-testid="register-count">
          {rows === null ? 'Loading…' : `${rows.length} disclosure${rows.length === 1 ? '' : 's'}`}
        </span>
        <button type="button" data-testid="register-csv" onClick={() => void saveCsv()}>
          Download CSV
        </button>
      </div>
      {problem && <p className="form-error" role="alert">{problem}</p>}
      <div className="ledger-scroll">
        <table className="ledger-table register-table">
          <thead>
            <tr>
              <th>Left</th>
              <th>Case</th>
              <th>Asked by</th>
              <th>Approved by</th>
              <th>Recipient</th>
              <th>Legal basis</th>
              <th>Reason</th>
              <th>Footage</th>
              <th>Package</th>
              <th>Ledger</th>
            </tr>
          </thead>
          <tbody>
            {(rows ?? []).map((row) => (
              <RegisterRow key={row.exportSeq} row={row} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

const who = (p: { name: string; displayName: string | null } | null) => (p ? (p.displayName ?? p.name) : '—');

function RegisterRow({ row }: { row: DisclosureRow }) {
  const span = row.fromUtc && row.toUtc ? `${formatLocalTime(Date.parse(row.fromUtc))} – ${formatLocalTime(Date.parse(row.toUtc), false)}` : '';
  return (
    <tr data-testid="register-row" data-case={row.caseReference} data-export-seq={row.exportSeq} data-problems={row.problems.length}>
      <td className="ledger-time" title={row.atUtc}>
        {row.atLocal}
        {row.problems.length > 0 && (
          <p className="form-error" data-testid="register-problems">
            {row.problems.join(' ')}
          </p>
        )}
      </td>
      <td>{row.caseReference}</td>
      <td>{who(row.requester)}</td>
      <td data-testid="register-approver">{who(row.approver)}</td>
      <td>
        {row.recipient.person}, {row.recipient.organisation}
      </td>
      <td data-testid="register-basis-cell">
        {row.legalBasis ? LEGAL_BASIS_NAMES[row.legalBasis.basis as keyof typeof LEGAL_BASIS_NAMES] ?? row.legalBasis.basis : '—'}
        {row.legalBasis?.text && `: ${row.legalBasis.text}`}
      </td>
      <td className="register-reason">{row.reason}</td>
      <td title={row.cameras.map((c) => `${c.id} ${c.name ?? ''}`).join('\n')}>
        {row.cameras.map((c) => c.name ?? c.id).join(', ')}
        <br />
        <span className="menu-note">{span}</span>
      </td>
      <td className="register-hash" title={`SHA-256 of SHA256SUMS: ${row.packageSha256 ?? 'not sealed'}\nSigner: ${row.signer ?? ''}`}>
        {row.packageName}
        <br />
        <code>{row.packageSha256?.slice(0, 16) ?? 'not sealed'}…</code>
      </td>
      <td className="menu-note" title="Ledger sequence numbers: request, approval, export, seal (on a site, each in the ledger of the process named)">
        {entryAt(row.requestSeq, row.requestNode)} / {entryAt(row.approvalSeq, row.approvalNode)} / {entryAt(row.exportSeq, row.exportNode)} / {entryAt(row.sealedSeq, row.exportNode)}
      </td>
    </tr>
  );
}

/** Where an entry is: its sequence number, in a site's process's ledger. */
const entryAt = (seq: number | null, node: string | null) => (seq === null ? '—' : node ? `${node} #${seq}` : `#${seq}`);
