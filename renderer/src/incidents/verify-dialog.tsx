/**
 * Evidence officers check a package: every hash, the signature, the signer, the manifest, the custody
 * extract. A package arrives by drop, by choosing its folder, from this workstation's exports, or by
 * path; the signers trusted here are listed, and a partner's key can be imported. Opened with a
 * path (an export just finished), it checks that package at once. A dropped or chosen folder is named
 * as the user knows it, never by the copy the browser shell checks (received/<upload id>/…).
 */
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { PackageSummary, TrustedKey, VerificationOutcome, VerificationReport } from '../../../shared/evidence.js';
import { api, packageFolder } from '../api/client';
import { errorMessage } from '../lib/error-message';
import { formatEvidenceTime } from '../lib/format-time';
import { ModalDialog } from '../ui/modal-dialog';
import { filesFromDrop, filesFromInput, type PackageFile } from './package-folder-files';
import '../ui/form.css';
import './export-dialog.css';

/** `webkitdirectory` is not in React's attribute types; every current browser and Electron honour it. */
const FOLDER_PICKER = { webkitdirectory: '' } as object;

/** The three outcomes, worded so an intact package from an unknown signer never reads as verified. */
const VERDICT: Record<VerificationOutcome, (r: VerificationReport) => string> = {
  verified: () => '✔ Verified',
  'signer-untrusted': () => '⚠ Intact, but signed by a key this workstation does not trust: compare the fingerprint below with the sender’s before relying on it',
  failed: (r) => `✖ ${r.failures.length} problem(s)`,
};

