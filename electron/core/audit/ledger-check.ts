/**
 * Checks a ledger against itself and against its anchors, and names what breaks: every entry's hash,
 * link and number (a malformed line is a break too); every checkpoint's signature; that the chain
 * still holds the head hash each checkpoint recorded (a rewrite re-chained after an edit keeps a
 * valid chain but not those hashes); that no checkpointed entry is gone (a cut tail); that the
 * mirror's copies match; and, given the authority's CA, that each time-stamp is genuine and covers
 * its checkpoint. Used whole by `watchroom-verify --ledger`, and from the last checkpoint at start-up.
 */
import { canonicalJson } from '../canonical-json.js';
import { keyFingerprint, verifySignature } from '../evidence/signing-key.js';
import { checkChain, GENESIS_HASH, readLedgerLines } from './audit-ledger.js';
import { type Checkpoint, CHECKPOINT_DEFAULTS, CHECKPOINT_MAX_INTERVAL_MS, checkpointBody, checkpointDigest, readCheckpoints } from './ledger-checkpoints.js';
import { checkTimestamp } from './timestamp-authority.js';

export interface LedgerProblem {
  code: string;
  /** The entry (or checkpoint's entry) it concerns. */
  seq: number | null;
  message: string;
}

export interface LedgerReport {
  ok: boolean;
  /** Entries checked, and the last one's number. */
  entries: number;
  lastSeq: number;
  /** Where checking began: 0 for the whole ledger, else the checkpoint's entry. */
  fromSeq: number;
  checkpoints: number;
  timestamps: { present: number; checked: number };
  key: string | null;
  problems: LedgerProblem[];
  /** Lines that are not entries, with where they start (start-up sets them aside in the record). */
  malformed: Array<{ offset: number; afterSeq: number; text: string }>;
}

export interface LedgerCheckOptions {
  ledgerFile: string;
  checkpointsFile: string;
  /** The workstation's public key (PEM) that signs checkpoints; null: signatures cannot be checked. */
  publicKeyPem: string | null;
  /** The mirror's copy of the checkpoints file. */
  mirrorFile?: string;
  /** The site directory's copies of this process's checkpoints (read by the caller: the directory is a database). */
  directoryCopies?: ReadonlyArray<Checkpoint | null>;
  /** The time-stamp authority's CA certificate: tokens are checked only with it. */
  timestampCaFile?: string;
  /** Check from this checkpoint on (start-up), instead of the whole ledger. */
  from?: Checkpoint;
}

/** How far a time-stamp's time may lie from its checkpoint's own: a slow authority, not a forgery. */
const TIMESTAMP_SLACK_MS = 5 * 60_000;
/**
 * A checkpoint is taken within CHECKPOINT_MAX_INTERVAL_MS of the entry it anchors, so a time-stamp
 * much later than that entry's own time was not taken when the entry was new: history re-made later
 * cannot borrow today's genuine time-stamps. Likewise, entries spanning longer than that, or more than
 * the checkpoint count, with no checkpoint after them, lost their checkpoints.
 */
const ANCHOR_DELAY_MS = CHECKPOINT_MAX_INTERVAL_MS + TIMESTAMP_SLACK_MS;

type Problem = (code: string, seq: number | null, message: string) => void;

export async function checkLedger(opts: LedgerCheckOptions): Promise<LedgerReport> {
  const problems: LedgerProblem[] = [];
  const problem: Problem = (code, seq, message) => void problems.push({ code, seq, message });
  const key = opts.publicKeyPem ? keyFingerprint(opts.publicKeyPem) : null;
  const checkpoints = readAllCheckpoints(opts, problem);
  const { present, checked, tokenTimes } = await checkCheckpoints(checkpoints, opts, key, problem);
  const { entries, last, uncovered, malformed } = await checkEntries(opts, checkpoints, tokenTimes, problem);

  if (uncovered && (uncovered.count > CHECKPOINT_DEFAULTS.entries || Date.parse(last.at) - uncovered.at > ANCHOR_DELAY_MS)) {
    problem('checkpoints-missing', uncovered.seq, `Entries ${uncovered.seq} to ${last.seq} are covered by no checkpoint, though one is taken every ${CHECKPOINT_DEFAULTS.entries} entries and within ${CHECKPOINT_MAX_INTERVAL_MS / 60_000} minutes: their checkpoints were removed.`);
  }
  // Asked to hold the ledger to an authority, a ledger no token covers is anchored in nothing.
  if (opts.timestampCaFile && entries > 0 && tokenTimes.size === 0) problem('timestamps-none', opts.from?.seq ?? 1, 'No checkpoint of this ledger carries a valid time-stamp: nothing anchors it in time (were its checkpoints removed?).');
  const newest = Math.max(0, ...checkpoints.keys());
  if (newest > last.seq) problem('entries-missing', last.seq + 1, `The ledger ends at entry ${last.seq}, but entry ${newest} was checkpointed: the entries after ${last.seq} were cut off.`);
  return {
    ok: problems.length === 0,
    entries,
    lastSeq: last.seq,
    fromSeq: opts.from?.seq ?? 0,
    checkpoints: checkpoints.size,
    timestamps: { present, checked },
    key,
    // Checkpoint problems first, then the chain's in file order: the first named is where it breaks.
    problems,
    malformed,
  };
}

