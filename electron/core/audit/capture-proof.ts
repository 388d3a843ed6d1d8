/**
 * What proves a recorded segment unchanged since capture. Each camera's segments closing within one
 * UTC minute are the leaves of one RFC 6962 Merkle tree (merkle-tree.ts), and ONE ledger entry,
 * `recording.minute`, carries its root: the ledger grows with minutes, not segments. A leaf is the
 * canonical JSON of the segment's record (camera, path, SHA-256, start, end, bytes), so its times and
 * size are bound as well as its bytes. A segment keeps its leaf index, the tree's size and its
 * inclusion path; with them anyone recomputes the root from the segment alone and compares it with
 * the entry's (RFC 9162 §2.1.3.2). Segments of older ledgers have a `segment.closed` entry each,
 * which stays their proof.
 *
 * Used alike by the recorder that seals minutes, the export that proves its sources, the start-up
 * reconciliation and the package verifier, so all four agree on what a leaf is.
 */
import type { AuditEntry } from '../../../shared/api.js';
import { canonicalJson } from '../canonical-json.js';
import { leafHash, rootFromPath } from './merkle-tree.js';

/** A segment as its leaf binds it. */
export interface LeafSegment {
  cameraId: string;
  path: string;
  sha256: string;
  startMs: number;
  endMs: number;
  bytes: number;
}

/** A segment as its leaf binds it, and what its minute's entry says of it besides. */
export interface CapturedSegment extends LeafSegment {
  /** Closed by salvage after its ffmpeg died, not by ffmpeg. */
  repaired: boolean;
  /** How far the camera's clock had drifted when it closed; null: not measured. */
  clockOffsetMs: number | null;
}

/** Where a segment sits in its minute's tree: enough to recompute the root from the segment alone. */
export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  /** Sibling hashes from the leaf up (hex), as RFC 9162 §2.1.3.1 orders them. */
  auditPath: string[];
}

/** The details of a `recording.minute` entry; its subject is the camera. */
export interface MinuteDetails {
  /** The UTC minute the segments' ends fall in, e.g. 2026-12-02T07:13Z. */
  minute: string;
  count: number;
  /** The Merkle tree hash of the segments' leaves (hex). */
  root: string;
  /** The segments in leaf order. */
  paths: string[];
  /** Sealed at start-up from an index that outlived a crash, the files hashed again first. */
  afterRestart?: true;
  /**
   * Each leaf's clock drift (null: not measured), in leaf order, and the leaves closed by salvage:
   * what an export says of a segment besides its bytes and times is then the ledger's word, not
   * the index's. Minutes sealed before these were written (2026-12-03) carry neither.
   */
  clockOffsetsMs?: Array<number | null>;
  repaired?: number[];
}

export const MINUTE_MS = 60_000;

/** The minute a segment belongs to: that of its end (it is committed when it closes). */
export const minuteOf = (endMs: number) => Math.floor(endMs / MINUTE_MS) * MINUTE_MS;
export const minuteName = (minuteMs: number) => `${new Date(minuteMs).toISOString().slice(0, 16)}Z`;

export const segmentLeaf = (s: LeafSegment): Buffer =>
  leafHash(canonicalJson({ cameraId: s.cameraId, path: s.path, sha256: s.sha256, startMs: s.startMs, endMs: s.endMs, bytes: s.bytes }));

/** What a minute's entry says of its leaves besides their leaf hashes. */
export const minuteLeafDetails = (rows: readonly CapturedSegment[]): Pick<MinuteDetails, 'clockOffsetsMs' | 'repaired'> => {
  const repaired = rows.flatMap((r, i) => (r.repaired ? [i] : []));
  return { clockOffsetsMs: rows.map((r) => r.clockOffsetMs), ...(repaired.length ? { repaired } : {}) };
};

/** What a minute's entry says of leaf `i` besides its hash; null when the entry predates saying it. */
export function leafDetailsOf(d: Partial<MinuteDetails>, i: number): Pick<CapturedSegment, 'repaired' | 'clockOffsetMs'> | null {
  if (!Array.isArray(d.clockOffsetsMs)) return null;
  const offset = d.clockOffsetsMs[i];
  return { repaired: Array.isArray(d.repaired) && d.repaired.includes(i), clockOffsetMs: typeof offset === 'number' ? offset : null };
}

/** Why a minute entry does not prove a segment, with its proof. */
export type ProofFailure = { code: 'not-a-leaf' | 'path-wrong' | 'details-differ'; message: string };

/**
 * Null when `entry` is the `recording.minute` of the segment's camera naming it at the proof's leaf
 * and the proof leads from the segment's leaf to the entry's root; otherwise why not.
 */