export function VerifyDialog({ initialPath, onClose }: { initialPath: string; onClose(): void }) {
  const [path, setPath] = useState(initialPath);
  const [packages, setPackages] = useState<PackageSummary[]>([]);
  const [report, setReport] = useState<VerificationReport | null>(null);
  /** The package the result is about, as the user named it: the path checked, or the folder's own name. */
  const [checked, setChecked] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Fraction of a dropped package copied to the host, while copying. */
  const [copied, setCopied] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);
  const [trusted, setTrusted] = useState<TrustedKey[]>([]);
  const [keyNote, setKeyNote] = useState<string | null>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const keyInput = useRef<HTMLInputElement>(null);

  const loadTrusted = useCallback(() => void api.listTrustedKeys().then(setTrusted, () => undefined), []);
  useEffect(() => {
    api.listPackages().then(setPackages, () => undefined);
    loadTrusted();
  }, [loadTrusted]);

  /** Checks the folder at `where`; `name` is what the user calls it when that is not a path they typed or chose here. */
  const verify = async (where: string | Promise<string>, name?: string) => {
    setBusy(true);
    setProblem(null);
    setReport(null);
    setChecked(null);
    try {
      const folder = await where;
      // A handed-over folder is not a path to type again (in the browser shell, only the host's copy).
      setPath(name === undefined ? folder : '');
      setCopied(null);
      setReport(await api.verifyPackage({ path: folder }));
      setChecked(name ?? folder);
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
      setCopied(null);
    }
  };
  const verifyFiles = async (files: Promise<PackageFile[]>) => {
    let list: PackageFile[];
    try {
      list = await files;
      if (list.length === 0) throw new Error('That folder is empty.');
    } catch (error) {
      setReport(null);
      return setProblem(errorMessage(error));
    }
    setCopied(0);
    // Every path starts with the folder's own name (package-folder-files.ts).
    await verify(packageFolder(list, setCopied), list[0]!.relativePath.split('/')[0]!);
  };

  // Opened for a package just exported: check it without another click (once, though StrictMode mounts twice).
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current || !initialPath) return;
    opened.current = true;
    void verify(initialPath);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the path the dialog was opened with, once
  }, []);

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (!busy) void verifyFiles(filesFromDrop(event.dataTransfer));
  };

  const importKey = async (file: File) => {
    setKeyNote(null);
    try {
      const { fingerprint } = await api.importTrustedKey({ pem: await file.text() });
      setKeyNote(`Now trusted: ${fingerprint}`);
      loadTrusted();
    } catch (error) {
      setKeyNote(errorMessage(error));
    }
  };

  return (
    <ModalDialog title="Verify an evidence package" testId="verify-dialog" onCancel={onClose}>
      <div className="dialog-form">
        <div
          className={dragging ? 'verify-drop dragging' : 'verify-drop'}
          data-testid="verify-drop"
          onDragOver={(e) => (e.preventDefault(), setDragging(true))}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <p>Drop a package folder here</p>
          <button type="button" data-testid="verify-choose-folder" disabled={busy} onClick={() => folderInput.current?.click()}>Choose folder…</button>
          <input ref={folderInput} type="file" hidden data-testid="verify-folder-input" {...FOLDER_PICKER} onChange={(e) => {
            // Copied out first: clearing the input (so the same folder can be chosen again) empties its FileList.
            const list = [...(e.target.files ?? [])];
            e.target.value = '';
            void verifyFiles(Promise.resolve().then(() => filesFromInput(list)));
          }} />
        </div>
        {packages.length > 0 && (
          <div className="form-field">
            <label htmlFor="verify-choose">Packages exported here</label>
            <select id="verify-choose" data-testid="verify-choose" value={packages.some((p) => p.path === path) ? path : ''} onChange={(e) => setPath(e.target.value)}>
              <option value="">Choose…</option>
              {packages.map((p) => (
                <option key={p.path} value={p.path}>
                  {p.name}
                  {p.exportedAt && ` · exported ${formatEvidenceTime(p.exportedAt)}`}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="form-field">
          <label htmlFor="verify-path">Package folder</label>
          <input id="verify-path" data-testid="verify-path" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/media/usb/WR-CASE-…" />
        </div>
        {copied !== null && (
          <div className="export-progress" data-testid="verify-copy">
            <progress max={1} value={copied} />
            <p>Copying the package to this workstation for checking… {Math.round(copied * 100)} %</p>
          </div>
        )}
        {problem && <p className="form-error" role="alert" data-testid="verify-problem">{problem}</p>}
        {report && (
          <div className={`verify-result ${report.outcome}`} data-testid="verify-result" data-ok={String(report.ok)} data-outcome={report.outcome}>
            <p className="verify-verdict">{VERDICT[report.outcome](report)}</p>
            <p>
              Package <strong data-testid="verify-package-name">{checked}</strong>
            </p>
            <p>Case {report.caseReference ?? 'unknown'} · {report.filesChecked} files match SHA256SUMS</p>
            <p>Signer {report.signer.fingerprint ?? 'unknown'} — {report.signer.trusted ? 'trusted here' : 'NOT trusted here'}</p>
            {report.custodySigners.map((s) => (
              <p key={s.recorderId} data-testid="verify-custody-signer">
                Recorder {s.recorderId} vouches with {s.fingerprint ?? 'an unreadable key'} — {s.trusted ? 'trusted here' : 'NOT trusted here'}
                {s.heldByDirectory === undefined ? null : s.heldByDirectory ? ' · its ledger anchors are the site directory’s copies' : ' · its ledger anchors are NOT the site directory’s copies'}
              </p>
            ))}
            <ul>
              {report.failures.map((f, i) => (
                <li key={i} data-testid="verify-failure" data-code={f.code}>{f.message}</li>
              ))}
            </ul>
          </div>
        )}
        <details className="verify-trusted" data-testid="verify-trusted">
          <summary>Trusted signers ({trusted.length})</summary>
          <ul>
            {trusted.map((k) => (
              <li key={k.fingerprint} data-testid="trusted-key" data-own={String(k.own)}>
                <code>{k.fingerprint}</code> {k.own ? '(this workstation)' : k.siteNode ? `(${k.siteNode}, admitted into this site)` : '(imported)'}
              </li>
            ))}
          </ul>
          <p className="dialog-lead">Import a signer’s public key only after checking its fingerprint with the organisation that publishes it.</p>
          <button type="button" onClick={() => keyInput.current?.click()}>Import a signer’s key…</button>
          <input ref={keyInput} type="file" hidden accept=".pem,.pub,text/plain" data-testid="verify-import-key" onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void importKey(file);
            e.target.value = '';
          }} />
          {keyNote && <p className="dialog-lead" data-testid="verify-key-note">{keyNote}</p>}
        </details>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Close</button>
          <button type="button" className="primary" data-testid="verify-run" disabled={!path || busy} onClick={() => void verify(path)}>
            {busy ? 'Checking…' : 'Verify'}
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}
