/**
 * The append-only audit ledger: one JSON line per action of consequence, each carrying the previous
 * entry's hash and its own (SHA-256 of the entry's canonical JSON without `hash`), so removing,
 * reordering or editing any line breaks the chain at that point. Every caller goes through
 * append(actor, action, subject, details).
 *
 * The file grows for ever (a closed segment adds a line), so nothing here reads it whole into memory:
 * start-up and list() read from the end, entries() and verify() stream it.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, ftruncateSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AuditEntry } from '../../../shared/api.js';
import { canonicalJson } from '../canonical-json.js';
import { tailLines } from './tail-lines.js';

export const GENESIS_HASH = '0'.repeat(64);

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { hash: _ignored, ...rest } = entry as AuditEntry;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

export type ChainCheck = { ok: true; entries: number; lastHash: string } | { ok: false; entries: number; seq: number; reason: string };

/** Checks a run of consecutive entries: each one's hash, its link to the one before and its number. */
export function checkChain(entries: Iterable<AuditEntry>, start = { seq: 0, hash: GENESIS_HASH }): ChainCheck {
  let prev = start;
  let count = 0;
  for (const e of entries) {
    const fail = (reason: string): ChainCheck => ({ ok: false, entries: count, seq: e.seq, reason });
    if (e.seq !== prev.seq + 1) return fail(`entry ${e.seq} follows entry ${prev.seq}: entries are missing or out of order`);
    if (e.prev !== prev.hash) return fail(`entry ${e.seq} does not link to the entry before it`);
    if (entryHash(e) !== e.hash) return fail(`entry ${e.seq} was changed after it was written`);
    prev = { seq: e.seq, hash: e.hash };
    count++;
  }
  return { ok: true, entries: count, lastHash: prev.hash };
}

/** Where an entry sits in the ledger file, so it can be read back without a scan (evidence extracts). */
export interface LedgerRef {
  seq: number;
  offset: number;
}

export class AuditLedger {
  private last = { seq: 0, hash: GENESIS_HASH };
  private fd: number;
  /** The file's size: where the next entry goes. */
  private size = 0;

  constructor(private readonly file: string) {
    let dropped: Buffer | null = null;
    if (existsSync(file)) {
      const { lines, completeBytes } = tailLines(file, 1);
      const size = statSync(file).size;
      if (completeBytes < size) {
        // A write cut off mid-line (power loss): keep the complete lines, record what was dropped.
        const fd = openSync(file, 'r+');
        dropped = Buffer.alloc(size - completeBytes);
        readSync(fd, dropped, 0, dropped.length, completeBytes);
        ftruncateSync(fd, completeBytes);
        closeSync(fd);
      }
      const tail = lines.length ? (JSON.parse(lines[lines.length - 1]!) as AuditEntry) : null;
      if (tail) this.last = { seq: tail.seq, hash: tail.hash };
    }
    this.fd = openSync(file, 'a', 0o600);
    this.size = statSync(file).size;
    if (dropped) this.append('system', 'audit.partial-line-dropped', 'audit', { bytes: dropped.length, sha256: createHash('sha256').update(dropped).digest('hex') });
  }

  append(actor: string, action: string, subject: string, details?: Record<string, unknown>): AuditEntry & LedgerRef {
    const body = { seq: this.last.seq + 1, at: new Date().toISOString(), actor, action, subject, ...(details ? { details } : {}), prev: this.last.hash };
    const entry: AuditEntry = { ...body, hash: entryHash(body) };
    const line = Buffer.from(`${JSON.stringify(entry)}\n`);
    writeSync(this.fd, line);
    const offset = this.size;
    this.size += line.length;
    this.last = { seq: entry.seq, hash: entry.hash };
    return { ...entry, offset };
  }

  /** The entry that starts at `offset` (from append's result), or null if there is none there. */
  readAt(offset: number): AuditEntry | null {
    const fd = openSync(this.file, 'r');
    try {
      let text = '';
      for (let pos = offset; !text.includes('\n'); ) {
        const chunk = Buffer.alloc(16 * 1024);
        const n = readSync(fd, chunk, 0, chunk.length, pos);
        if (n === 0) break;
        text += chunk.subarray(0, n).toString('utf8');
        pos += n;
      }
      const line = text.split('\n')[0]!;
      try {
        return JSON.parse(line) as AuditEntry;
      } catch {
        return null;
      }
    } finally {
      closeSync(fd);
    }
  }

  /** The newest `limit` entries, oldest first. */
  list(limit: number): AuditEntry[] {
    return tailLines(this.file, limit).lines.map((line) => JSON.parse(line) as AuditEntry);
  }

  /** Every entry, oldest first, streamed, with the byte offset where it starts. */
  async *entries(): AsyncGenerator<{ entry: AuditEntry; offset: number }> {
    if (!existsSync(this.file)) return;
    let offset = 0;
    for await (const line of createInterface({ input: createReadStream(this.file), crlfDelay: Infinity })) {
      if (line.trim()) yield { entry: JSON.parse(line) as AuditEntry, offset };
      offset += Buffer.byteLength(line) + 1;
    }
  }

  /** Walks the whole chain from the first entry. */
  async verify(): Promise<ChainCheck> {
    let prev = { seq: 0, hash: GENESIS_HASH };
    let count = 0;
    try {
      for await (const { entry: e } of this.entries()) {
        const step = checkChain([e], prev);
        if (!step.ok) return { ...step, entries: count };
        prev = { seq: e.seq, hash: e.hash };
        count++;
      }
    } catch (error) {
      return { ok: false, entries: count, seq: prev.seq + 1, reason: `entry ${prev.seq + 1} is not valid JSON (${(error as Error).message})` };
    }
    return { ok: true, entries: count, lastHash: prev.hash };
  }

  close(): void {
    closeSync(this.fd);
  }
}
