/** The register's reading of the ledger: four eyes as the entries show them, and what it names when they do not. */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/api.js';
import { disclosureRegister } from '../../electron/core/disclosure/disclosure-register.js';

let seq = 0;
const entry = (actor: string, action: string, details: Record<string, unknown>): AuditEntry => ({ seq: ++seq, at: new Date(Date.UTC(2026, 11, 1, 0, 0, seq)).toISOString(), actor, role: 'admin', action, subject: 'CASE', details, prev: '', hash: '' });
const recipient = { person: 'DC Shah', organisation: 'Met' };

/** A disclosure's entries in order; `change` alters them before they are read. */
function disclosure(id: string, change: { approver?: string; requestSha256?: string; seal?: boolean; approvalAfter?: boolean } = {}): AuditEntry[] {
  const requested = entry('ivy', 'disclosure.requested', { requestId: id, recipient, legalBasis: { basis: 'court', text: '' }, requestSha256: 'h1' });
  const approved = entry(change.approver ?? 'eve', 'disclosure.approved', { requestId: id, note: 'ok', requestSha256: 'h1' });
  const exported = entry('ivy', 'evidence.export', { packageId: `p-${id}`, package: `WR-${id}`, caseReference: id, reason: 'r', recipient, cameras: ['c'], cameraNames: ['Door'], disclosure: { requestId: id, requestSha256: change.requestSha256 ?? 'h1' } });
  const sealed = entry('ivy', 'evidence.sealed', { packageId: `p-${id}`, package: `WR-${id}`, sha256sumsSha256: 'f'.repeat(64) });
  if (change.approvalAfter) [approved.seq, exported.seq] = [exported.seq, approved.seq];
  return [requested, ...(change.approvalAfter ? [exported, approved] : [approved, exported]), ...(change.seal === false ? [] : [sealed])];
}

const read = async (entries: AuditEntry[]) => disclosureRegister((async function* () { for (const e of entries) yield { entry: e }; })());

describe('the disclosure register', () => {
  it('reads a proper disclosure with no problem, and joins its four entries', async () => {
    const [row] = await read(disclosure('A'));
    expect(row).toMatchObject({ caseReference: 'A', approver: { name: 'eve' }, legalBasis: { basis: 'court' }, packageSha256: 'f'.repeat(64), problems: [] });
    expect([row!.requestSeq, row!.approvalSeq, row!.exportSeq, row!.sealedSeq]).toEqual([1, 2, 3, 4].map((n) => n + seq - 4));
  });

  it.each([
    ['approved by the requester', { approver: 'ivy' }, 'Approved by the person who asked for it.'],
    ['built from another request than the one approved', { requestSha256: 'h2' }, 'What was built differs from what was asked or approved (the request hashes disagree).'],
    ['without a seal', { seal: false }, 'The ledger has no seal entry (package hash) for it.'],
    ['approved after it left', { approvalAfter: true }, 'Its request or approval entry comes after the export.'],
  ] as const)('names a disclosure %s', async (_what, change, problem) => {
    const [row] = await read(disclosure('B', change));
    expect(row!.problems).toEqual([problem]);
  });

  it('lists an export with a recipient from before four eyes, and says so; leaves internal exports out', async () => {
    const old = entry('tester', 'evidence.export', { packageId: 'p-old', package: 'WR-OLD', caseReference: 'OLD', reason: 'r', recipient, cameras: ['c'] });
    const internal = entry('tester', 'evidence.export', { packageId: 'p-in', package: 'WR-IN', caseReference: 'IN', reason: 'r', recipient: null, cameras: ['c'] });
    const rows = await read([old, internal]);
    expect(rows.map((r) => r.caseReference)).toEqual(['OLD']);
    expect(rows[0]!.problems).toEqual(['Left without a four-eyes approval (exported before disclosures needed one).', 'The ledger has no seal entry (package hash) for it.']);
  });

  it('reads a site’s disclosure from several ledgers: orders entries only within one, and names each entry’s process and a copy edited in the directory', async () => {
    const [requested, approved, exported, sealed] = disclosure('S');
    // Asked and built on ws-1; approved on ws-2, whose ledger has counted further.
    approved!.seq = exported!.seq + 500;
    const onSite = (edited?: 'approval') =>
      disclosureRegister(
        (async function* () {
          yield { entry: requested!, node: 'ws-1' };
          yield { entry: approved!, node: 'ws-2', ...(edited === 'approval' ? { altered: true as const } : {}) };
          yield { entry: exported!, node: 'ws-1' };
          yield { entry: sealed!, node: 'ws-1' };
        })(),
      );
    const [row] = await onSite();
    expect(row).toMatchObject({ requestNode: 'ws-1', approvalNode: 'ws-2', exportNode: 'ws-1', approver: { name: 'eve' }, problems: [] });
    expect((await onSite('approval'))[0]!.problems).toEqual(['The directory’s copy of its approval entry was edited after it was written (its hash no longer matches, or the process whose ledger holds it found it unlike its ledger).']);
    // On one machine (no process named) the same seqs are one ledger's: the approval came after the export.
    expect((await read([requested!, approved!, exported!, sealed!]))[0]!.problems).toEqual(['Its request or approval entry comes after the export.']);
  });
});
