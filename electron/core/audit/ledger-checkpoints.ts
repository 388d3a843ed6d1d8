/**
 * Anchors the ledger outside itself. A hash chain proves order, but anyone who can write the file can
 * cut its tail or edit an entry and re-chain the rest. A checkpoint (sequence number, head hash, its
 * offset, time) signed with the workstation key fixes the chain up to that entry: taken every N
 * entries, every M minutes when anything happened, and at shutdown, into a file of its own. Copied to
 * a mirror folder (a share or removable medium) it survives whoever rewrites this disk, and with an
 * RFC 3161 token from a time-stamp authority it cannot be re-made later with an earlier date.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../canonical-json.js';
import { type SigningKey, verifySignature } from '../evidence/signing-key.js';
import type { Logger } from '../logger.js';
import type { AuditLedger } from './audit-ledger.js';
import { tailLines } from './tail-lines.js';
import { requestTimestamp } from './timestamp-authority.js';

export const CHECKPOINTS_FILE = 'audit-checkpoints.jsonl';

export interface Checkpoint {
  seq: number;
  /** The hash of entry `seq`: the chain's head when the checkpoint was taken. */
  hash: string;
  /** Where entry `seq` starts in the ledger file, so a check can begin there. */
  offset: number;
  at: string;
  /** Fingerprint of the signing key. */
  key: string;
  /**
   * Taken as Watchroom stopped: nothing may follow this entry until it starts again, so entries found
   * after it at the next start were written while it was not running.
   */
  shutdown?: true;
  /** ECDSA P-256 over the canonical JSON of the fields above, base64 DER. */
  signature: string;
  /** An RFC 3161 TimeStampResp over the SHA-256 of that same JSON, base64 DER. */
  timestamp?: string;
  /** Why there is no time-stamp though an authority is configured. */
  timestampProblem?: string;
}

/** The bytes a checkpoint's signature and time-stamp are over. */
export function checkpointBody(c: Pick<Checkpoint, 'seq' | 'hash' | 'offset' | 'at' | 'key' | 'shutdown'>): Buffer {
  return Buffer.from(canonicalJson({ seq: c.seq, hash: c.hash, offset: c.offset, at: c.at, key: c.key, ...(c.shutdown ? { shutdown: true } : {}) }));
}

export const checkpointDigest = (c: Checkpoint) => createHash('sha256').update(checkpointBody(c)).digest();

export function parseCheckpoint(line: string): Checkpoint | null {
  try {
    const c = JSON.parse(line) as Checkpoint;
    return Number.isSafeInteger(c.seq) && c.seq >= 1 && typeof c.hash === 'string' && Number.isSafeInteger(c.offset) && c.offset >= 0 && typeof c.signature === 'string' ? c : null;
  } catch {
    return null;
  }
}

/** Every checkpoint in a file, oldest first; a malformed line is reported as null in its place. */
export function readCheckpoints(file: string): Array<Checkpoint | null> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map(parseCheckpoint);
}

/** Whether the workstation key signed this checkpoint. */
export function signedBy(publicKeyPem: string): (c: Checkpoint) => boolean {
  return (c) => verifySignature(checkpointBody(c), Buffer.from(c.signature, 'base64'), publicKeyPem);
}

/** The newest checkpoint that `accept`s (at start-up: one the workstation key signed, not any line). */
export function lastCheckpoint(file: string, accept: (c: Checkpoint) => boolean): Checkpoint | null {
  if (!existsSync(file)) return null;
  for (let want = 16; ; want *= 8) {
    const lines = tailLines(file, want).lines;
    for (let i = lines.length - 1; i >= 0; i--) {
      const c = parseCheckpoint(lines[i]!);
      if (c && accept(c)) return c;
    }
    if (lines.length < want) return null;
  }
}

/** Somewhere else checkpoints are copied to as they are taken (a site's directory). */
export interface CheckpointAnchor {
  /** The entry numbers of the copies it holds. */
  seqs(): Promise<Set<number>>;
  add(checkpoints: readonly Checkpoint[]): Promise<void>;
  /** Every copy, oldest first; one that is not a checkpoint is null in its place. */
  all(): Promise<Array<Checkpoint | null>>;
  /**
   * The copies of entries fromSeq…toSeq and the last one before fromSeq, oldest first (as all()):
   * what an export checks a stretch of a ledger against, without reading a year of copies.
   */
  around(fromSeq: number, toSeq: number): Promise<Array<Checkpoint | null>>;
}

export interface CheckpointOptions {
  /** A site's directory, which gets a copy of every checkpoint. */
  anchor?: CheckpointAnchor;
  ledger: AuditLedger;
  dataDir: string;
  key: () => SigningKey;
  logger: Logger;
  /** A folder elsewhere (share, removable medium) that receives a copy of every checkpoint. */
  mirrorDir?: string;
  /** An RFC 3161 time-stamp authority's URL. */
  timestampUrl?: string;
  everyEntries?: number;
  /** At most CHECKPOINT_MAX_INTERVAL_MS: the check holds a checkpoint's time-stamp to its entry's time. */
  everyMs?: number;
}

