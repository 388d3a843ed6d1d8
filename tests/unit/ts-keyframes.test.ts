/** Keyframes of recorded MPEG-TS read from its own packets agree with ffprobe's, on real ffmpeg output. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyframeOffsetsInTs } from '../../electron/core/recording/ts-keyframes.js';

/** ffprobe's keyframe times, from the earliest packet time, as the exporter used to read them. */
function ffprobeKeyframes(file: string): number[] {
  const rows = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file], { encoding: 'utf8' })
    .trim().split('\n').map((l) => l.split(',')).filter(([pts]) => pts && pts !== 'N/A').map(([pts, flags]) => ({ pts: Number(pts), key: (flags ?? '').includes('K') }));
  const base = Math.min(...rows.map((r) => r.pts));
  return rows.filter((r) => r.key).map((r) => r.pts - base);
}

function encode(name: string, codecArgs: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'watchroom-kf-')), name);
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '6', ...codecArgs, '-f', 'mpegts', file]);
  return file;
}

describe('keyframeOffsetsInTs', () => {
  it.each([
    ['H.264 with B-frames, GOP 1 s', 'h264.ts', ['-c:v', 'libx264', '-preset', 'veryfast', '-g', '25', '-bf', '2']],
    ['H.264 without B-frames, irregular GOP', 'h264-irregular.ts', ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '40', '-keyint_min', '10', '-sc_threshold', '40']],
    ['H.265', 'h265.ts', ['-c:v', 'libx265', '-preset', 'ultrafast', '-g', '25', '-x265-params', 'log-level=error']],
  ])('%s: the same keyframes as ffprobe', (_label, name, args) => {
    const file = encode(name, args);
    const ours = keyframeOffsetsInTs(readFileSync(file));
    const theirs = ffprobeKeyframes(file);
    expect(ours.length).toBeGreaterThan(2);
    expect(ours.length).toBe(theirs.length);
    ours.forEach((t, i) => expect(t).toBeCloseTo(theirs[i]!, 4));
  }, 120_000); // encoding (H.265 most of all) is slow on a busy machine

  it('finds nothing in bytes that are not MPEG-TS', () => {
    expect(keyframeOffsetsInTs(Buffer.alloc(188 * 10, 0x47))).toEqual([]);
    expect(keyframeOffsetsInTs(Buffer.from('not a transport stream'))).toEqual([]);
  });
});
