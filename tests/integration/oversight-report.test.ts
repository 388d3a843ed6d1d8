/**
 * The oversight report (issue 12, point 7) end to end: a month of synthetic entries in a real
 * ledger, a real core generating the report from it, the folder checked with sha256sum and openssl,
 * the PDF rendered with pdftoppm (the PNGs land in tests/artifacts/oversight-report/ to be looked
 * at), and watchroom-verify --report accepting it and rejecting every kind of tampering.
 */
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/api.js';
import type { OversightReportSummary } from '../../shared/oversight.js';
import { AuditLedger, entryHash } from '../../electron/core/audit/audit-ledger.js';
import { CHECKPOINTS_FILE, readCheckpoints } from '../../electron/core/audit/ledger-checkpoints.js';
import { formatSums } from '../../electron/core/evidence/package-files.js';
import type { OversightReport } from '../../electron/core/oversight/oversight-report.js';
import { expected, MONTH, writeOversightMonth } from '../fixtures/oversight-month.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'electron', 'cli', 'watchroom-verify.js');
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts', 'oversight-report');
const verify = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const readLedger = (dataDir: string) => readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);

let h: TestHost;
let summary: OversightReportSummary;
let folder: string;
let report: OversightReport;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'watchroom-oversight-'));
  const clock = { ms: 0 };
  const ledger = new AuditLedger(join(dataDir, 'audit.jsonl'), { now: () => clock.ms });
  writeOversightMonth(ledger, clock);
  ledger.close();
  h = await startTestHost({ dataDir });
  await h.core.ready;
  summary = await h.api.createOversightReport({ month: MONTH });
  folder = summary.folder;
  report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as OversightReport;
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** A copy of the report folder, changed by `edit`, outside the data folder (so --data names the ledger). */
function copyOf(edit: (dir: string) => void): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'wr-report-copy-')), summary.name);
  cpSync(folder, dir, { recursive: true });
  edit(dir);
  return dir;
}

/** Re-writes SHA256SUMS for the folder as it now is and signs it with `privateKeyPem` (and puts its public key in). */
function resign(dir: string, privateKeyPem: string, publicKeyPem: string): void {
  writeFileSync(join(dir, 'signer.pub.pem'), publicKeyPem);
  const files = ['README.txt', 'report.json', 'report.pdf', 'signer.pub.pem'];
  const sums = formatSums(files.map((path) => ({ path, sha256: sha256(readFileSync(join(dir, path))) })));
  writeFileSync(join(dir, 'SHA256SUMS'), sums);
  writeFileSync(join(dir, 'SHA256SUMS.sig'), sign('sha256', Buffer.from(sums), { key: privateKeyPem, dsaEncoding: 'der' }));
}

const editReport = (dir: string, change: (r: OversightReport) => void) => {
  const r = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as OversightReport;
  change(r);
  writeFileSync(join(dir, 'report.json'), JSON.stringify(r));
};

