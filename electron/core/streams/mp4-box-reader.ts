/**
 * Reading ISO-BMFF (MP4) boxes: the size in a box header, and a box's children. A box is a 32-bit
 * size, a four-character type, then its payload; size 1 means a 64-bit size follows the type.
 */

/** A box larger than this is not something a live camera sends; treat it as a corrupt stream. */
const MAX_BOX_BYTES = 64 * 1024 * 1024;

/** A box type as the 32-bit number its four characters spell, to compare without making a string. */
export function fourCC(type: string): number {
  return Buffer.from(type, 'latin1').readUInt32BE(0);
}

/**
 * The size of the top-level box starting at `pos` (header included), or null while `buf` does not yet
 * hold its whole header. Throws on a header no live stream can carry.
 */
export function boxSize(buf: Buffer, pos: number): number | null {
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
