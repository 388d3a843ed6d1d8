/**
 * A picture of a recorded moment (bookmark and timeline thumbnails), made by real ffmpeg from a real
 * MPEG-TS segment: a moment after the segment's last frame still gets a picture, and a file that is
 * not footage gets none, said as such rather than passed on as a missing file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grabFrame } from '../../electron/core/recording/frame-grab.js';

const dir = mkdtempSync(join(tmpdir(), 'watchroom-grab-'));
const segment = join(dir, 'segment.ts');
const isJpeg = (file: string) => existsSync(file) && readFileSync(file).subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]));

beforeAll(() => {
  // 4 s at 25 fps, as the recorder writes them: its last frame starts at 3.96 s.
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', '4', '-c:v', 'libx264', '-g', '50', '-f', 'mpegts', segment]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('frame grab', () => {
  it('pictures a moment inside the segment, and one after its last frame (an indexed end lies a frame beyond it) as that last frame', async () => {
    for (const [name, at] of [['inside', 1.5], ['last-frame', 3.99], ['beyond', 4.2]] as const) {
      const out = join(dir, `${name}.jpg`);
      expect(await grabFrame(segment, at, out), name).toBe(true);
      expect(isJpeg(out), name).toBe(true);
    }
  });

  it('says it could not when the file is not footage, and writes nothing', async () => {
    const junk = join(dir, 'junk.ts');
    writeFileSync(junk, Buffer.alloc(188 * 20, 0x47));
    const out = join(dir, 'junk.jpg');
    expect(await grabFrame(junk, 0, out)).toBe(false);
    expect(existsSync(out)).toBe(false);
  });
});
