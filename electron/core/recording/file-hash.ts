import { createHash } from 'node:crypto';
import { openRegular } from '../regular-file.js';

const CHUNK_BYTES = 1 << 20;

/**
 * Read buffers kept between hashes. A recorder hashes a segment per camera every few seconds, and a
 * fresh megabyte each time is memory outside V8's heap that V8 counts towards collecting: garbage
 * collection was the largest part of what a hundred recorded cameras cost Node
 * (bench:hundred-cameras). A buffer is lent to one hash at a time.
 */
const spare: Buffer[] = [];
const SPARE_MAX = 4;

/**
 * SHA-256 of a file, hex, and how many bytes were hashed. Read in 1 MB chunks into a reused buffer:
 * a read stream allocates a fresh buffer per chunk, and touching new memory made hashing 3× slower
 * than the hash itself (measured by bench:evidence). Only a regular file is read (regular-file.ts
 * says why).
 */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const handle = await openRegular(file);
  const buffer = spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
  let bytes = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
    }
  } finally {
    if (spare.length < SPARE_MAX) spare.push(buffer);
    await handle.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}

export async function sha256File(file: string): Promise<string> {
  return (await hashFile(file)).sha256;
}
