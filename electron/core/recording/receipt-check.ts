/**
 * Checks a deletion receipt (deletion-receipt.ts): its signature with the workstation key, and, given
 * the ledger, that the ledger entered this very receipt and each segment's deletion as the receipt
 * says. The signature shows who issued it; the ledger, anchored by its signed checkpoints, shows it
 * was issued then and not made up later.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readLedgerLines } from '../audit/audit-ledger.js';
import { keyFingerprint, verifySignature } from '../evidence/signing-key.js';
import { NotRegularFileError, readRegularSync } from '../regular-file.js';
import { RECEIPT_FORMAT } from './deletion-receipt.js';

export interface ReceiptProblem {
  code: 'unreadable' | 'not-a-receipt' | 'no-signature' | 'bad-signature' | 'wrong-signer' | 'not-in-ledger' | 'ledger-disagrees' | 'deletion-not-in-ledger';
  message: string;
}

export interface ReceiptCheck {
  ok: boolean;
  receiptId: string | null;
  at: string | null;
  signer: string;
  segments: number;
  /** Whether the ledger was held against it (without one, only the signature is checked). */
  ledgerChecked: boolean;
  problems: ReceiptProblem[];
}

interface Receipt {
  format: string;
  receiptId: string;
  at: string;
  signer: { fingerprint: string };
  segments: Array<{ path: string; sha256: string; ledgerSeq: number | null }>;
}

export async function checkDeletionReceipt(file: string, opts: { publicKeyPem: string; ledgerFile?: string }): Promise<ReceiptCheck> {
  const signer = keyFingerprint(opts.publicKeyPem);
  const result: ReceiptCheck = { ok: false, receiptId: null, at: null, signer, segments: 0, ledgerChecked: false, problems: [] };
  const problem = (code: ReceiptProblem['code'], message: string) => void result.problems.push({ code, message });
  let body: Buffer | null;
  try {
    body = readRegularSync(file, MAX_RECEIPT_BYTES);
  } catch (error) {
    problem('unreadable', `The receipt ${file} cannot be read: ${(error as Error).message}`);
    return result;
  }
  if (!body) {
    problem('unreadable', `The receipt ${file} is larger than any receipt; it was not read.`);
    return result;
  }
  const receipt = parseReceipt(body);
  if (!receipt) {
    problem('not-a-receipt', `${file} is not a Watchroom deletion receipt.`);
    return result;
  }
  Object.assign(result, { receiptId: receipt.receiptId, at: receipt.at, segments: receipt.segments.length });
  const signature = readSignature(`${file}.sig`);
  if (!Buffer.isBuffer(signature)) problem('no-signature', signature.why);
  else if (!verifySignature(body, signature, opts.publicKeyPem)) problem('bad-signature', 'The signature does not match the receipt: it was changed after signing, or signed by another key.');
  if (receipt.signer.fingerprint !== signer) problem('wrong-signer', `The receipt names the signer ${receipt.signer.fingerprint}, not the key checked against (${signer}).`);
  if (opts.ledgerFile) {
    result.ledgerChecked = true;
    await holdAgainstLedger(opts.ledgerFile, receipt, createHash('sha256').update(body).digest('hex'), problem);
  }
  result.ok = result.problems.length === 0;
  return result;
}

/** Larger than any receipt (a pass deleting a million segments) or any signature: nothing beyond is read. */
const MAX_RECEIPT_BYTES = 512 << 20;
const MAX_SIGNATURE_BYTES = 4 << 10;

/** The signature file, read only if it is a regular file (a link or a pipe placed beside the receipt is never opened through). */
function readSignature(file: string): Buffer | { why: string } {
  if (!existsSync(file)) return { why: `The signature ${file} is missing.` };
  try {
    return readRegularSync(file, MAX_SIGNATURE_BYTES) ?? { why: `The signature ${file} is larger than any signature; it was not read.` };
  } catch (error) {
    return { why: error instanceof NotRegularFileError ? `The signature ${file} is ${error.kind}, not a file; it was not read.` : `The signature ${file} cannot be read: ${(error as Error).message}` };
  }
}

function parseReceipt(body: Buffer): Receipt | null {
  try {
    const r = JSON.parse(body.toString('utf8')) as Receipt;
    return r.format === RECEIPT_FORMAT && typeof r.receiptId === 'string' && Array.isArray(r.segments) && typeof r.signer?.fingerprint === 'string' ? r : null;
  } catch {
    return null;
  }
}

/** The ledger's retention.receipt entry names this receipt's hash, and each deletion is where the receipt says. */
async function holdAgainstLedger(ledgerFile: string, receipt: Receipt, sha256: string, problem: (code: ReceiptProblem['code'], message: string) => void): Promise<void> {
  const wanted = new Map(receipt.segments.filter((s) => s.ledgerSeq !== null).map((s) => [s.ledgerSeq!, s]));
  let entered: string | null = null;
  for await (const { entry } of readLedgerLines(ledgerFile)) {
    if (!entry) continue;
    if (entry.action === 'retention.receipt' && entry.subject === receipt.receiptId) entered = String(entry.details?.sha256);
    const seg = wanted.get(entry.seq);
    if (seg && entry.action === 'segment.deleted' && entry.details?.path === seg.path && entry.details.sha256 === seg.sha256) wanted.delete(entry.seq);
  }
  if (entered === null) problem('not-in-ledger', `The ledger has no entry for receipt ${receipt.receiptId}.`);
  else if (entered !== sha256) problem('ledger-disagrees', `The ledger entered receipt ${receipt.receiptId} with another hash: the receipt is not the one issued.`);
  for (const [seq, seg] of wanted) problem('deletion-not-in-ledger', `Entry ${seq} of the ledger is not the deletion of ${seg.path} the receipt says it is.`);
  for (const seg of receipt.segments.filter((s) => s.ledgerSeq === null)) problem('deletion-not-in-ledger', `The receipt gives no ledger entry for the deletion of ${seg.path}.`);
}
