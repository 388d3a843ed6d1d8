/**
 * Checks an oversight report folder (watchroom-verify --report): its files against SHA256SUMS, the
 * signature with the workstation key, the checkpoint it names (in the data folder's checkpoints,
 * signed by that key), the ledger's chain up to that checkpoint, and finally report.json against
 * the report recomputed from that ledger: byte-identical, or the first section that differs is named.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry } from '../../../shared/api.js';
import { checkChain, GENESIS_HASH, readLedgerLines } from '../audit/audit-ledger.js';
import { CHECKPOINTS_FILE, readCheckpoints, signedBy } from '../audit/ledger-checkpoints.js';
import { SIGNER_KEY, SUMS, SUMS_SIG, parseSums } from '../evidence/package-files.js';
import { keyFingerprint, verifySignature } from '../evidence/signing-key.js';
import { NotRegularFileError, readRegularSync } from '../regular-file.js';
import { firstDifference, oversightReport, reportBytes, type OversightReport } from './oversight-report.js';
import { REPORT_JSON } from './report-folder.js';

export interface ReportProblem {
  code: 'unreadable' | 'sums' | 'bad-signature' | 'wrong-signer' | 'not-a-report' | 'no-checkpoint' | 'ledger-broken' | 'figures-differ';
  message: string;
}

export interface ReportCheck {
  ok: boolean;
  month: string | null;
  checkpointSeq: number | null;
  signer: string;
  /** Whether report.json was recomputed from the ledger (it is not when an earlier step failed). */
  recomputed: boolean;
  problems: ReportProblem[];
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Larger than any file a report holds (its PDF): nothing beyond it is read. */
const MAX_FILE_BYTES = 256 << 20;

/** One file of the folder, read only if it is a regular file (a link or a pipe someone placed is never opened through); else why not. */
function readInFolder(dir: string, name: string): { bytes: Buffer } | { why: string } {
  try {
    const bytes = readRegularSync(join(dir, name), MAX_FILE_BYTES);
    return bytes ? { bytes } : { why: `${name} is larger than any file of a report; it was not read.` };
  } catch (error) {
    if (error instanceof NotRegularFileError) return { why: `${name} is ${error.kind}; a report holds only regular files, and it was not read.` };
    return { why: `${name} cannot be read: ${(error as Error).message}` };
  }
}

export async function checkReport(dir: string, opts: { dataDir: string; publicKeyPem: string }): Promise<ReportCheck> {
  const signer = keyFingerprint(opts.publicKeyPem);
  const result: ReportCheck = { ok: false, month: null, checkpointSeq: null, signer, recomputed: false, problems: [] };
  const problem = (code: ReportProblem['code'], message: string) => void result.problems.push({ code, message });
  if (!existsSync(join(dir, SUMS)) || !existsSync(join(dir, REPORT_JSON))) {
    problem('unreadable', `${dir} is not an oversight report folder (it has no ${SUMS} or ${REPORT_JSON}).`);
    return result;
  }
  const [sumsRead, reportRead] = [readInFolder(dir, SUMS), readInFolder(dir, REPORT_JSON)];
  if (!('bytes' in sumsRead) || !('bytes' in reportRead)) {
    problem('unreadable', 'why' in sumsRead ? sumsRead.why : (reportRead as { why: string }).why);
    return result;
  }
  const sums = sumsRead.bytes;
  checkSums(dir, sums.toString('utf8'), problem);
  checkSignature(dir, sums, opts.publicKeyPem, signer, problem);
  const report = parseReport(reportRead.bytes);
  if (!report) {
    problem('not-a-report', `${REPORT_JSON} is not an oversight report.`);
    return result;
  }
  Object.assign(result, { month: report.period.month, checkpointSeq: report.checkpoint.seq });
  const checkpoint = readCheckpoints(join(opts.dataDir, CHECKPOINTS_FILE)).find((c) => c?.seq === report.checkpoint.seq && c.hash === report.checkpoint.hash);
  if (!checkpoint) problem('no-checkpoint', `The data folder's checkpoints have no checkpoint at entry ${report.checkpoint.seq} with the head hash the report names.`);
  else if (!signedBy(opts.publicKeyPem)(checkpoint)) problem('no-checkpoint', `The checkpoint at entry ${checkpoint.seq} is not signed by the key ${signer}.`);
  else {
    const chain = { problem: null as string | null };
    const recomputed = await oversightReport(checkedUpTo(join(opts.dataDir, 'audit.jsonl'), checkpoint, chain), report.period.month, checkpoint);
    if (chain.problem) problem('ledger-broken', chain.problem);
    else {
      result.recomputed = true;
      const same = reportBytes(recomputed).equals(reportRead.bytes);
      if (!same) problem('figures-differ', `report.json is not what the ledger gives: its section “${firstDifference(report, recomputed) ?? 'formatting'}” differs first.`);
    }
  }
  result.ok = result.problems.length === 0;
  return result;
}

