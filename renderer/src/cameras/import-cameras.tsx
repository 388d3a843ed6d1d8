/** "Import…": a camera list from a .json or .csv file. The core takes all rows or none and names each bad row. */
import { useRef, useState } from 'react';
import { api } from '../api/client';
import { importFailed, importSucceeded, type ImportReport } from './import-report';

/** The API refuses larger texts; saying so before reading the file is kinder. */
const MAX_IMPORT_BYTES = 1_000_000;

/** `refusal`: why this person may not import cameras, when they may not. */
export function ImportCameras({ refusal }: { refusal: string | undefined }) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState(false);

  const importFile = async (file: File) => {
    setBusy(true);
    setReport(null);
    try {
      if (file.size > MAX_IMPORT_BYTES) throw new Error('It is larger than 1 MB; split the list into smaller files.');
      const format = file.name.toLowerCase().endsWith('.csv') ? 'csv' : 'json';
      setReport(importSucceeded(await api.importCameras({ text: await file.text(), format })));
    } catch (error) {
      setReport(importFailed(file.name, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" data-testid="import-cameras" disabled={busy || refusal !== undefined} title={refusal} onClick={() => fileInput.current?.click()}>
        Import…
      </button>
      <input
        ref={fileInput}
        type="file"
        hidden
        accept=".json,.csv,application/json,text/csv"
        data-testid="import-file"
        onChange={(event) => {
          const file = event.target.files?.[0];
          // Cleared so choosing the same file again (after fixing it) fires another change.
          event.target.value = '';
          if (file) void importFile(file);
        }}
      />
      {report && (
        <div className={`import-report ${report.ok ? 'import-ok' : 'import-failed'}`} data-testid="import-report" role={report.ok ? 'status' : 'alert'}>
          <p className="import-summary">{report.summary}</p>
          {report.problems.length > 0 && (
            <ul className="import-errors" data-testid="import-errors">
              {report.problems.map((problem) => (
                <li key={problem} data-testid="import-error">
                  {problem}
                </li>
              ))}
            </ul>
          )}
          {report.outcome && (
            <p className="import-summary" data-testid="import-outcome">
              {report.outcome}
            </p>
          )}
          <button type="button" className="link-button" data-testid="import-dismiss" onClick={() => setReport(null)}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}
