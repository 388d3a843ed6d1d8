/**
 * A recorder's custody answer: what it vouches for when a workstation exports its footage (design:
 * docs/design/site-exports.md §4). For each recorded segment in the window, its hash, times and size,
 * the ledger entry that captured it (a minute's Merkle root, or an older ledger's own segment entry)
 * with the inclusion path, and the signed checkpoint at or after each entry that anchors it. The
 * answer is canonical JSON signed with the recorder's key, so it travels in the package as it was
 * signed and anyone holding the recorder's public key checks it with openssl.
 *
 * checkCustodyAnswer is the workstation's check of everything the answer can show by itself; that
 * the anchors are the directory's copies and that the recorder's chain runs from each entry to its
 * anchor are checked beside it (site-custody.ts, chain-run.ts).
 */
import { z } from 'zod';
import { auditEntrySchema } from '../../../shared/entities.js';
import { WatchroomError } from '../../../shared/errors.js';
import type { AuditEntry } from '../../../shared/api.js';
import { entryHash } from '../audit/audit-ledger.js';
import { checkInclusion } from '../audit/capture-proof.js';
import { signedBy, type Checkpoint } from '../audit/ledger-checkpoints.js';
import { canonicalJson } from '../canonical-json.js';
import { verifySignature } from '../evidence/signing-key.js';

export const CUSTODY_FORMAT = 'watchroom-custody/1';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const ms = z.number().int().nonnegative().max(8.64e15);

const inclusionSchema = z.object({ leafIndex: z.number().int().nonnegative(), treeSize: z.number().int().positive(), auditPath: z.array(hex64).max(64) });

export const custodySegmentSchema = z.object({
  /** The segment's number on the recorder (GET /footage/segments/<id>.ts). */
  id: z.number().int().positive(),
  cameraId: z.string().min(1).max(200),
  /** Relative to the recorder's recordings root, as its index and ledger name it. */
  path: z.string().min(1).max(500),
  sha256: hex64,
  startMs: ms,
  endMs: ms,
  bytes: z.number().int().positive(),
  /** The recording run (one ffmpeg run): a clip never spans two. */
  runId: z.string().max(100).nullable(),
  /** The capture entry's seq in the recorder's ledger. */
  captureSeq: z.number().int().positive(),
  /** The path to its minute's root; null for an older ledger's `segment.closed` entry. */
  inclusion: inclusionSchema.nullable(),
  /** Its minute was sealed at the recorder's start after a crash, its file hashed again first. */
  sealedAfterRestart: z.literal(true).optional(),
  /** Trimmed or indexed after a crash rather than closed normally (the recorder's index says so). */
  repaired: z.literal(true).optional(),
  /** How far the camera's clock had drifted when it closed (segment-index.ts); absent: not measured. */
  clockOffsetMs: z.number().int().min(-8.64e7).max(8.64e7).optional(),
});

const checkpointSchema = z.object({
  seq: z.number().int().positive(),
  hash: hex64,
  offset: z.number().int().nonnegative(),
  at: z.string(),
  key: z.string(),
  shutdown: z.literal(true).optional(),
  signature: z.string(),
  timestamp: z.string().optional(),
  timestampProblem: z.string().optional(),
});

export const custodyAnswerSchema = z.object({
  format: z.literal(CUSTODY_FORMAT),
  recorder: z.object({ id: z.string(), fingerprint: z.string() }),
  packageId: z.string().uuid(),
  /** The workstation that asked, and the person it said it asked for. */
  forNode: z.string(),
  forPerson: z.string(),
  cameras: z.array(z.string()).min(1),
  fromMs: ms,
  toMs: ms,
  answeredAtUtc: z.string(),
  segments: z.array(custodySegmentSchema),
  captureEntries: z.array(auditEntrySchema),
  /** The recorder's `recording.takeover` entries of the cameras in the window: why a gap ends where its footage begins. */
  takeovers: z.array(auditEntrySchema).default([]),
  anchors: z.array(checkpointSchema),
});

export type CustodyAnswer = z.infer<typeof custodyAnswerSchema>;
export type CustodySegment = z.infer<typeof custodySegmentSchema>;

/** What the workstation asked; the answer must be about exactly that. */
export interface CustodyQuestion {
  recorderId: string;
  packageId: string;
  cameras: readonly string[];
  fromMs: number;
  toMs: number;
}