/** Every listed file matches, report.json is listed, and nothing else lies in the folder. */
function checkSums(dir: string, text: string, problem: (code: ReportProblem['code'], message: string) => void): void {
  const parsed = parseSums(text);
  if (!parsed.ok) return problem('sums', `${SUMS} line ${parsed.line} is not a sha256sum line.`);
  const listed = new Set(parsed.entries.map((e) => e.path));
  for (const { path, sha256: want } of parsed.entries) {
    const file = join(dir, path);
    if (path.includes('/') || !existsSync(file)) {
      problem('sums', `${path} is listed in ${SUMS} but not in the folder.`);
      continue;
    }
    const read = readInFolder(dir, path);
    if (!('bytes' in read)) problem('sums', read.why);
    else if (sha256(read.bytes) !== want) problem('sums', `${path} does not match its SHA-256 in ${SUMS}: it changed after signing.`);
  }
  if (!listed.has(REPORT_JSON)) problem('sums', `${SUMS} does not list ${REPORT_JSON}.`);
  for (const name of readdirSync(dir)) if (!listed.has(name) && name !== SUMS && name !== SUMS_SIG) problem('sums', `${name} is in the folder but not in ${SUMS}.`);
}

function checkSignature(dir: string, sums: Buffer, publicKeyPem: string, signer: string, problem: (code: ReportProblem['code'], message: string) => void): void {
  if (!existsSync(join(dir, SUMS_SIG))) return problem('bad-signature', `${SUMS_SIG} is missing.`);
  const sig = readInFolder(dir, SUMS_SIG);
  if (!('bytes' in sig)) return problem('bad-signature', sig.why);
  const key = existsSync(join(dir, SIGNER_KEY)) ? readInFolder(dir, SIGNER_KEY) : null;
  const own = key && 'bytes' in key ? key.bytes.toString('utf8') : null;
  let ownFingerprint: string | null = null;
  try {
    ownFingerprint = own ? keyFingerprint(own) : null;
  } catch {
    ownFingerprint = null;
  }
  if (ownFingerprint !== signer) problem('wrong-signer', `The report was signed by ${ownFingerprint ?? 'an unreadable key'}, not by the workstation key ${signer}.`);
  if (!verifySignature(sums, sig.bytes, publicKeyPem)) problem('bad-signature', `${SUMS_SIG} is not the workstation key's signature over ${SUMS}.`);
}

function parseReport(body: Buffer): OversightReport | null {
  try {
    const r = JSON.parse(body.toString('utf8')) as OversightReport;
    return typeof r.period?.month === 'string' && Number.isSafeInteger(r.checkpoint?.seq) && typeof r.checkpoint.hash === 'string' ? r : null;
  } catch {
    return null;
  }
}

/** The ledger's entries up to the checkpoint, each held to the chain; the first break is noted in `chain` and ends the reading. */
async function* checkedUpTo(ledgerFile: string, checkpoint: { seq: number; hash: string }, chain: { problem: string | null }): AsyncGenerator<{ entry: AuditEntry }> {
  let prev = { seq: 0, hash: GENESIS_HASH };
  for await (const { entry } of readLedgerLines(ledgerFile)) {
    if (!entry) {
      chain.problem = `The line after entry ${prev.seq} of the ledger is not an entry: it was garbled or inserted.`;
      return;
    }
    const step = checkChain([entry], prev);
    if (!step.ok) {
      chain.problem = `The ledger is broken: ${step.reason}.`;
      return;
    }
    yield { entry };
    prev = { seq: entry.seq, hash: entry.hash };
    if (entry.seq === checkpoint.seq) break;
  }
  if (prev.seq !== checkpoint.seq || prev.hash !== checkpoint.hash) chain.problem = `The ledger does not reach the checkpoint's entry ${checkpoint.seq} with its hash: it was cut or rewritten.`;
}
