/**
 * Hands an export's recorded segments to ffmpeg and proves them on the way. Each segment is hashed as
 * its bytes go to ffmpeg's stdin, and must match the hash its capture entry in the ledger recorded
 * when it closed. ffmpeg reads exactly the bytes that were hashed, so footage swapped on disk after a
 * check, or between two reads, cannot reach a master unnoticed.
 */
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { WatchroomError } from '../../../shared/errors.js';
import { openRegular } from '../regular-file.js';
import { ExportCancelled } from './ffmpeg-job.js';

export interface ProvenSource {
  /** Relative to the recordings root, as the index and ledger name it. */
  path: string;
  file: string;
  /** The SHA-256 the ledger's capture entry holds. */
  captureSha256: string;
}

/** The footage differs from what was recorded: refused, named, and entered in the ledger by the caller. */
export class FootageChangedError extends WatchroomError {
  constructor(readonly segment: string, readonly expected: string, readonly actual: string) {
    super('export.footage-changed', `Recorded segment ${segment} is not the footage that was recorded: its SHA-256 is ${actual}, but the ledger recorded ${expected} when it closed. Nothing was exported; report this to whoever looks after the recordings.`);
  }
}

const CHUNK_BYTES = 1 << 20;

/** Writes `chunk`; resolves false once the reader is gone (ffmpeg stops reading when it has the clip). */
function write(sink: Writable, chunk: Buffer): Promise<boolean> {
  return new Promise((resolve) => sink.write(chunk, (error) => resolve(!error)));
}

/**
 * Streams the segments into `sink` in order and ends it. Every byte of every segment is hashed even
 * after ffmpeg has stopped reading, because the capture hash covers the whole file.
 */
export async function feedProvenSources(sources: readonly ProvenSource[], sink: Writable, signal: AbortSignal): Promise<void> {
  let open = true;
  // One buffer, reused only once the pipe has taken its bytes (the write callback).
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    for (const source of sources) {
      const hash = createHash('sha256');
      const handle = await openRegular(source.file);
      try {
        for (;;) {
          if (signal.aborted) throw new ExportCancelled();
          const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
          if (bytesRead === 0) break;
          const chunk = buffer.subarray(0, bytesRead);
          hash.update(chunk);
          if (open) open = await write(sink, chunk);
        }
      } finally {
        await handle.close();
      }
      const actual = hash.digest('hex');
      if (actual !== source.captureSha256) throw new FootageChangedError(source.path, source.captureSha256, actual);
    }
  } finally {
    sink.end();
  }
}
