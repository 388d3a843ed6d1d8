/**
 * A site's disclosure register (issue 13 with issue 12's register): two workstations' real ledgers
 * copy their register entries into a real PostgreSQL directory, and the register read from those
 * copies joins a request and build on one workstation with the approval on the other. The copies
 * take inserts only; one edited behind the triggers' back is named in its row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLedger, entryHash, parseEntry } from '../../electron/core/audit/audit-ledger.js';
import { openDirectory } from '../../electron/core/directory/open-directory.js';
import type { Directory } from '../../electron/core/directory/directory.js';
import { disclosureRegister } from '../../electron/core/disclosure/disclosure-register.js';
import { copiedEntries, copyRegisterEntries, type EntryCopyTable } from '../../electron/core/disclosure/register-copies.js';
import type { Logger } from '../../electron/core/logger.js';
import { startTestPostgres, type TestPostgres } from '../fixtures/postgres.js';
import { waitFor } from '../fixtures/wait-for.js';

const logged: string[] = [];
const logger: Logger = { log: (level, msg) => void logged.push(`${level} ${msg}`) };
const recipient = { person: 'DC Priya Shah', organisation: 'Metropolitan Police' };

let cluster: TestPostgres;
let url: string;
let directory: Directory;
let table: EntryCopyTable;
const folders: string[] = [];
const ledgerIn = () => {
  const dir = mkdtempSync(join(tmpdir(), 'watchroom-register-'));
  folders.push(dir);
  return new AuditLedger(join(dir, 'audit.jsonl'));
};

beforeAll(async () => {
  cluster = await startTestPostgres();
  url = await cluster.createDatabase();
  directory = openDirectory({ url }, logger);
  await directory.ready;
  table = directory.site!.entryCopies;
});

afterAll(async () => {
  await directory?.close();
  await cluster?.stop();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

const copiesOf = async (node: string) => (await table.all()).filter((c) => c.node === node);
const register = () => disclosureRegister(copiedEntries(table, logger));

describe('a site’s disclosure register, from every workstation’s copied entries', () => {
  it('joins a request and build on workstation 1 with the approval on workstation 2, names each entry’s process, and copies what a workstation wrote while it was not copying', async () => {
    const [ws1, ws2] = [ledgerIn(), ledgerIn()];
    // Workstation 2 has counted further: its approval's seq is beyond the export's.
    for (let i = 0; i < 20; i++) ws2.append('system', 'relay.open', 'cam-a');
    const ivy = { name: 'ivy', role: 'investigator' as const };
    const eve = { name: 'eve', role: 'evidence-officer' as const };
    // Written before workstation 1 copies anything (as if the directory were out of reach): copied at its start.
    ws1.append(ivy, 'disclosure.requested', 'CASE-1', { requestId: 'r1', recipient, legalBasis: { basis: 'court', text: 'Order 7' }, requestSha256: 'h1' });
    ws1.append('system', 'relay.open', 'cam-a'); // not a register entry: stays in the ledger only
    const stop1 = copyRegisterEntries({ ledger: ws1, table, node: 'ws-1', logger });
    const stop2 = copyRegisterEntries({ ledger: ws2, table, node: 'ws-2', logger });
    await waitFor('the request copied', async () => (await copiesOf('ws-1')).length === 1);
    ws2.append(eve, 'disclosure.approved', 'CASE-1', { requestId: 'r1', note: 'Order seen.', requestSha256: 'h1' });
    ws1.append(ivy, 'evidence.export', 'CASE-1', { packageId: 'p1', package: 'WR-CASE-1', caseReference: 'CASE-1', reason: 'Assault', recipient, cameras: ['cam-a'], disclosure: { requestId: 'r1', requestSha256: 'h1' } });
    ws1.append(ivy, 'evidence.sealed', 'CASE-1', { packageId: 'p1', package: 'WR-CASE-1', sha256sumsSha256: 'f'.repeat(64) });
    await waitFor('every register entry copied', async () => (await copiesOf('ws-1')).length === 3 && (await copiesOf('ws-2')).length === 1);
    stop1();
    stop2();
    const [row] = await register();
    expect(row).toMatchObject({ requestId: 'r1', requester: { name: 'ivy' }, approver: { name: 'eve' }, requestNode: 'ws-1', approvalNode: 'ws-2', exportNode: 'ws-1', packageSha256: 'f'.repeat(64), problems: [] });
    expect(row!.approvalSeq! > row!.exportSeq).toBe(true);
    // Started again, a workstation copies nothing twice and nothing it already copied.
    const again = copyRegisterEntries({ ledger: ws1, table, node: 'ws-1', logger });
    ws1.append(ivy, 'disclosure.requested', 'CASE-2', { requestId: 'r2', recipient, legalBasis: { basis: 'other', text: 'x' }, requestSha256: 'h2' });
    await waitFor('the new request copied', async () => (await copiesOf('ws-1')).length === 4);
    again();
    expect(new Set((await copiesOf('ws-1')).map((c) => c.line)).size).toBe(4);
  });

  it('refuses every update, delete and truncate of a copy; one edited with the triggers switched off is named in its row', async () => {
    for (const sql of ["UPDATE ledger_entry_copies SET line = 'x'", 'DELETE FROM ledger_entry_copies', 'TRUNCATE ledger_entry_copies']) {
      await expect(cluster.query(url, sql)).rejects.toThrow(/append-only/);
    }
    // Someone with the database owner's rights changes who approved.
    await cluster.query(
      url,
      `ALTER TABLE ledger_entry_copies DISABLE TRIGGER USER;
       UPDATE ledger_entry_copies SET line = replace(line, '"actor":"eve"', '"actor":"erin"') WHERE node_id = 'ws-2' AND action = 'disclosure.approved';
       ALTER TABLE ledger_entry_copies ENABLE TRIGGER USER;`,
    );
    const row = (await register()).find((r) => r.requestId === 'r1');
    expect(row?.approver?.name).toBe('erin');
    expect(row?.problems).toEqual(['The directory’s copy of its approval entry was edited after it was written (its hash no longer matches, or the process whose ledger holds it found it unlike its ledger).']);
  });

  it('names a copy edited with its hash made again once its own workstation has held its copies to its ledger (at its next start)', async () => {
    const ws3 = ledgerIn();
    const ivy = { name: 'ivy', role: 'investigator' as const };
    const eve = { name: 'eve', role: 'evidence-officer' as const };
    ws3.append(ivy, 'disclosure.requested', 'CASE-3', { requestId: 'r3', recipient, legalBasis: { basis: 'court', text: 'Order 9' }, requestSha256: 'h3' });
    ws3.append(eve, 'disclosure.approved', 'CASE-3', { requestId: 'r3', note: 'Seen.', requestSha256: 'h3' });
    ws3.append(ivy, 'evidence.export', 'CASE-3', { packageId: 'p3', package: 'WR-CASE-3', caseReference: 'CASE-3', reason: 'Theft', recipient, cameras: ['cam-a'], disclosure: { requestId: 'r3', requestSha256: 'h3' } });
    ws3.append(ivy, 'evidence.sealed', 'CASE-3', { packageId: 'p3', package: 'WR-CASE-3', sha256sumsSha256: 'e'.repeat(64) });
    const stop = copyRegisterEntries({ ledger: ws3, table, node: 'ws-3', logger });
    await waitFor('its entries copied', async () => (await copiesOf('ws-3')).length === 4);
    stop();
    // Someone with the owner's rights makes eve's approval erin's, and makes its hash again: the copy holds by itself.
    const [approval] = await cluster.query<{ line: string }>(url, "SELECT line FROM ledger_entry_copies WHERE node_id = 'ws-3' AND action = 'disclosure.approved'");
    const forged = { ...parseEntry(approval!.line)!, actor: 'erin' };
    const { hash: _hash, ...unhashed } = forged;
    const line = JSON.stringify({ ...unhashed, hash: entryHash(unhashed) });
    expect(entryHash(parseEntry(line)!)).toBe(parseEntry(line)!.hash);
    await cluster.query(url, 'ALTER TABLE ledger_entry_copies DISABLE TRIGGER USER');
    await cluster.query(url, "UPDATE ledger_entry_copies SET line = $1 WHERE node_id = 'ws-3' AND action = 'disclosure.approved'", [line]).finally(() => cluster.query(url, 'ALTER TABLE ledger_entry_copies ENABLE TRIGGER USER'));
    const row = async () => (await register()).find((r) => r.requestId === 'r3');
    expect(await row()).toMatchObject({ approver: { name: 'erin' }, problems: [] });
    // Workstation 3 starts again: it finds the copy unlike its ledger, says so in its ledger, and that entry is copied.
    const again = copyRegisterEntries({ ledger: ws3, table, node: 'ws-3', logger });
    await waitFor('its word copied to the directory', async () => (await copiesOf('ws-3')).some((c) => c.line.includes('"disclosure.copy-differs"')));
    again();
    expect((await row())?.problems).toEqual(['The directory’s copy of its approval entry was edited after it was written (its hash no longer matches, or the process whose ledger holds it found it unlike its ledger).']);
    expect(logged).toContain('error disclosures: the directory’s copy of a ledger entry differs from the ledger');
  });
});
