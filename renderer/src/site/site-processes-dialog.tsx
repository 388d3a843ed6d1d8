/**
 * The site's processes, for administrators (issue 13): every recorder and workstation registered in
 * the directory, with its key's fingerprint. A process is admitted by typing the fingerprint it shows
 * at its start (a recorder prints it; a workstation's own is marked "this workstation"): a process
 * someone registered under another's name, with keys of their own, does not match, and one nobody
 * admitted gets no camera password and no footage.
 */
import { useCallback, useEffect, useState } from 'react';
import type { SiteKeyInfo, SiteNode } from '../../../shared/site.js';
import { api } from '../api/client';
import { errorMessage } from '../lib/error-message';
import { formatLocalTime } from '../lib/format-time';
import { ModalDialog } from '../ui/modal-dialog';
import { SiteKeyPanel } from './site-key-panel';
import { FingerprintForm } from './fingerprint-form';
import '../ui/form.css';
import './site.css';

export function SiteProcessesDialog({ onClose }: { onClose(): void }) {
  const [nodes, setNodes] = useState<SiteNode[] | null>(null);
  const [siteKey, setSiteKey] = useState<SiteKeyInfo | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  // The first admission makes the site key, and a confirmed key admits the others here: both are read again after either.
  const load = useCallback(
    () =>
      Promise.all([api.listSiteNodes(), api.getSiteKey()]).then(
        ([list, key]) => (setNodes(list), setSiteKey(key), setProblem(null)),
        (error: unknown) => setProblem(errorMessage(error)),
      ),
    [],
  );
  useEffect(() => void load(), [load]);

  return (
    <ModalDialog title="Site processes" testId="site-dialog" className="site-dialog" onCancel={onClose}>
      <p className="dialog-lead">
        Admit a recorder or workstation only after comparing its fingerprint with the one it shows where it runs. Until then it is given no camera password and no footage.
      </p>
      {siteKey !== undefined && <SiteKeyPanel siteKey={siteKey} onConfirmed={() => void load()} />}
      {problem && (
        <p className="form-error" role="alert" data-testid="site-error">
          {problem}
        </p>
      )}
      <table className="site-table" data-testid="site-table">
        <thead>
          <tr>
            <th>Process</th>
            <th>Key fingerprint</th>
            <th>State</th>
            <th>Admission</th>
          </tr>
        </thead>
        <tbody>
          {(nodes ?? []).map((node) => (
            <SiteNodeRow key={node.id} node={node} onAdmitted={() => void load()} />
          ))}
        </tbody>
      </table>
      <div className="dialog-actions">
        <button type="button" data-testid="site-close" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}

function SiteNodeRow({ node, onAdmitted }: { node: SiteNode; onAdmitted(): void }) {
  return (
    <tr data-testid="site-node" data-node-id={node.id} data-admitted={node.admitted}>
      <td>
        <strong>{node.name}</strong>
        <div className="menu-note">
          {node.role === 'recorder' ? 'Recorder' : 'Workstation'} {node.id}
          {node.here && ' (this workstation)'}
        </div>
      </td>
      <td className="site-fingerprint" data-testid="site-fingerprint">
        {node.fingerprint}
      </td>
      <td>{node.alive ? 'Up' : 'Not seen lately'}</td>
      <td>
        {node.admitted ? (
          <span data-testid="site-admitted">
            Admitted by {node.admittedBy} at {formatLocalTime(node.admittedAt!)}
          </span>
        ) : (
          <FingerprintForm
            className="site-admit"
            label={`Fingerprint ${node.id} shows`}
            placeholder="Fingerprint it shows"
            button="Admit"
            testIds={{ input: 'site-fingerprint-input', submit: 'site-admit', error: 'site-admit-error' }}
            send={(typed) => api.admitSiteNode({ nodeId: node.id, fingerprint: typed }).then(onAdmitted)}
          />
        )}
      </td>
    </tr>
  );
}
