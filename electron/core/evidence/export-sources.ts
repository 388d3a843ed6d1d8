/**
 * Where an export reads its footage: which segments a camera has in a window, the capture entry that
 * proves each, and their bytes. On one machine that is the recordings folder, the segment index and
 * the ledger (localExportSources); a site will fetch the same from the recorders over HTTP, so every
 * answer is a promise and nothing here hands out a file path.
 */
import { join } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import type { AuditEntry } from '../../../shared/api.js';
import { WatchroomError } from '../../../shared/errors.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import { proveSegment, type InclusionProof } from '../audit/capture-proof.js';
import type { FetchedCustody } from '../recorders/site-custody.js';
import type { TakeoverEntry } from './clip-plan.js';
import { sealMinutesOf } from '../recording/minute-batches.js';
import type { SegmentIndex, SegmentRow } from '../recording/segment-index.js';
import { openRegular } from '../regular-file.js';

/** A recorded segment as an export sees it: its index row, and the recorder holding it (null on one machine). */
export type ProvenSegment = SegmentRow & { recorderId: string | null };

/**
 * A source segment's inclusion proof as the manifest gives it: the entry (by seq) and the path to its
 * root; `sealedAfterRestart` when that minute was sealed only at the start after a crash.
 */
export type SourceInclusion = InclusionProof & { entrySeq: number; sealedAfterRestart?: true };

/** A source segment's capture: the entry, the hash it proves, and (for a minute) the inclusion proof. */
export interface SegmentCapture {
  entry: AuditEntry;
  /** The recorder whose ledger holds the entry (null: this machine's). */
  ledger: string | null;
  sha256: string;
  inclusion: SourceInclusion | null;
}

/** A recorder's segment of a stretch the export took from another recorder's copy. */
export interface AlsoRecorded {
  recorder: string;
  path: string;
  startUtc: string;
  endUtc: string;
  sha256: string;
}

/** A segment's name within one export: its path on the recorder holding it (two recorders may use one path). */
export const segmentKey = (seg: Pick<ProvenSegment, 'recorderId' | 'path'>) => `${seg.recorderId ?? ''}:${seg.path}`;

/** One export as its sources need to know it: a site's recorders vouch for exactly this package, person, cameras and window. */
export interface ExportAbout {
  packageId: string;
  /** The account the export is made as. */
  person: string;
  cameraIds: readonly string[];
  fromMs: number;
  toMs: number;
  /** The export's: cancelling it ends whatever is asked of a recorder at once. */
  signal?: AbortSignal;
}

/** One export's footage, in its window. */
export interface ExportRun {
  /** The camera's segments in the window, in time order; a minute still open is sealed first, so each can be proven. */
  segments(cameraId: string): Promise<ProvenSegment[]>;
  /** Each segment's capture, by segmentKey; export.footage-unproven for one that nothing proves. */
  prove(segments: readonly ProvenSegment[]): Promise<Map<string, SegmentCapture>>;
  /** The segment's bytes as stored, unchecked: the reader hashes them (verified-sources.ts). Read to the end or break off: either lets go of the file. */
  open(segment: ProvenSegment): Promise<AsyncIterable<Buffer>>;
  /** The recorders' checked custody answers, one per recorder that vouched for footage (none on one machine). */
  custody(): Promise<FetchedCustody[]>;
  /** The camera's takeovers in the window, from the answers of the recorders that took it over (none on one machine). */
  takeovers(cameraId: string): Promise<TakeoverEntry[]>;
  /** Segments another recorder also vouched for over a stretch the export takes from one (none on one machine): declared, not used. */
  alsoRecorded(cameraId: string): Promise<AlsoRecorded[]>;
}

export interface ExportSources {
  /** Whether anything was recorded on the camera in the window (a request is checked before anything is asked of anyone). */
  hasFootage(cameraId: string, fromMs: number, toMs: number): Promise<boolean>;
  /** The footage of one export. */
  forExport(about: ExportAbout): ExportRun;
}

/** This machine's recordings. */
export interface LocalFootage {
  recordingsRoot: string;
  index: SegmentIndex;
  ledger: AuditLedger;
  /** False for ledger bytes that may not be trusted (written while Watchroom was stopped). */
  trustedLedgerOffset?: (offset: number) => boolean;
}

export function localExportSources({ recordingsRoot, index, ledger, trustedLedgerOffset }: LocalFootage): ExportSources {
  return {
    hasFootage: async (cameraId, fromMs, toMs) => index.segments(cameraId, fromMs, toMs).length > 0,
    forExport: ({ fromMs, toMs }) => localRun({ recordingsRoot, index, ledger, trustedLedgerOffset }, fromMs, toMs),
  };
}

/** This machine's footage of one export's window. */
function localRun({ recordingsRoot, index, ledger, trustedLedgerOffset }: LocalFootage, fromMs: number, toMs: number): ExportRun {
  return {
    async segments(cameraId) {
      // The footage leaves proven by the ledger, never by the index alone.
      sealMinutesOf(index, (action, subject, details) => ledger.append('system', action, subject, details), index.segments(cameraId, fromMs, toMs));
      return index.segments(cameraId, fromMs, toMs).map((row) => ({ ...row, recorderId: null }));
    },
    async prove(segments) {
      const capture = new Map<string, SegmentCapture>();
      for (const seg of segments) {
        const proven = proveSegment((offset) => ledger.readAt(offset), seg, trustedLedgerOffset);
        if (!proven) throw new WatchroomError('export.footage-unproven', `Recorded segment ${seg.path} has no capture entry in the audit ledger that proves it, so nothing proves it unchanged since it was recorded. It was not exported.`);
        const { entry, sha256, proof, sealedAfterRestart } = proven;
        capture.set(segmentKey(seg), { entry, ledger: null, sha256, inclusion: proof && { entrySeq: entry.seq, ...proof, ...(sealedAfterRestart ? { sealedAfterRestart: true as const } : {}) } });
      }
      return capture;
    },
    // A regular file only: a symlink or a named pipe put in its place is refused, never followed or waited on.
    open: async (segment) => chunksOf(await openRegular(join(recordingsRoot, segment.path))),
    custody: async () => [],
    takeovers: async () => [],
    alsoRecorded: async () => [],
  };
}

const CHUNK_BYTES = 1 << 20;

/** A file's bytes in chunks; each chunk is a buffer of its own, so a reader may keep it (the first segment is kept whole). */
async function* chunksOf(handle: FileHandle): AsyncGenerator<Buffer> {
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
