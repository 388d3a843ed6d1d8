import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GopCache } from '../../electron/core/streams/gop-cache.js';

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);
const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('GopCache', () => {
  it('holds the fragments since the last keyframe, each as it came, through GOPs of growing size', () => {
    const gop = new GopCache(16 * 1024 * 1024);
    for (let g = 1; g <= 6; g++) {
      // Each GOP larger than the last: the arena grows past its first half megabyte and keeps order.
      const frames = Array.from({ length: 10 }, (_, i) => bytes(g * 40_000 + i, (g * 10 + i) % 256));
      frames.forEach((f, i) => gop.add(f, i === 0));
      const held = gop.fragments();
      // Compared as hex digests: a deep comparison of megabytes of bytes is slow.
      expect(held.map(digest)).toEqual(frames.map(digest));
    }
  });

  it('keeps copies: the chunks it was given may be reused, and what it handed out survives the next GOP', () => {
    const gop = new GopCache(1024);
    const key = bytes(10, 1);
    gop.add(key, true);
    gop.add(bytes(5, 2), false);
    key.fill(9); // the pipe's buffer, written over
    const handed = gop.fragments();
    gop.add(bytes(10, 3), true);
    expect(handed).toEqual([bytes(10, 1), bytes(5, 2)]);
    expect(gop.fragments()).toEqual([bytes(10, 3)]);
  });

  it('keeps nothing before the first keyframe, and no frame after one it had to leave out', () => {
    const gop = new GopCache(100);
    gop.add(bytes(10, 1), false);
    expect(gop.fragments()).toEqual([]);
    gop.add(bytes(40, 2), true);
    gop.add(bytes(40, 3), false);
    gop.add(bytes(30, 4), false); // past 100 bytes: left out
    gop.add(bytes(5, 5), false); // would fit, but cannot be decoded without the one before
    expect(gop.fragments()).toEqual([bytes(40, 2), bytes(40, 3)]);
    gop.add(bytes(200, 6), true); // a keyframe alone past the cap
    gop.add(bytes(5, 7), false);
    expect(gop.fragments()).toEqual([]);
    gop.add(bytes(5, 8), true);
    expect(gop.fragments()).toEqual([bytes(5, 8)]);
  });

  it('clear forgets the GOP', () => {
    const gop = new GopCache(100);
    gop.add(bytes(5, 1), true);
    gop.clear();
    gop.add(bytes(5, 2), false);
    expect(gop.fragments()).toEqual([]);
  });
});
