/** Privacy masks as geometry: which pixels a mask image covers. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rasterise, writeMaskPng } from '../../electron/core/masks/mask-image.js';

describe('mask image', () => {
  it('covers exactly the pixels whose centres lie inside a polygon', () => {
    // A square from 0.25 to 0.75 of an 8 × 4 picture: columns 2..5, rows 1..2.
    const covered = rasterise([[[0.25, 0.25], [0.75, 0.25], [0.75, 0.75], [0.25, 0.75]]], 8, 4);
    const rows = Array.from({ length: 4 }, (_, y) => Array.from(covered.subarray(y * 8, y * 8 + 8)).join(''));
    expect(rows).toEqual(['00000000', '00111100', '00111100', '00000000']);
  });

  it('writes a PNG that ffmpeg reads back as the fill, opaque, inside and transparent outside', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mask-png-'));
    try {
      const file = writeMaskPng(join(dir, 'm.png'), [[[0, 0], [0.5, 0], [0.5, 1], [0, 1]]], 4, 2);
      const rgba = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1']);
      const pixel = (x: number, y: number) => Array.from(rgba.subarray((y * 4 + x) * 4, (y * 4 + x) * 4 + 4));
      expect(pixel(0, 0)).toEqual([0x40, 0x40, 0x40, 255]);
      expect(pixel(1, 1)).toEqual([0x40, 0x40, 0x40, 255]);
      expect(pixel(2, 0)[3]).toBe(0);
      expect(pixel(3, 1)[3]).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
