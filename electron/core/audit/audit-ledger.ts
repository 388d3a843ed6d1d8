/**
 * The append-only audit ledger: one JSON line per action of consequence, each carrying the previous
 * entry's hash and its own (SHA-256 of the entry's canonical JSON without `hash`), so removing,
 * reordering or editing any line breaks the chain at that point. Every caller goes through
 * append(actor, action, subject, details): the actor is a person with their role at the time, or the system. A chain alone can be recomputed by anyone who can write
 * the file; ledger-checkpoints.ts anchors it outside itself.
 *
 * Durability: an entry is written whole (short writes are continued) and fdatasync'd before append
 * returns, so what the app confirms is on the disk. When the disk refuses (full, gone), entries wait
 * in a bounded queue in order, with their sequence, hash and offset already fixed, and are written
 * as soon as the disk takes them again; meanwhile status() says auditing is degraded, so what must
 * not happen unrecorded (exports) can refuse, and what must go on (live view) goes on.
 *
 * Robustness: a malformed line (a disk error, a hand edit) is skipped by every reader and reported
 * by verify(), never fatal. The file grows for ever, so nothing here reads it whole into memory.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, fdatasyncSync, ftruncateSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AuditEntry } from '../../../shared/api.js';
import type { AuditAction } from '../../../shared/audit-actions.js';
import type { Role } from '../../../shared/roles.js';
import { WatchroomError } from '../../../shared/errors.js';
import { canonicalJson } from '../canonical-json.js';
import { tailLines } from './tail-lines.js';

export const GENESIS_HASH = '0'.repeat(64);

/** Who an entry names: a person in the role they held when they acted, or Watchroom itself. */
export const SYSTEM = 'system';
export type Actor = typeof SYSTEM | { name: string; role: Role };

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { hash: _ignored, ...rest } = entry as AuditEntry;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** Far beyond any real ledger, far below where numbers stop being exact: a forged huge seq is not an entry. */
const MAX_SEQ = 2 ** 48;

