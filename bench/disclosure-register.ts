/**
 * How long the disclosure register takes to read from a ledger, which it scans whole on every call:
 * a synthetic ledger of `--entries` lines (segment captures, as a busy site's ledger mostly is) with
 * `--disclosures` disclosures among them (request, approval, export, seal each), read by the
 * register and written as CSV. Prints JSON; never fails on the figures.
 *
 *   npm run bench:disclosure-register [-- --entries 200000 --disclosures 1000]
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLedgerLines } from '../electron/core/audit/audit-ledger.js';
import { disclosureRegister } from '../electron/core/disclosure/disclosure-register.js';
import { disclosuresCsv } from '../electron/core/disclosure/register-csv.js';

const { values } = parseArgs({ options: { entries: { type: 'string', default: '200000' }, disclosures: { type: 'string', default: '1000' } } });
const total = Number(values.entries);
const disclosures = Number(values.disclosures);

/** Entries shaped as the core writes them; the chain is not checked by the register, so hashes are placeholders. */
function syntheticLedger(): string {
  const lines: string[] = [];
  const every = Math.max(1, Math.floor(total / Math.max(1, disclosures)));
  let seq = 0;
  const at = (n: number) => new Date(Date.UTC(2026, 10, 1) + n * 1000).toISOString();
  const push = (actor: string, role: string | undefined, action: string, subject: string, details: Record<string, unknown>) =>
    lines.push(JSON.stringify({ seq: ++seq, at: at(seq), actor, ...(role ? { role } : {}), action, subject, details, prev: '0'.repeat(64), hash: '0'.repeat(64) }));
  for (let d = 0; seq < total; d++) {
    for (let i = 0; i < every - 4 && seq < total; i++) push('system', undefined, 'segment.closed', 'cam-1', { path: `cam-1/${seq}.ts`, sha256: 'a'.repeat(64), bytes: 1_000_000 });
    if (d >= disclosures) continue;
    const requestId = `req-${d}`;
    const common = { requestId, caseReference: `CASE-${d}`, recipient: { person: 'DC Shah', organisation: 'Met, "Police"' }, legalBasis: { basis: 'court', text: 'Order' } };
    push('ivy', 'investigator', 'disclosure.requested', `CASE-${d}`, { ...common, reason: 'Assault' });
    push('eve', 'evidence-officer', 'disclosure.approved', `CASE-${d}`, { ...common, note: 'ok' });
    push('ivy', 'investigator', 'evidence.export', `CASE-${d}`, { packageId: `pkg-${d}`, package: `WR-CASE-${d}`, caseReference: `CASE-${d}`, reason: 'Assault', recipient: common.recipient, range: { startUtc: at(0), endUtc: at(30) }, cameras: ['cam-1'], cameraNames: ['Door'], signer: 'ab:cd', disclosure: { requestId, requestedBy: { name: 'ivy', displayName: 'Ivy' }, approvedBy: { name: 'eve', displayName: 'Eve' }, legalBasis: common.legalBasis } });
    push('ivy', 'investigator', 'evidence.sealed', `CASE-${d}`, { packageId: `pkg-${d}`, package: `WR-CASE-${d}`, sha256sumsSha256: 'b'.repeat(64), signer: 'ab:cd', requestId });
  }
  return `${lines.join('\n')}\n`;
}

const dir = mkdtempSync(join(tmpdir(), 'watchroom-bench-register-'));
try {
  const file = join(dir, 'audit.jsonl');
  writeFileSync(file, syntheticLedger());
  const runs: Array<{ registerMs: number; csvMs: number; rows: number; csvBytes: number }> = [];
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const rows = await disclosureRegister(readLedgerLines(file));
    const t1 = performance.now();
    const csv = disclosuresCsv(rows);
    const t2 = performance.now();
    runs.push({ registerMs: Math.round(t1 - t0), csvMs: Math.round(t2 - t1), rows: rows.length, csvBytes: Buffer.byteLength(csv) });
  }
  console.log(JSON.stringify({ entries: total, disclosures, ledgerBytes: statSync(file).size, runs }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
