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
  /** Bytes not yet returned as boxes: the tail of the last chunk, or several chunks joined. */
  private pending: Buffer = Buffer.alloc(0);

  /** Adds bytes and returns every box they complete, in order. Throws on a corrupt box header. */
  push(chunk: Buffer): Mp4Box[] {
    // Pipe chunks mostly hold whole boxes: slice them out without copying, join only a split tail.
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const boxes: Mp4Box[] = [];
    let pos = 0;
    for (;;) {
      const size = boxSize(buf, pos);
      if (size === null || buf.length - pos < size) break;
      boxes.push({ type: buf.toString('latin1', pos + 4, pos + 8), bytes: buf.subarray(pos, pos + size) });
      pos += size;
    }
    // Copy the tail so it does not pin the whole chunk while waiting for the rest of its box.
    this.pending = pos === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(pos));
    return boxes;
  }
}

function boxSize(buf: Buffer, pos: number): number | null {
  if (buf.length - pos < 8) return null;
  const size32 = buf.readUInt32BE(pos);
  let size: number;
  if (size32 === 1) {
    if (buf.length - pos < 16) return null;
    size = Number(buf.readBigUInt64BE(pos + 8));
  } else if (size32 === 0) {
    throw new Error('MP4 box without a size (runs to end of file) cannot appear in a live stream.');
  } else {
    size = size32;
  }
  if (size < 8 || size > MAX_BOX_BYTES) throw new Error(`Corrupt MP4 box header: size ${size}.`);
  return size;
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