/** An entry from one line of text, or null when the line is not one (the reader skips it). */
export function parseEntry(line: string): AuditEntry | null {
  try {
    const e = JSON.parse(line) as AuditEntry;
    const ok = typeof e === 'object' && e !== null && Number.isSafeInteger(e.seq) && e.seq >= 1 && e.seq <= MAX_SEQ && typeof e.hash === 'string' && typeof e.prev === 'string' && typeof e.action === 'string';
    return ok ? e : null;
  } catch {
    return null;
  }
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

export interface LedgerStatus {
  state: 'ok' | 'degraded';
  /** Entries waiting for the disk. */
  queued: number;
  /** Why the ledger cannot be written, in words; null when it can. */
  problem: string | null;
}

/** One line of the file: its text, where it starts, and its entry if it is one. */
export interface LedgerLine {
  offset: number;
  text: string;
  entry: AuditEntry | null;
}

/** Every line of a ledger file from byte `from`, oldest first, streamed, malformed ones included as such; never writes. */
export async function* readLedgerLines(file: string, from = 0): AsyncGenerator<LedgerLine> {
  if (!existsSync(file)) return;
  let offset = from;
  for await (const text of createInterface({ input: createReadStream(file, { start: from }), crlfDelay: Infinity })) {
    if (text.trim()) yield { offset, text, entry: parseEntry(text) };
    offset += Buffer.byteLength(text) + 1;
  }
}

export interface LedgerOptions {
  /** Entries held while the disk refuses them; beyond this, actions are refused (default 10,000). */
  maxQueued?: number;
  /** How often to try the disk again while degraded (default 2 s). */
  retryMs?: number;
  /** The clock entries are dated by (tests only: a month of entries written in seconds). */
  now?: () => number;
}

export class AuditLedger {
  private last = { seq: 0, hash: GENESIS_HASH };
  private fd: number;
  /** Bytes on disk. */
  private size = 0;
  /** Lines not yet wholly on disk, oldest first; `writtenOfFirst` bytes of the first already are. */
  private readonly queue: Buffer[] = [];
  private writtenOfFirst = 0;
  private problem: string | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly statusListeners = new Set<(status: LedgerStatus) => void>();
  private readonly appendListeners = new Set<(entry: AuditEntry & LedgerRef) => void>();
  private readonly maxQueued: number;
  private readonly retryMs: number;
  private readonly now: () => number;

  constructor(
    readonly file: string,
    options: LedgerOptions = {},
  ) {
    this.maxQueued = options.maxQueued ?? 10_000;
    this.retryMs = options.retryMs ?? 2_000;
    this.now = options.now ?? Date.now;
    let dropped: Buffer | null = null;
    if (existsSync(file)) {
      const { completeBytes } = tailLines(file, 1);
      const size = statSync(file).size;
      if (completeBytes < size) {
        // A write cut off mid-line (power loss): keep the complete lines, record what was dropped.
        const fd = openSync(file, 'r+');
        dropped = Buffer.alloc(size - completeBytes);
        readSync(fd, dropped, 0, dropped.length, completeBytes);
        ftruncateSync(fd, completeBytes);
        closeSync(fd);
      }
      const tail = this.lastValidEntry();
      if (tail) this.last = { seq: tail.seq, hash: tail.hash };
    }
    this.fd = openSync(file, 'a', 0o600);
    this.size = statSync(file).size;
    if (dropped) this.append(SYSTEM, 'audit.partial-line-dropped', 'audit', { bytes: dropped.length, sha256: createHash('sha256').update(dropped).digest('hex') });
  }

  /** The newest entry that parses, looking further back while the last lines are malformed. */
  private lastValidEntry(): AuditEntry | null {
    for (let want = 1; ; want *= 8) {
      const { lines } = tailLines(this.file, want);
      for (let i = lines.length - 1; i >= 0; i--) {
        const entry = parseEntry(lines[i]!);
        if (entry) return entry;
      }
      if (lines.length < want) return null;
    }
  }

  append(actor: Actor, action: AuditAction, subject: string, details?: Record<string, unknown>): AuditEntry & LedgerRef {
    if (this.queue.length >= this.maxQueued) {
      throw new WatchroomError('audit.unavailable', `The audit ledger cannot be written (${this.problem ?? 'unknown problem'}) and ${this.queue.length} entries already wait for it, so this action is refused until it can be recorded.`);
    }
    const who = actor === SYSTEM ? { actor: SYSTEM } : { actor: actor.name, role: actor.role };
    const body = { seq: this.last.seq + 1, at: new Date(this.now()).toISOString(), ...who, action, subject, ...(details ? { details } : {}), prev: this.last.hash };
    const entry: AuditEntry = { ...body, hash: entryHash(body) };
    const line = Buffer.from(`${JSON.stringify(entry)}\n`);
    const offset = this.end();
    this.queue.push(line);
    this.last = { seq: entry.seq, hash: entry.hash };
    this.flush();
    const written = { ...entry, offset };
    for (const listener of this.appendListeners) listener(written);
    return written;
  }

  /** Where the next entry goes: the end of the file once every waiting entry is written. */
  private end(): number {
    return this.size + this.queue.reduce((n, line) => n + line.length, 0) - this.writtenOfFirst;
  }

  /** Writes what waits, whole and in order, and syncs; on failure keeps it and tries again later. */
  private flush(): void {
    try {
      while (this.queue.length > 0) {
        const line = this.queue[0]!;
        while (this.writtenOfFirst < line.length) {
          const n = writeSync(this.fd, line, this.writtenOfFirst);
          this.writtenOfFirst += n;
          this.size += n;
        }
        this.queue.shift();
        this.writtenOfFirst = 0;
      }
      fdatasyncSync(this.fd);
      if (this.problem !== null) this.setProblem(null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.setProblem(code === 'ENOSPC' ? 'its disk is full' : `the disk refused it (${code ?? String(error)})`);
    }
  }

  private setProblem(problem: string | null): void {
    this.problem = problem;
    if (problem !== null && !this.retryTimer) {
      this.retryTimer = setInterval(() => this.flush(), this.retryMs);
      this.retryTimer.unref();
    }
    if (problem === null && this.retryTimer) {
      clearInterval(this.retryTimer);
      this.retryTimer = null;
    }
    const status = this.status();
    for (const listener of this.statusListeners) listener(status);
  }

  status(): LedgerStatus {
    return { state: this.problem === null ? 'ok' : 'degraded', queued: this.queue.length, problem: this.problem };
  }

  onStatus(listener: (status: LedgerStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Told of every entry as it is appended (checkpoints count them). */
  onAppend(listener: (entry: AuditEntry & LedgerRef) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /** The entry that starts at `offset` (from append's result), or null if there is none there. */
  readAt(offset: number): AuditEntry | null {
    if (offset >= this.size - this.writtenOfFirst) return this.queuedAt(offset);
    const fd = openSync(this.file, 'r');
    try {
      let bytes = Buffer.alloc(0);
      for (let pos = offset; !bytes.includes(0x0a); ) {
        const chunk = Buffer.alloc(16 * 1024);
        const n = readSync(fd, chunk, 0, chunk.length, pos);
        if (n === 0) break;
        bytes = Buffer.concat([bytes, chunk.subarray(0, n)]);
        pos += n;
      }
      const newline = bytes.indexOf(0x0a);
      return parseEntry(bytes.subarray(0, newline === -1 ? bytes.length : newline).toString('utf8'));
    } finally {
      closeSync(fd);
    }
  }

  /** Where the line starting at `offset` ends (the next line's offset); null if it does not end. */
  lineEnd(offset: number): number | null {
    const fd = openSync(this.file, 'r');
    try {
      const chunk = Buffer.alloc(64 * 1024);
      for (let pos = offset; ; ) {
        const n = readSync(fd, chunk, 0, chunk.length, pos);
        if (n === 0) return null;
        const newline = chunk.subarray(0, n).indexOf(0x0a);
        if (newline !== -1) return pos + newline + 1;
        pos += n;
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Bytes on disk now. */
  get bytesOnDisk(): number {
    return this.size;
  }

  private queuedAt(offset: number): AuditEntry | null {
    let pos = this.size - this.writtenOfFirst;
    for (const line of this.queue) {
      if (pos === offset) return parseEntry(line.toString('utf8'));
      pos += line.length;
    }
    return null;
  }

  /** The newest `limit` entries, oldest first (malformed lines skipped; waiting entries included). */
  list(limit: number): AuditEntry[] {
    const waiting = this.queue.map((line) => parseEntry(line.toString('utf8'))!);
    const parse = (lines: string[]) => lines.map(parseEntry).filter((e): e is AuditEntry => e !== null);
    let onDisk: AuditEntry[] = [];
    // Read further back while malformed lines leave too few entries.
    for (let want = limit; existsSync(this.file); want *= 2) {
      const { lines } = tailLines(this.file, want);
      onDisk = parse(lines);
      if (onDisk.length + waiting.length >= limit || lines.length < want) break;
    }
    return [...onDisk, ...waiting].slice(-limit);
  }

  /** Every entry on disk, oldest first, streamed, with the byte offset where it starts. */
  async *entries(from = 0): AsyncGenerator<{ entry: AuditEntry; offset: number }> {
    for await (const { entry, offset } of readLedgerLines(this.file, from)) if (entry) yield { entry, offset };
  }

  /** Walks the whole chain from the first entry; a malformed line is a break, named by position. */
  async verify(): Promise<ChainCheck> {
    let prev = { seq: 0, hash: GENESIS_HASH };
    let count = 0;
    for await (const { entry: e } of readLedgerLines(this.file)) {
      if (!e) return { ok: false, entries: count, seq: prev.seq + 1, reason: `the line after entry ${prev.seq} is not an entry: it was garbled or inserted` };
      const step = checkChain([e], prev);
      if (!step.ok) return { ...step, entries: count };
      prev = { seq: e.seq, hash: e.hash };
      count++;
    }
    return { ok: true, entries: count, lastHash: prev.hash };
  }

  /** Tries once more to write what waits, then closes the file. */
  close(): void {
    if (this.queue.length > 0) this.flush();
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = null;
    closeSync(this.fd);
  }
}
