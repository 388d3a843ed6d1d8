/**
 * What the ledger is checked for when Watchroom starts. The chain from the last checkpoint (the whole
 * ledger before the first) is checked in the background while the wall runs; what it finds is logged,
 * entered in the ledger and shown. A malformed line is set aside: recorded once by its offset and
 * hash, skipped by every reader, never fatal. Entries written while Watchroom was stopped (after its
 * shutdown checkpoint) are set aside too: nothing of ours writes then, so they are never trusted,
 * e.g. as the capture entry of footage.
 */
import { createHash } from 'node:crypto';
import type { AuditStatus } from '../../../shared/events.js';
import type { AuditLedger } from './audit-ledger.js';
import { checkLedger } from './ledger-check.js';
import { lastCheckpoint, signedBy, type Checkpoint } from './ledger-checkpoints.js';

export interface ByteRange {
  from: number;
  to: number;
}

/**
 * Where the ledger stood when this run began, read before the run appends anything (or checkpoints
 * it): the last checkpoint, which the start-up check goes from, and the bytes written after it if it
 * was a shutdown one (null if none).
 */
export function ledgerAtStart(ledger: AuditLedger, checkpointsFile: string, publicKeyPem: string | null): { last: Checkpoint | null; whileStopped: ByteRange | null } {
  const last = publicKeyPem ? lastCheckpoint(checkpointsFile, signedBy(publicKeyPem)) : null;
  // A crash leaves its last entries after a checkpoint that is not a shutdown one: those are ours.
  const from = last?.shutdown ? ledger.lineEnd(last.offset) : null;
  const to = ledger.bytesOnDisk;
  return { last, whileStopped: from !== null && from < to ? { from, to } : null };
}

export async function checkLedgerAtStart(opts: {
  ledger: AuditLedger;
  checkpointsFile: string;
  mirrorFile?: string;
  directoryCopies?: ReadonlyArray<Checkpoint | null>;
  publicKeyPem: string;
  /** ledgerAtStart's: this run checkpoints its first entry at once, so the check must go from before it. */
  atStart: { last: Checkpoint | null; whileStopped: ByteRange | null };
}): Promise<NonNullable<AuditStatus['check']>> {
  const { ledger } = opts;
  const from = opts.atStart.last;
  const whileStopped = opts.atStart.whileStopped;
  const report = await checkLedger({ ledgerFile: ledger.file, checkpointsFile: opts.checkpointsFile, publicKeyPem: opts.publicKeyPem, ...(opts.mirrorFile ? { mirrorFile: opts.mirrorFile } : {}), ...(opts.directoryCopies ? { directoryCopies: opts.directoryCopies } : {}), ...(from ? { from } : {}) });
  const problems = report.problems.map((p) => p.message);
  const codes = report.problems.map((p) => p.code);

  const recorded = new Set<number>();
  const stopped: Array<{ seq: number; offset: number }> = [];
  for await (const { entry, offset } of ledger.entries(from?.offset ?? 0)) {
    if (entry.action === 'audit.line-set-aside') recorded.add(Number(entry.details?.offset));
    if (whileStopped && offset >= whileStopped.from && offset < whileStopped.to) stopped.push({ seq: entry.seq, offset });
  }
  for (const line of report.malformed.filter((m) => !recorded.has(m.offset))) {
    ledger.append('system', 'audit.line-set-aside', 'audit', { offset: line.offset, afterSeq: line.afterSeq, bytes: Buffer.byteLength(line.text), sha256: createHash('sha256').update(line.text).digest('hex') });
  }
  if (stopped.length > 0) {
    const range = { fromSeq: stopped[0]!.seq, toSeq: stopped.at(-1)!.seq, entries: stopped.length, ...whileStopped };
    problems.push(`Entries ${range.fromSeq} to ${range.toSeq} were written while Watchroom was stopped: they are set aside and trusted for nothing.`);
    codes.push('entries-written-while-stopped');
    ledger.append('system', 'audit.entries-set-aside', 'audit', range);
  }
  ledger.append('system', 'audit.checked', 'audit', { fromSeq: report.fromSeq, entries: report.entries, lastSeq: report.lastSeq, ok: problems.length === 0, problems: codes });
  return { state: problems.length === 0 ? 'ok' : 'problems', fromSeq: report.fromSeq, entries: report.entries, problems };
}
