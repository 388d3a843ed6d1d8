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

export class AuditLedger {
  private last = { seq: 0, hash: GENESIS_HASH };
  private fd: number;

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
    if (dropped) this.append('system', 'audit.partial-line-dropped', 'audit', { bytes: dropped.length, sha256: createHash('sha256').update(dropped).digest('hex') });
  }

  append(actor: string, action: string, subject: string, details?: Record<string, unknown>): AuditEntry {
    const body = { seq: this.last.seq + 1, at: new Date().toISOString(), actor, action, subject, ...(details ? { details } : {}), prev: this.last.hash };
    const entry: AuditEntry = { ...body, hash: entryHash(body) };
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    this.last = { seq: entry.seq, hash: entry.hash };
    return entry;
  }

  /** The newest `limit` entries, oldest first. */
  list(limit: number): AuditEntry[] {
    return tailLines(this.file, limit).lines.map((line) => JSON.parse(line) as AuditEntry);
  }

  /** Every entry, oldest first, streamed. */
  async *entries(): AsyncGenerator<AuditEntry> {
    if (!existsSync(this.file)) return;
    for await (const line of createInterface({ input: createReadStream(this.file), crlfDelay: Infinity })) {
      if (line.trim()) yield JSON.parse(line) as AuditEntry;
    }
  }

  /** Walks the whole chain from the first entry. */
  async verify(): Promise<ChainCheck> {
    let prev = { seq: 0, hash: GENESIS_HASH };
    let count = 0;
    try {
      for await (const e of this.entries()) {
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