/** Where copies of the checkpoints are kept out of a local rewriter's reach, and how its problems are named. */
const COPIES = {
  mirror: { where: 'the mirror', empty: 'mirror-empty', absent: 'checkpoint-not-mirrored', differs: 'checkpoint-differs-from-mirror' },
  directory: { where: 'the site directory', empty: 'directory-empty', absent: 'checkpoint-not-in-directory', differs: 'checkpoint-differs-from-directory' },
} as const;

/** The checkpoints by entry: local, and the copies' (the mirror's, the directory's: a local rewrite cannot reach them), which win. */
function readAllCheckpoints(opts: LedgerCheckOptions, problem: Problem): Map<number, Checkpoint> {
  const local = readCheckpoints(opts.checkpointsFile);
  local.forEach((c, i) => c === null && problem('checkpoint-unreadable', null, `Line ${i + 1} of the checkpoints file is not a checkpoint.`));
  const checkpoints = new Map<number, Checkpoint>();
  for (const c of local) if (c) checkpoints.set(c.seq, c);
  const newestLocal = Math.max(0, ...checkpoints.keys());
  const localSeqs = [...checkpoints.keys()];
  // Each entry's first local checkpoint (a shutdown one may repeat an entry): what a copy was made from.
  const firstLocal = new Map<number, Checkpoint>();
  for (const c of local) if (c && !firstLocal.has(c.seq)) firstLocal.set(c.seq, c);
  const copies = [
    ...(opts.mirrorFile ? [{ names: COPIES.mirror, copied: readCheckpoints(opts.mirrorFile) }] : []),
    ...(opts.directoryCopies ? [{ names: COPIES.directory, copied: opts.directoryCopies }] : []),
  ];
  for (const { names, copied } of copies) {
    if (copied.length === 0 && localSeqs.length > 0) problem(names.empty, null, `${capitalised(names.where)} holds no checkpoints at all: it is not this workstation’s, or it was emptied.`);
    const inCopy = new Set(copied.map((m) => m?.seq));
    // The newest may not have reached a copy that was away; every older one must have.
    if (copied.length > 0) for (const seq of localSeqs) if (seq !== newestLocal && !inCopy.has(seq)) problem(names.absent, seq, `The checkpoint of entry ${seq} never reached ${names.where}.`);
    for (const m of copied) {
      if (!m) continue;
      const mine = firstLocal.get(m.seq);
      if (!mine) problem('checkpoint-missing', m.seq, `${capitalised(names.where)} holds a checkpoint of entry ${m.seq} that the workstation's checkpoints file no longer has.`);
      else if (canonicalJson(mine) !== canonicalJson(m)) problem(names.differs, m.seq, `The checkpoint of entry ${m.seq} differs from ${names.where}'s copy: it was re-made after the fact.`);
      checkpoints.set(m.seq, m); // the copy is the one to hold the ledger to
    }
  }
  return checkpoints;
}

const capitalised = (text: string) => text[0]!.toUpperCase() + text.slice(1);

