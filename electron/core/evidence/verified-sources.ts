/**
 * Hands an export's recorded segments to ffmpeg and proves them on the way. Each segment is hashed as
 * its bytes go to ffmpeg's stdin, and must match the hash its capture entry in the ledger recorded
 * when it closed. ffmpeg reads exactly the bytes that were hashed, so footage swapped on disk after a
 * check, or between two reads, cannot reach a master unnoticed. Where the bytes come from (a file
 * here, a recorder over the network later) is the source's business: what is checked is what is fed.
 */
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { WatchroomError } from '../../../shared/errors.js';
import { ExportCancelled } from './ffmpeg-job.js';

export interface ProvenSource {
  /** What a failure names: the segment's path, as the index and ledger name it. */
  label: string;
  /** The bytes, unchecked; iterated once. Each chunk is a buffer of its own: a reader may keep it. */
  open(): Promise<AsyncIterable<Buffer>>;
  /** The SHA-256 the ledger's capture entry holds. */
  captureSha256: string;
}

/** The footage differs from what was recorded: refused, named, and entered in the ledger by the caller. */
export class FootageChangedError extends WatchroomError {
  constructor(readonly segment: string, readonly expected: string, readonly actual: string) {
    super('export.footage-changed', `Recorded segment ${segment} is not the footage that was recorded: its SHA-256 is ${actual}, but the ledger recorded ${expected} when it closed. Nothing was exported; report this to whoever looks after the recordings.`);
  }
}

/** Writes `chunk`; resolves false once the reader is gone (ffmpeg stops reading when it has the clip). */
function write(sink: Writable, chunk: Buffer): Promise<boolean> {
  return new Promise((resolve) => sink.write(chunk, (error) => resolve(!error)));
}

/**
 * Streams the segments into `sink` in order and ends it; answers how many bytes were hashed. Every
 * byte of every segment is hashed even after ffmpeg has stopped reading, because the capture hash
 * covers the whole file. The next chunk is asked for only once the pipe has taken the last one.
 */
export async function feedProvenSources(sources: readonly ProvenSource[], sink: Writable, signal: AbortSignal): Promise<number> {
  let open = true;
  let bytes = 0;
  try {
    for (const source of sources) {
      if (signal.aborted) throw new ExportCancelled();
      const hash = createHash('sha256');
      for await (const chunk of await source.open()) {
        if (signal.aborted) throw new ExportCancelled();
        hash.update(chunk);
        bytes += chunk.length;
        if (open) open = await write(sink, chunk);
      }
      checkHash(source, hash.digest('hex'));
    }
  } finally {
    sink.end();
  }
  return bytes;
}

/**
 * A source read whole into memory and proven, for a reader that needs the bytes before ffmpeg does
 * (the keyframes of a clip's first segment). Refused beyond `maxBytes`, which no segment reaches.
 */
export async function readProven(source: ProvenSource, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  const hash = createHash('sha256');
  if (signal.aborted) throw new ExportCancelled();
  for await (const chunk of await source.open()) {
    if (signal.aborted) throw new ExportCancelled();
    bytes += chunk.length;
    if (bytes > maxBytes) throw new Error(`${source.label} is larger than any recorded segment.`);
    hash.update(chunk);
    chunks.push(chunk);
  }
  checkHash(source, hash.digest('hex'));
  return Buffer.concat(chunks, bytes);
}

/** Proven bytes already in memory, as a source to feed again (hashed again on the way: it costs little). */
export function provenBytes(source: ProvenSource, bytes: Buffer): ProvenSource {
  return { ...source, open: async () => once(bytes) };
}

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

function checkHash(source: ProvenSource, actual: string): void {
  if (actual !== source.captureSha256) throw new FootageChangedError(source.label, source.captureSha256, actual);
}