export const CHECKPOINT_MAX_INTERVAL_MS = 10 * 60_000;
export const CHECKPOINT_DEFAULTS = { entries: 1_000, ms: 5 * 60_000 } as const;

export class LedgerCheckpoints {
  readonly file: string;
  private head: { seq: number; hash: string; offset: number } | null = null;
  private sinceLast = 0;
  /** Whether this run's first entry was checkpointed. */
  private startedRun = false;
  private work: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private readonly offAppend: () => void;

  constructor(private readonly opts: CheckpointOptions) {
    this.file = join(opts.dataDir, CHECKPOINTS_FILE);
    const everyEntries = opts.everyEntries ?? CHECKPOINT_DEFAULTS.entries;
    this.offAppend = opts.ledger.onAppend((entry) => {
      this.head = { seq: entry.seq, hash: entry.hash, offset: entry.offset };
      // This run's first entry is checkpointed at once: after a clean stop, the last checkpoint is the
      // shutdown one, and a run killed before its next would have its entries taken, at the following
      // start, for entries written while Watchroom was stopped.
      if (++this.sinceLast >= everyEntries || !this.startedRun) {
        this.startedRun = true;
        void this.take();
      }
    });
    this.timer = setInterval(() => void this.take(), Math.min(opts.everyMs ?? CHECKPOINT_DEFAULTS.ms, CHECKPOINT_MAX_INTERVAL_MS));
    this.timer.unref();
  }

  /**
   * Takes a checkpoint of the newest entry, if there is anything new since the last (at shutdown,
   * always: it marks where the ledger stood when Watchroom stopped); one at a time.
   */
  take(shutdown = false): Promise<void> {
    this.work = this.work.then(async () => {
      const head = this.head;
      if (!head || (this.sinceLast === 0 && !shutdown)) return;
      this.sinceLast = 0;
      const key = this.opts.key();
      const unsigned = { seq: head.seq, hash: head.hash, offset: head.offset, at: new Date().toISOString(), key: key.fingerprint, ...(shutdown ? { shutdown: true as const } : {}) };
      const checkpoint: Checkpoint = { ...unsigned, signature: key.sign(checkpointBody(unsigned)).toString('base64') };
      if (this.opts.timestampUrl) {
        try {
          checkpoint.timestamp = (await requestTimestamp(this.opts.timestampUrl, checkpointDigest(checkpoint))).toString('base64');
        } catch (error) {
          checkpoint.timestampProblem = (error as Error).message;
          this.opts.logger.log('warn', 'audit.timestamp-failed', { seq: head.seq, problem: checkpoint.timestampProblem });
        }
      }
      appendSynced(this.file, `${JSON.stringify(checkpoint)}\n`);
      this.mirror();
      await this.copyToAnchor();
    }).catch((error: unknown) => this.opts.logger.log('error', 'audit.checkpoint-failed', { error: String(error) }));
    return this.work;
  }

  /**
   * Brings the mirror up to date with every local checkpoint it lacks, by entry number (it may have
   * been away, and the local file may have been cut or removed: what the mirror has, it keeps).
   */
  private mirror(): void {
    const dir = this.opts.mirrorDir;
    if (!dir) return;
    try {
      mkdirSync(dir, { recursive: true });
      const target = join(dir, CHECKPOINTS_FILE);
      const have = new Set(readCheckpoints(target).map((c) => c?.seq));
      const missing = readFileSync(this.file, 'utf8').split('\n').filter((l) => l.trim() && !have.has(parseCheckpoint(l)?.seq));
      if (missing.length > 0) appendSynced(target, missing.map((l) => `${l}\n`).join(''));
    } catch (error) {
      this.opts.logger.log('warn', 'audit.mirror-failed', { mirror: dir, error: String(error) });
    }
  }

  /** Copies to the anchor what it lacks, after any checkpoint being taken: the start-up check does this first, so it finds only what a rewrite left behind. */
  syncAnchor(): Promise<void> {
    this.work = this.work.then(() => this.copyToAnchor());
    return this.work;
  }

  /** Copies to the anchor every local checkpoint it lacks (it may have been out of reach); a failure waits for the next checkpoint. */
  private async copyToAnchor(): Promise<void> {
    const anchor = this.opts.anchor;
    if (!anchor) return;
    try {
      const have = await anchor.seqs();
      const missing = readCheckpoints(this.file).filter((c): c is Checkpoint => c !== null && !have.has(c.seq));
      if (missing.length > 0) await anchor.add(missing);
    } catch (error) {
      this.opts.logger.log('warn', 'audit.anchor-failed', { error: String(error) });
    }
  }

  /** The shutdown checkpoint, then no more. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.offAppend();
    await this.take(true);
  }
}

function appendSynced(file: string, text: string): void {
  appendFileSync(file, text, { mode: 0o600 });
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