export function checkInclusion(seg: CapturedSegment, proof: InclusionProof, entry: AuditEntry): ProofFailure | null {
  const d = entry.details as Partial<MinuteDetails> | undefined;
  if (entry.action !== 'recording.minute' || entry.subject !== seg.cameraId || !Array.isArray(d?.paths) || d.paths[proof.leafIndex] !== seg.path) {
    return { code: 'not-a-leaf', message: `${seg.path} is not leaf ${proof.leafIndex} of audit entry ${entry.seq}, which is not the capture of it.` };
  }
  const path = Array.isArray(proof.auditPath) && proof.auditPath.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h)) ? proof.auditPath.map((h) => Buffer.from(h, 'hex')) : null;
  const root = path && d.count === proof.treeSize ? rootFromPath(segmentLeaf(seg), proof.leafIndex, proof.treeSize, path) : null;
  if (!root || root.toString('hex') !== d.root) {
    return { code: 'path-wrong', message: `The inclusion path of ${seg.path} does not lead from its recorded hash, times and size to the root of audit entry ${entry.seq} (the capture of ${String(d.minute)}).` };
  }
  const said = leafDetailsOf(d, proof.leafIndex);
  if (said && (said.clockOffsetMs !== seg.clockOffsetMs || said.repaired !== seg.repaired)) {
    const told = (x: Pick<CapturedSegment, 'repaired' | 'clockOffsetMs'>) => `clock offset ${x.clockOffsetMs ?? 'not measured'}${x.clockOffsetMs === null ? '' : ' ms'}, ${x.repaired ? 'closed by salvage' : 'closed by ffmpeg'}`;
    return { code: 'details-differ', message: `${seg.path} is said to have ${told(seg)}; audit entry ${entry.seq} (the capture of ${String(d.minute)}) recorded ${told(said)}.` };
  }
  return null;
}

/** A segment's capture entry: its own `segment.closed` (older ledgers), or the `recording.minute` naming it at leafIndex. */
export type CaptureEntry = { entry: AuditEntry; offset: number } & ({ kind: 'segment'; sha256: string } | { kind: 'minute'; leafIndex: number });

/**
 * The capture entries of these segment files, in one pass over the ledger's entries. The first
 * trusted entry naming a path is its capture: a later one can only repeat it or be forged.
 */
export async function findCaptureEntries(entries: AsyncIterable<{ entry: AuditEntry; offset: number }>, paths: ReadonlySet<string>, trusted: (offset: number) => boolean): Promise<Map<string, CaptureEntry>> {
  const found = new Map<string, CaptureEntry>();
  for await (const { entry, offset } of entries) {
    if (!trusted(offset)) continue;
    const d = entry.details;
    if (entry.action === 'segment.closed' && typeof d?.path === 'string' && paths.has(d.path) && !found.has(d.path)) found.set(d.path, { entry, offset, kind: 'segment', sha256: String(d.sha256) });
    if (entry.action !== 'recording.minute' || !Array.isArray(d?.paths)) continue;
    (d.paths as unknown[]).forEach((path, leafIndex) => typeof path === 'string' && paths.has(path) && !found.has(path) && found.set(path, { entry, offset, kind: 'minute', leafIndex }));
  }
  return found;
}

/** What proves a recorded segment unchanged: its capture entry, the hash that entry holds for it, and its inclusion path. */
export interface CaptureProof {
  entry: AuditEntry;
  sha256: string;
  /** Null for an older ledger's own `segment.closed` entry. */
  proof: InclusionProof | null;
  /** Its minute was sealed at a start after a crash, the file hashed again first. */
  sealedAfterRestart: boolean;
}

/**
 * A segment's capture entry, read where its index row says it is, and agreeing with the row: its
 * minute's entry with the row's inclusion path leading from its record to the entry's root, or its
 * own `segment.closed`. Null when nothing proves it, or its entry is not `trusted` (written while
 * Watchroom was stopped).
 */
export function proveSegment(
  readAt: (offset: number) => AuditEntry | null,
  row: CapturedSegment & { ledgerOffset: number | null; proof: InclusionProof | null },
  trusted: (offset: number) => boolean = () => true,
): CaptureProof | null {
  const entry = row.ledgerOffset === null || !trusted(row.ledgerOffset) ? null : readAt(row.ledgerOffset);
  if (!entry) return null;
  if (row.proof) return checkInclusion(row, row.proof, entry) ? null : { entry, sha256: row.sha256, proof: row.proof, sealedAfterRestart: entry.details?.afterRestart === true };
  const closed = entry.action === 'segment.closed' && entry.details?.path === row.path && typeof entry.details.sha256 === 'string';
  return closed ? { entry, sha256: String(entry.details!.sha256), proof: null, sealedAfterRestart: false } : null;
}
