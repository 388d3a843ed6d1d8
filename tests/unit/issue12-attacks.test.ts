/**
 * Attacks on the checkers of oversight reports and deletion receipts (issue 12, points 5 and 7) with
 * files crafted by someone with file access: whatever they hold, `watchroom-verify --report` and
 * `--receipt` answer with their problems, never a crash, and never read through a link.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkReport } from '../../electron/core/oversight/report-check.js';
import { RECEIPT_FORMAT } from '../../electron/core/recording/deletion-receipt.js';
import { checkDeletionReceipt } from '../../electron/core/recording/receipt-check.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const publicKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** A data folder with an empty ledger, and a report folder in it holding `files` and SHA256SUMS listing `listed`. */
function reportFolder(files: Record<string, string>, listed: Record<string, string>): { dataDir: string; dir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'watchroom-report-attack-'));
  dirs.push(dataDir);
  writeFileSync(join(dataDir, 'audit.jsonl'), '');
  const dir = join(dataDir, 'oversight-2026-11-x');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'SHA256SUMS'), Object.entries(listed).map(([name, hash]) => `${hash}  ${name}\n`).join(''));
  return { dataDir, dir };
}

describe('a crafted oversight report folder', () => {
  it('a SHA256SUMS line naming the parent folder is a problem, not a crash', async () => {
    const report = '{}';
    const { dataDir, dir } = reportFolder({ 'report.json': report }, { 'report.json': sha256(report), '..': '0'.repeat(64) });
    const result = await checkReport(dir, { dataDir, publicKeyPem });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'sums', message: expect.stringContaining('..') })]));
  });

  it('a listed file that is a symbolic link is refused, never read through', async () => {
    const report = '{}';
    const outside = join(tmpdir(), `watchroom-outside-${process.pid}`);
    writeFileSync(outside, 'secret');
    const { dataDir, dir } = reportFolder({ 'report.json': report }, { 'report.json': sha256(report), 'report.pdf': sha256('secret') });
    symlinkSync(outside, join(dir, 'report.pdf'));
    try {
      const result = await checkReport(dir, { dataDir, publicKeyPem });
      expect(result.problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'sums', message: expect.stringMatching(/report\.pdf is a symbolic link/) })]));
    } finally {
      rmSync(outside, { force: true });
    }
  });
});

describe('a crafted deletion receipt', () => {
  it('a signature beside it that is a symbolic link is refused, never read through', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchroom-receipt-attack-'));
    dirs.push(dir);
    const file = join(dir, 'deletion-x.json');
    writeFileSync(file, JSON.stringify({ format: RECEIPT_FORMAT, receiptId: 'x', at: '2026-11-01T00:00:00.000Z', segments: [], signer: { fingerprint: 'f' } }));
    writeFileSync(join(dir, 'elsewhere'), 'not a signature');
    symlinkSync(join(dir, 'elsewhere'), `${file}.sig`);
    const result = await checkDeletionReceipt(file, { publicKeyPem });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'no-signature', message: expect.stringMatching(/symbolic link/) })]));
  });
});
