/**
 * Splits a byte stream (ffmpeg's fragmented MP4 on stdout) into top-level ISO-BMFF boxes. Chunks from
 * a pipe cut boxes anywhere, so bytes are held until a whole box is present.
 */
export interface Mp4Box {
  type: string;
  /** The whole box, header included. */
  bytes: Buffer;
}

/** A box larger than this is not something a live camera sends; treat it as a corrupt stream. */
const MAX_BOX_BYTES = 64 * 1024 * 1024;

export class Mp4BoxReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Adds bytes and returns every box they complete, in order. Throws on a corrupt box header. */
  push(chunk: Buffer): Mp4Box[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const boxes: Mp4Box[] = [];
    for (;;) {
      const size = this.nextBoxSize();
      if (size === null || this.pendingBytes < size) break;
      const bytes = this.take(size);
      boxes.push({ type: bytes.toString('latin1', 4, 8), bytes });
    }
    return boxes;
  }

  private nextBoxSize(): number | null {
    if (this.pendingBytes < 8) return null;
    const head = this.peek(16);
    const size32 = head.readUInt32BE(0);
    let size: number;
    if (size32 === 1) {
      if (head.length < 16) return null;
      size = Number(head.readBigUInt64BE(8));
    } else if (size32 === 0) {
      throw new Error('MP4 box without a size (runs to end of file) cannot appear in a live stream.');
    } else {
      size = size32;
    }
    if (size < 8 || size > MAX_BOX_BYTES) throw new Error(`Corrupt MP4 box header: size ${size}.`);
    return size;
  }

  private peek(n: number): Buffer {
    if (this.pending[0]!.length >= n || this.pending.length === 1) return this.pending[0]!.subarray(0, n);
    return Buffer.concat(this.pending).subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.pending = rest.length ? [rest] : [];
    this.pendingBytes = rest.length;
    // Copy so a retained fragment does not pin the whole concatenated chunk in memory.
    return Buffer.from(out);
  }
}

/** Children of a container box's payload (from `offset` to the end of `bytes`). */
export function childBoxes(bytes: Buffer, offset: number): Array<{ type: string; start: number; end: number }> {
  const out: Array<{ type: string; start: number; end: number }> = [];
  let pos = offset;
  while (pos + 8 <= bytes.length) {
    let size = bytes.readUInt32BE(pos);
    let header = 8;
    if (size === 1) {
      if (pos + 16 > bytes.length) break;
      size = Number(bytes.readBigUInt64BE(pos + 8));
      header = 16;
    } else if (size === 0) {
      size = bytes.length - pos;
    }
    if (size < header || pos + size > bytes.length) break;
    out.push({ type: bytes.toString('latin1', pos + 4, pos + 8), start: pos + header, end: pos + size });
    pos += size;
  }
  return out;
}

/** Finds a nested box by path (e.g. ['moov','trak','mdia']) and returns its payload bounds. */
export function findBox(bytes: Buffer, path: string[], offset = 8): { start: number; end: number } | null {
  let range = { start: offset, end: bytes.length };
  for (const type of path) {
    const child = childBoxes(bytes.subarray(0, range.end), range.start).find((b) => b.type === type);
    if (!child) return null;
    range = { start: child.start, end: child.end };
  }
  return range;
}