/** Each checkpoint's signature and, given the CA, its time-stamp; returns the times genuine tokens give. */
async function checkCheckpoints(checkpoints: ReadonlyMap<number, Checkpoint>, opts: LedgerCheckOptions, key: string | null, problem: Problem) {
  let present = 0;
  let checked = 0;
  const tokenTimes = new Map<number, Date>();
  for (const c of checkpoints.values()) {
    if (!opts.publicKeyPem || c.key !== key || !verifySignature(checkpointBody(c), Buffer.from(c.signature, 'base64'), opts.publicKeyPem)) {
      problem('checkpoint-signature-invalid', c.seq, `The checkpoint of entry ${c.seq} is not signed by the workstation key${key ? ` ${key}` : ''}.`);
    }
    if (!c.timestamp) {
      // Asked to hold the ledger to an authority, a checkpoint without a token anchors nothing.
      if (opts.timestampCaFile) problem('timestamp-missing', c.seq, `The checkpoint of entry ${c.seq} has no time-stamp${c.timestampProblem ? ` (it says: ${c.timestampProblem})` : ''}: the chain up to it is not anchored in time.`);
      continue;
    }
    present++;
    if (!opts.timestampCaFile) continue;
    const ts = await checkTimestamp(Buffer.from(c.timestamp, 'base64'), checkpointDigest(c).toString('hex'), opts.timestampCaFile);
    checked++;
    if (!ts.ok) problem('timestamp-invalid', c.seq, `The time-stamp of the checkpoint of entry ${c.seq} does not hold: ${ts.problem}.`);
    else if (Math.abs(ts.time.getTime() - Date.parse(c.at)) > TIMESTAMP_SLACK_MS) {
      problem('timestamp-time-mismatch', c.seq, `The checkpoint of entry ${c.seq} says ${c.at}, but its time-stamp says ${ts.time.toISOString()}.`);
    } else tokenTimes.set(c.seq, ts.time);
  }
  return { present, checked, tokenTimes };
}

/**
 * The chain, streamed, held to the checkpoints and their time-stamps; after a break it resumes from
 * the entry found, so later breaks are named too.
 */
async function checkEntries(opts: LedgerCheckOptions, checkpoints: ReadonlyMap<number, Checkpoint>, tokenTimes: ReadonlyMap<number, Date>, problem: Problem) {
  let prev = opts.from ? { seq: opts.from.seq - 1, hash: '', at: '' } : { seq: 0, hash: GENESIS_HASH, at: '' };
  /** The first entry after the newest checkpoint seen, and how many follow it. */
  let uncovered: { seq: number; at: number; count: number } | null = null;
  let entries = 0;
  const malformed: LedgerReport['malformed'] = [];
  for await (const { offset, text, entry } of readLedgerLines(opts.ledgerFile, opts.from?.offset ?? 0)) {
    if (!entry) {
      malformed.push({ offset, afterSeq: prev.seq, text });
      problem('entry-unreadable', prev.seq + 1, `The line after entry ${prev.seq} is not an entry: it was garbled or inserted.`);
      continue;
    }
    if (opts.from && entries === 0) {
      // The first line must be the checkpointed entry itself.
      if (entry.seq !== opts.from.seq || entry.hash !== opts.from.hash) problem('checkpoint-mismatch', opts.from.seq, `Entry ${opts.from.seq} is not the one the last checkpoint recorded: the ledger was rewritten before it.`);
    } else {
      const step = checkChain([entry], prev);
      if (!step.ok) problem(chainCode(step.reason), step.seq, `${capitalise(step.reason)}.`);
    }
    const c = checkpoints.get(entry.seq);
    if (c && c.hash !== entry.hash) problem('checkpoint-mismatch', entry.seq, `Entry ${entry.seq} is not the entry checkpointed at ${c.at}: the ledger up to it was rewritten and re-chained.`);
    const stamped = tokenTimes.get(entry.seq);
    if (stamped && stamped.getTime() - Date.parse(entry.at) > ANCHOR_DELAY_MS) {
      problem('timestamp-too-late', entry.seq, `Entry ${entry.seq} says ${entry.at}, but its checkpoint was time-stamped only at ${stamped.toISOString()}: that history was made after the fact.`);
    }
    if (c) uncovered = null;
    else uncovered ??= { seq: entry.seq, at: Date.parse(entry.at), count: 0 };
    if (uncovered) uncovered.count++;
    prev = { seq: entry.seq, hash: entry.hash, at: entry.at };
    entries++;
  }
  return { entries, last: prev, uncovered, malformed };
}

function chainCode(reason: string): string {
  if (reason.includes('missing or out of order')) return 'entry-out-of-sequence';
  if (reason.includes('does not link')) return 'entry-unlinked';
  return 'entry-altered';
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
