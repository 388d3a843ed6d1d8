/**
 * "Oversight report…" (issue 12, point 7): choose a month, generate its signed report, see its
 * figures in brief and open the PDF. The core builds everything from the ledger; this only asks and shows.
 */
import { useEffect, useState } from 'react';
import { LEGAL_BASIS_NAMES } from '../../../shared/disclosures.js';
import type { OversightReportInfo, OversightReportSummary } from '../../../shared/oversight.js';
import { api } from '../api/client';
import { errorMessage } from '../lib/error-message';
import { ModalDialog } from '../ui/modal-dialog';
import '../ledger/audit-ledger.css';

/** Last month, as YYYY-MM in UTC: the report's months are UTC months. */
const lastMonth = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};
const minutes = (seconds: number) => `${Math.round(seconds / 60)} min`;

/** A link to a report's PDF, signed for this session. */
function PdfLink({ path, testId }: { path: string; testId: string }) {
  const [href, setHref] = useState<string | null>(null);
  useEffect(() => void api.mediaLink({ path }).then(setHref, () => setHref(null)), [path]);
  return href ? (
    <a href={href} target="_blank" rel="noreferrer" data-testid={testId}>
      Open the PDF
    </a>
  ) : null;
}

function Summary({ report }: { report: OversightReportSummary }) {
  const f = report.figures;
  const rows: Array<[string, string | number]> = [
    ['Live views opened', `${f.liveViews} (${minutes(f.liveSeconds)})`],
    ['Recorded playback sessions', `${f.playbackSessions} (${minutes(f.playbackSeconds)})`],
    ['Exports', f.exports],
    ['Disclosures outside the organisation', f.disclosures],
    ['Mask lifts', f.maskLifts],
    ['Deletion receipts (segments)', `${f.deletionReceipts} (${f.deletedSegments})`],
    ['Failed sign-ins', f.failedSignIns],
    ['Configuration changes', f.configurationChanges],
  ];
  return (
    <section data-testid="oversight-summary">
      <p>
        {report.month} (UTC month), ledger entries {report.ledger.firstSeq ?? '–'} to {report.ledger.lastSeq ?? '–'}, drawn from the signed checkpoint at entry {report.checkpoint.seq}{report.checkpoint.taken ? ' (taken now: none covered the month yet)' : ''}. Written to <code>{report.folder}</code>. <PdfLink path={report.pdfPath} testId="oversight-pdf" />
      </p>
      <table className="ledger-table" data-testid="oversight-figures">
        <tbody>
          {rows.map(([what, value]) => (
            <tr key={what}>
              <th scope="row">{what}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.byLegalBasis.length > 0 && (
        <table className="ledger-table" data-testid="oversight-bases">
          <thead>
            <tr>
              <th>Legal basis</th>
              <th>Disclosures</th>
            </tr>
          </thead>
          <tbody>
            {report.byLegalBasis.map((b) => (
              <tr key={b.basis}>
                <td>{LEGAL_BASIS_NAMES[b.basis as keyof typeof LEGAL_BASIS_NAMES] ?? b.basis}</td>
                <td>{b.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.byOrganisation.length > 0 && (
        <table className="ledger-table" data-testid="oversight-organisations">
          <thead>
            <tr>
              <th>Recipient organisation</th>
              <th>Disclosures</th>
            </tr>
          </thead>
          <tbody>
            {report.byOrganisation.map((o) => (
              <tr key={o.organisation}>
                <td>{o.organisation}</td>
                <td>{o.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function OversightReportDialog({ onClose }: { onClose(): void }) {
  const [month, setMonth] = useState(lastMonth);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<OversightReportSummary | null>(null);
  const [earlier, setEarlier] = useState<OversightReportInfo[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const list = () => void api.listOversightReports().then(setEarlier, () => undefined);
  useEffect(list, []);

  const generate = () => {
    setBusy(true);
    api.createOversightReport({ month }).then(
      (r) => (setReport(r), setProblem(null), setBusy(false), list()),
      (error: unknown) => (setProblem(errorMessage(error)), setBusy(false)),
    );
  };

  return (
    <ModalDialog title="Oversight report" testId="oversight-dialog" onCancel={onClose}>
      <form className="wall-history-tools" onSubmit={(e) => (e.preventDefault(), generate())}>
        <label htmlFor="oversight-month">Month (UTC)</label>
        <input id="oversight-month" type="month" data-testid="oversight-month" value={month} onChange={(e) => setMonth(e.target.value)} required />
        <button type="submit" data-testid="oversight-generate" disabled={busy}>
          {busy ? 'Generating…' : 'Generate'}
        </button>
      </form>
      {problem && (
        <p className="form-error" role="alert" data-testid="oversight-error">
          {problem}
        </p>
      )}
      {report && <Summary report={report} />}
      {earlier.length > 0 && (
        <details>
          <summary>Reports generated before ({earlier.length})</summary>
          <ul data-testid="oversight-earlier">
            {earlier.map((r) => (
              <li key={r.name}>
                {r.month}, generated {r.generatedAtUtc} — <PdfLink path={r.pdfPath} testId={`oversight-pdf-${r.name}`} />
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="dialog-actions">
        <button type="button" data-testid="oversight-close" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