/** Each capture entry of a checked answer with the first anchor at or after it. */
export interface CheckedCustody {
  answer: CustodyAnswer;
  anchorOf: Map<number, Checkpoint>;
}

/** An answer that does not hold; `why` alone is what a verifier of a package reports. */
export class CustodyAnswerRefused extends WatchroomError {
  constructor(recorderId: string, readonly why: string) {
    super('export.recorder-custody-invalid', `Recorder ${recorderId} answered for its footage with something that does not hold: ${why}. Nothing was exported.`);
  }
}

const refused = (recorderId: string, why: string) => new CustodyAnswerRefused(recorderId, why);

/** The first anchor at or after `seq` (anchors in any order). */
export function anchorFor(anchors: readonly Checkpoint[], seq: number): Checkpoint | null {
  return anchors.filter((a) => a.seq >= seq).sort((a, b) => a.seq - b.seq)[0] ?? null;
}

/**
 * The answer, when `signature` is the recorder's over exactly `body`, `body` is the canonical form of
 * an answer to `question`, every capture entry hashes as it says, every segment is in the window and
 * proven by its entry, and every entry has an anchor signed by the same key. Throws
 * export.recorder-custody-invalid naming what does not hold.
 */
export function checkCustodyAnswer(body: Buffer, signature: Buffer, publicKeyPem: string, question: CustodyQuestion): CheckedCustody {
  const fail = (why: string) => refused(question.recorderId, why);
  if (!verifySignature(body, signature, publicKeyPem)) throw fail('its signature is not by the recorder’s key');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw fail('it is not JSON');
  }
  const result = custodyAnswerSchema.safeParse(parsed);
  if (!result.success) throw fail('it is not a custody answer');
  const answer = result.data;
  if (canonicalJson(parsed) !== body.toString('utf8')) throw fail('it is not in canonical form');
  if (answer.recorder.id !== question.recorderId || answer.packageId !== question.packageId || answer.fromMs !== question.fromMs || answer.toMs !== question.toMs || canonicalJson([...answer.cameras].sort()) !== canonicalJson([...question.cameras].sort())) {
    throw fail('it answers another question (recorder, package, cameras or window)');
  }
  const entries = new Map<number, AuditEntry>();
  for (const e of answer.captureEntries) {
    if (entryHash(e) !== e.hash) throw fail(`its capture entry ${e.seq} was changed after it was written`);
    entries.set(e.seq, e);
  }
  checkSegments(answer, entries, fail);
  for (const t of answer.takeovers) {
    if (entryHash(t) !== t.hash || t.action !== 'recording.takeover' || !answer.cameras.includes(t.subject)) throw fail(`its takeover entry ${t.seq} is not a takeover of a camera asked for, as it was written`);
    entries.set(t.seq, t);
  }
  const anchors = answer.anchors.filter(signedBy(publicKeyPem));
  if (anchors.length !== answer.anchors.length) throw fail('a checkpoint it gives is not signed by its key');
  const anchorOf = new Map<number, Checkpoint>();
  for (const seq of entries.keys()) {
    const anchor = anchorFor(anchors, seq);
    if (!anchor) throw fail(`no checkpoint anchors its capture entry ${seq}`);
    anchorOf.set(seq, anchor);
  }
  return { answer, anchorOf };
}

function checkSegments(answer: CustodyAnswer, entries: Map<number, AuditEntry>, fail: (why: string) => WatchroomError): void {
  const paths = new Set<string>();
  for (const s of answer.segments) {
    if (paths.has(s.path)) throw fail(`it names segment ${s.path} twice`);
    paths.add(s.path);
    if (!answer.cameras.includes(s.cameraId) || s.endMs <= answer.fromMs || s.startMs >= answer.toMs || s.endMs <= s.startMs) throw fail(`segment ${s.path} is outside the cameras and window asked for`);
    const entry = entries.get(s.captureSeq);
    if (!entry) throw fail(`the capture entry of ${s.path} is missing`);
    if (s.inclusion) {
      const wrong = checkInclusion({ ...s, repaired: s.repaired === true, clockOffsetMs: s.clockOffsetMs ?? null }, s.inclusion, entry);
      if (wrong) throw fail(wrong.message);
    } else if (entry.action !== 'segment.closed' || entry.details?.path !== s.path || entry.details?.sha256 !== s.sha256) {
      throw fail(`${s.path} is not what its capture entry ${entry.seq} recorded`);
    }
  }
}
