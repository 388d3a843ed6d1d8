/** Evidence officers check a package: every hash, the signature, the signer, the manifest, the custody extract. */
import { useEffect, useState } from 'react';
import type { PackageSummary, VerificationReport } from '../../../shared/evidence.js';
import { api } from '../api/client';
import { errorMessage } from '../lib/error-message';
import { ModalDialog } from '../ui/modal-dialog';
import '../ui/form.css';
import './export-dialog.css';

export function VerifyDialog({ initialPath, onClose }: { initialPath: string; onClose(): void }) {
  const [path, setPath] = useState(initialPath);
  const [packages, setPackages] = useState<PackageSummary[]>([]);
  const [report, setReport] = useState<VerificationReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [fingerprint, setFingerprint] = useState('');

  useEffect(() => {
    api.listPackages().then(setPackages, () => undefined);
    api.getSigningKey().then((k) => setFingerprint(k.fingerprint), () => undefined);
  }, []);

  const verify = async () => {
    setBusy(true);
    setProblem(null);
    setReport(null);
    try {
      setReport(await api.verifyPackage({ path }));
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ModalDialog title="Verify an evidence package" testId="verify-dialog" onCancel={onClose}>
      <div className="dialog-form">
        {packages.length > 0 && (
          <div className="form-field">
            <label htmlFor="verify-choose">Packages exported here</label>
            <select id="verify-choose" data-testid="verify-choose" value={packages.some((p) => p.path === path) ? path : ''} onChange={(e) => setPath(e.target.value)}>
              <option value="">Choose…</option>
              {packages.map((p) => (
                <option key={p.path} value={p.path}>{p.name}</option>
              ))}
            </select>
          </div>
        )}
        <div className="form-field">
          <label htmlFor="verify-path">Package folder</label>
          <input id="verify-path" data-testid="verify-path" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/media/usb/WR-CASE-…" />
        </div>
        {problem && <p className="form-error" role="alert">{problem}</p>}
        {report && (
          <div className={report.ok ? 'verify-result ok' : 'verify-result failed'} data-testid="verify-result" data-ok={String(report.ok)}>
            <p className="verify-verdict">{report.ok ? '✔ Verified' : `✖ ${report.failures.length} problem(s)`}</p>
            <p>Case {report.caseReference ?? 'unknown'} · {report.filesChecked} files match SHA256SUMS</p>
            <p>Signer {report.signer.fingerprint ?? 'unknown'} — {report.signer.trusted ? 'trusted here' : 'NOT trusted here'}</p>
            <ul>
              {report.failures.map((f, i) => (
                <li key={i} data-testid="verify-failure" data-code={f.code}>{f.message}</li>
              ))}
            </ul>
          </div>
        )}
        <p className="dialog-lead">This workstation signs with key {fingerprint}</p>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Close</button>
          <button type="button" className="primary" data-testid="verify-run" disabled={!path || busy} onClick={() => void verify()}>
            {busy ? 'Checking…' : 'Verify'}
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}
