/**
 * Says, above the wall, when actions are not being recorded as they happen (the ledger's disk
 * refuses writes: live view goes on, exports wait) and when the start-up check of the ledger found
 * something. Nothing shows while the ledger is written and its chain holds.
 */
import { useEffect, useState } from 'react';
import type { AuditStatus } from '../../../shared/events.js';
import { api, subscribeEvents } from '../api/client';

function describe(status: AuditStatus): string[] {
  const lines: string[] = [];
  if (status.state === 'degraded') {
    lines.push(`Auditing is degraded: the ledger cannot be written (${status.problem ?? 'unknown problem'}). ${status.queued} action(s) wait to be recorded; live view goes on, exports wait until they are.`);
  }
  if (status.check?.state === 'problems') lines.push(`The audit ledger's start-up check found ${status.check.problems.length} problem(s): ${status.check.problems.join(' ')}`);
  return lines;
}

export function AuditStatusNotice() {
  const [status, setStatus] = useState<AuditStatus | null>(null);
  useEffect(() => {
    const load = () => void api.getAuditStatus().then(setStatus, () => undefined);
    load();
    return subscribeEvents((event) => {
      if (event.type === 'audit.status') setStatus(event.status);
      else if (event.type === 'events.connected') load();
    });
  }, []);
  if (!status) return null;
  return (
    <>
      {describe(status).map((line) => (
        <p key={line} className="app-error audit-status" data-testid="audit-status" data-state={status.state} role="alert">
          {line}
        </p>
      ))}
    </>
  );
}
