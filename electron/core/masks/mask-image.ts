/**
 * Masks as a picture ffmpeg can lay over video: an RGBA PNG at a given size, the fill colour where a
 * polygon covers a pixel's centre (even-odd rule), transparent elsewhere. Written here with zlib, so
 * burning masks in needs no native image library.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { MASK_FILL_RGB, type MaskPolygon } from '../../../shared/masks.js';

/** Whether each pixel is covered, row by row (scanline fill at pixel centres). */
export function rasterise(polygons: readonly MaskPolygon[], width: number, height: number): Uint8Array {
  const covered = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const cy = (y + 0.5) / height;
    for (const polygon of polygons) {
      const xs: number[] = [];
      for (let i = 0; i < polygon.length; i++) {
        const [x1, y1] = polygon[i]!;
        const [x2, y2] = polygon[(i + 1) % polygon.length]!;
        // Half-open in y, so a vertex on the scanline counts once.
        if ((y1 <= cy && cy < y2) || (y2 <= cy && cy < y1)) xs.push((x1 + ((cy - y1) / (y2 - y1)) * (x2 - x1)) * width);
      }
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const from = Math.max(0, Math.ceil(xs[k]! - 0.5));
        const to = Math.min(width - 1, Math.floor(xs[k + 1]! - 0.5));
        for (let x = from; x <= to; x++) covered[y * width + x]! ^= 1;
      }
    }
  }
  return covered;
}

/** The masks as an RGBA PNG of `width` × `height`. */
export function maskPng(polygons: readonly MaskPolygon[], width: number, height: number): Buffer {
  const covered = rasterise(polygons, width, height);
  const rows = Buffer.alloc(height * (1 + width * 4)); // filter byte 0 (none) before each row
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!covered[y * width + x]) continue;
      const at = y * (1 + width * 4) + 1 + x * 4;
      rows[at] = MASK_FILL_RGB[0];
      rows[at + 1] = MASK_FILL_RGB[1];
      rows[at + 2] = MASK_FILL_RGB[2];
      rows[at + 3] = 255;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

export function writeMaskPng(file: string, polygons: readonly MaskPolygon[], width: number, height: number): string {
  writeFileSync(file, maskPng(polygons, width, height));
  return file;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