describe('the oversight report', () => {
  it('is generated from the ledger with the figures its entries give, drawn from a signed checkpoint, and the generation is ledgered', () => {
    expect(report.period).toMatchObject({ month: MONTH, fromUtc: '2026-10-01T00:00:00.000Z', toUtc: '2026-11-01T00:00:00.000Z' });
    expect(report.ledger).toEqual({ firstSeq: expected.firstSeq, lastSeq: expected.lastSeq, entries: expected.entries });
    expect(report.views.live).toEqual(expected.live);
    expect(report.views.playback.list).toMatchObject(expected.playback);
    expect(report.exports).toMatchObject({ disclosures: 3, byLegalBasis: expected.byLegalBasis, byOrganisation: expected.byOrganisation });
    expect(report.maskLifts.list).toMatchObject(expected.lifts);
    expect(report.deletions).toMatchObject(expected.deletions);
    expect(report.failedSignIns).toMatchObject(expected.failed);
    expect(report.configuration.changes.map((c) => c.action)).toEqual(expected.config);
    // The first signed checkpoint at or after the month's last entry (entry 45, the 1 November one, comes after it).
    const checkpoints = readCheckpoints(join(h.dataDir, CHECKPOINTS_FILE));
    const named = checkpoints.find((c) => c?.seq === report.checkpoint.seq);
    expect(named).toMatchObject({ hash: report.checkpoint.hash, key: report.checkpoint.key });
    expect(report.checkpoint.seq).toBeGreaterThanOrEqual(expected.lastSeq);
    expect(checkpoints.filter((c) => c && c.seq >= expected.lastSeq && c.seq < report.checkpoint.seq)).toEqual([]);
    // The core checkpointed its first entry when it started on this ledger: that checkpoint covers the month.
    expect(summary.checkpoint).toMatchObject({ seq: report.checkpoint.seq, taken: false });
    expect(summary.figures).toMatchObject({ liveViews: 3, playbackSessions: 2, disclosures: 3, maskLifts: 2, deletedSegments: 3, failedSignIns: 3, configurationChanges: 6 });
    const entry = readLedger(h.dataDir).find((e) => e.action === 'oversight.report');
    expect(entry).toMatchObject({ actor: 'tester', subject: MONTH, details: { month: MONTH, folder: summary.name, reportSha256: sha256(readFileSync(join(folder, 'report.json'))), checkpoint: { seq: report.checkpoint.seq, hash: report.checkpoint.hash, taken: false } } });
  });

  it('takes a checkpoint first when none covers the month yet (the month under way)', async () => {
    const month = new Date().toISOString().slice(0, 7);
    await h.api.savePreset({ name: 'After the last checkpoint' }); // an entry of this month no checkpoint covers
    const now = await h.api.createOversightReport({ month });
    expect(now.checkpoint.taken).toBe(true);
    const taken = readCheckpoints(join(h.dataDir, CHECKPOINTS_FILE)).find((c) => c?.seq === now.checkpoint.seq);
    expect(taken).toMatchObject({ seq: now.checkpoint.seq });
  });

  it('is a folder that sha256sum and openssl check alone, signed with the workstation key', () => {
    expect(readdirSync(folder).sort()).toEqual(['README.txt', 'SHA256SUMS', 'SHA256SUMS.sig', 'report.json', 'report.pdf', 'signer.pub.pem']);
    const sums = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: folder, encoding: 'utf8' });
    expect(sums.status, sums.stdout + sums.stderr).toBe(0);
    const sig = spawnSync('openssl', ['dgst', '-sha256', '-verify', 'signer.pub.pem', '-signature', 'SHA256SUMS.sig', 'SHA256SUMS'], { cwd: folder, encoding: 'utf8' });
    expect(sig.stdout).toContain('Verified OK');
    expect(readFileSync(join(folder, 'signer.pub.pem'), 'utf8')).toBe(readFileSync(join(h.dataDir, 'keys', 'signing-key.pub.pem'), 'utf8'));
    expect(readFileSync(join(folder, 'README.txt'), 'utf8')).toContain('watchroom-verify --report');
  });

  it('has a PDF that pdftoppm renders to A4 pages (tests/artifacts/oversight-report/page-*.png)', () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    const render = spawnSync('pdftoppm', ['-r', '70', '-png', join(folder, 'report.pdf'), join(ARTIFACTS, 'page')], { encoding: 'utf8' });
    expect(render.status, render.stderr).toBe(0);
    const pages = readdirSync(ARTIFACTS).filter((f) => f.endsWith('.png'));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const info = spawnSync('pdfinfo', [join(folder, 'report.pdf')], { encoding: 'utf8' }).stdout;
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    expect(info).toContain(`Watchroom oversight report ${MONTH}`);
    const text = spawnSync('pdftotext', ['-layout', join(folder, 'report.pdf'), '-'], { encoding: 'utf8' }).stdout;
    for (const shown of ['Burglary on Elm Street', 'Crown Court', 'Suspect behind the window', 'subject-access-request', 'settings.retention', 'DS Ó Briain']) expect(text).toContain(shown);
    for (const page of pages) expect(statSync(join(ARTIFACTS, page)).size).toBeGreaterThan(5_000);
  });

  it('serves its PDF to the browser shell through a signed media link, to evidence officers and administrators only, and enters who read it', async () => {
    const reads = () => readLedger(h.dataDir).filter((e) => e.action === 'oversight.report-read');
    const pdf = await fetch(new URL(await h.api.mediaLink({ path: summary.pdfPath }), h.baseUrl));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).equals(readFileSync(join(folder, 'report.pdf')))).toBe(true);
    // It names people and what they watched: who opened it is in the ledger, as for the register's CSV.
    expect(reads().map((e) => [e.actor, e.role, e.subject])).toEqual([['tester', 'admin', summary.name]]);
    const operator = await h.as('oona', 'operator');
    const refused = await fetch(new URL(await operator.api.mediaLink({ path: summary.pdfPath }), h.baseUrl));
    expect(refused.status).toBe(403);
    expect(reads()).toHaveLength(1);
    await expect(operator.api.createOversightReport({ month: MONTH })).rejects.toMatchObject({ code: 'auth.forbidden' });
    const elsewhere = await fetch(new URL(await h.api.mediaLink({ path: `/media/reports/${summary.name}-x/report.pdf` }), h.baseUrl));
    expect(elsewhere.status).toBe(404);
  });

  it('refuses a month that is not one, or has not begun', async () => {
    await expect(h.api.createOversightReport({ month: '2026-13' })).rejects.toMatchObject({ code: 'api.invalid-argument' });
    await expect(h.api.createOversightReport({ month: '2999-01' })).rejects.toMatchObject({ code: 'report.bad-month' });
  });

  it('is the same report.json, from the same checkpoint, when generated again from the same ledger', async () => {
    const again = await h.api.createOversightReport({ month: MONTH });
    expect(again.name).not.toBe(summary.name);
    expect(again.checkpoint).toEqual(summary.checkpoint);
    expect(readFileSync(join(again.folder, 'report.json')).equals(readFileSync(join(folder, 'report.json')))).toBe(true);
    expect((await h.api.listOversightReports()).map((r) => r.name)).toEqual(expect.arrayContaining([summary.name, again.name]));
  });

  it('is accepted by watchroom-verify --report (exit 0), in its data folder and copied elsewhere with --data', () => {
    const inPlace = verify('--report', folder);
    expect(inPlace.status, inPlace.stdout + inPlace.stderr).toBe(0);
    expect(inPlace.stdout).toContain('VERIFIED');
    const copied = verify('--report', copyOf(() => undefined), '--data', h.dataDir, '--key', join(h.dataDir, 'keys', 'signing-key.pub.pem'));
    expect(copied.status, copied.stdout + copied.stderr).toBe(0);
  });

  it('rejects an edited report.json by its sums', () => {
    const dir = copyOf((d) => editReport(d, (r) => void (r.failedSignIns.total = 0)));
    const out = verify('--report', dir, '--data', h.dataDir);
    expect(out.status).toBe(1);
    expect(out.stdout).toContain('[sums] report.json does not match');
  });

  it('rejects a report.json edited, re-summed and re-signed with another key', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const dir = copyOf((d) => {
      editReport(d, (r) => void (r.exports.disclosures = 0));
      resign(d, other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), other.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    });
    const out = verify('--report', dir, '--data', h.dataDir);
    expect(out.status).toBe(1);
    expect(out.stdout).toContain('[wrong-signer]');
    expect(out.stdout).toContain('[bad-signature]');
  });

  it('rejects figures that differ from the ledger even when signed with the real workstation key, naming the section', () => {
    const key = readFileSync(join(h.dataDir, 'keys', 'signing-key.pem'), 'utf8');
    const pub = readFileSync(join(h.dataDir, 'keys', 'signing-key.pub.pem'), 'utf8');
    const dir = copyOf((d) => {
      editReport(d, (r) => void (r.maskLifts.list = r.maskLifts.list.filter((l) => l.person !== 'eve')));
      resign(d, key, pub);
    });
    const out = verify('--report', dir, '--data', h.dataDir);
    expect(out.status, out.stdout).toBe(1);
    expect(out.stdout).toContain('[figures-differ]');
    expect(out.stdout).toContain('“maskLifts”');
    expect(out.stdout).not.toContain('[sums]');
  });

  it('rejects a report when the ledger was edited after it: the chain breaks, and a re-chained ledger does not reach the signed checkpoint’s hash', () => {
    const copyData = (change: (entries: AuditEntry[]) => void) => {
      const data = mkdtempSync(join(tmpdir(), 'wr-edited-data-'));
      mkdirSync(join(data, 'keys'));
      copyFileSync(join(h.dataDir, 'keys', 'signing-key.pub.pem'), join(data, 'keys', 'signing-key.pub.pem'));
      copyFileSync(join(h.dataDir, CHECKPOINTS_FILE), join(data, CHECKPOINTS_FILE));
      const entries = readLedger(h.dataDir);
      change(entries);
      writeFileSync(join(data, 'audit.jsonl'), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
      return data;
    };
    const fewerSeconds = (entries: AuditEntry[]) => {
      const close = entries.find((e) => e.action === 'stream.close')!;
      close.details = { ...close.details, seconds: 6 };
    };
    const edited = verify('--report', folder, '--data', copyData(fewerSeconds));
    expect(edited.status).toBe(1);
    expect(edited.stdout).toMatch(/\[ledger-broken\] The ledger is broken: entry \d+ was changed after it was written/);
    const rechained = copyData((entries) => {
      fewerSeconds(entries);
      let prev = '0'.repeat(64);
      for (const e of entries) {
        e.prev = prev;
        e.hash = entryHash(e);
        prev = e.hash;
      }
    });
    const out = verify('--report', folder, '--data', rechained);
    expect(out.status).toBe(1);
    expect(out.stdout).toContain('[ledger-broken] The ledger does not reach the checkpoint');
    // Checkpoints cut from the data folder: the one the report names is not there to vouch for it.
    const cut = copyData(() => undefined);
    writeFileSync(join(cut, CHECKPOINTS_FILE), '');
    const uncovered = verify('--report', folder, '--data', cut);
    expect(uncovered.status).toBe(1);
    expect(uncovered.stdout).toContain('[no-checkpoint]');
  });

  it('answers a usage error (exit 2) for a folder that is not there or a data folder without a ledger', () => {
    expect(verify('--report', join(tmpdir(), 'no-such-report')).status).toBe(2);
    const empty = verify('--report', folder, '--data', mkdtempSync(join(tmpdir(), 'wr-empty-data-')));
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('holds no audit ledger');
  });
});
