/** Where a disclosure request stands, in words: waiting, refused (with the reason), building, ready or failed. */
import { useEffect, useState } from 'react';
import type { DisclosureRequest } from '../../../shared/disclosures.js';
import { api } from '../api/client';
import { useSession } from '../session/session-context';
import { PackageReady } from '../incidents/package-ready';

export function DisclosureState({ request }: { request: DisclosureRequest }) {
  const by = request.decidedBy ? request.decidedBy.displayName : '';
  const text = {
    pending: 'Waiting for approval by an evidence officer or administrator (not the person who asked).',
    approved: `Approved by ${by}; the package is being built.`,
    refused: `Refused by ${by}: ${request.note ?? ''}`,
    built: `Approved by ${by}; the package is ready.`,
    failed: `Approved by ${by}, but building failed: ${request.failure ?? ''}`,
  }[request.state];
  return (
    <div className="disclosure-state" data-testid="disclosure-state" data-state={request.state}>
      <p className={request.state === 'refused' || request.state === 'failed' ? 'form-error' : undefined}>{text}</p>
      {request.state !== 'refused' && request.state !== 'pending' && request.note && <p className="menu-note">Approval note: {request.note}</p>}
      {request.state === 'built' && request.packageName && <BuiltPackage name={request.packageName} />}
    </div>
  );
}

/** The finished package as the export dialog shows one, for those who may export (the requester among them). */
function BuiltPackage({ name }: { name: string }) {
  const { can } = useSession();
  const [path, setPath] = useState<string | null>(null);
  useEffect(() => {
    if (!can('evidence.export')) return;
    void api.listPackages().then((list) => setPath(list.find((p) => p.name === name)?.path ?? null), () => undefined);
  }, [name, can]);
  return path ? <PackageReady path={path} /> : <p data-testid="disclosure-package-name">Package {name}</p>;
}
