/**
 * Recorded H.265 plays in Chromium only as H.264: the host re-encodes such segments as it serves them,
 * keeping their timestamps. H.264 segments go out as the very bytes recorded.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';
import { sha256 } from '../fixtures/recording-checks.js';
import { segmentLink } from '../fixtures/segment-link.js';
import type { SegmentRow } from '../../electron/core/recording/segment-index.js';
import { TS_STREAM_TYPES, videoStreamTypeOfFile } from '../../electron/core/recording/ts-stream-type.js';
import { liveChildCount } from '../../electron/core/streams/child-processes.js';
import { createHash } from 'node:crypto';

let h: TestHost;
const cameraIds: Record<'h264' | 'h265', string> = { h264: '', h265: '' };

beforeAll(async () => {
  h = await startTestHost();
  await h.core.ready;
  for (const codec of ['h264', 'h265'] as const) {
    const cam = await startTestCamera({ codec, width: 640, height: 360, fps: 15, label: codec });
    cameraIds[codec] = (await h.api.addCamera({ name: `Recorded ${codec}`, url: cam.url })).id;
  }
});
afterAll(async () => {
  await h?.close();
  await stopAllTestCameras();
});

const closedSegment = (codec: 'h264' | 'h265') =>
  waitFor(`a closed ${codec} segment`, () => h.core.recordings.index.segments(cameraIds[codec], 0, Date.now() + 60_000)[0], 30_000);
const fetchSegment = async (segment: SegmentRow) => fetch(await segmentLink(h.api, h.baseUrl, segment));

function probe(file: string): { codec: string; start: number; duration: number } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name:format=start_time,duration', '-of', 'json', file], { encoding: 'utf8' });
  const json = JSON.parse(out) as { streams: Array<{ codec_name: string }>; format: { start_time: string; duration: string } };
  return { codec: json.streams[0]!.codec_name, start: Number(json.format.start_time), duration: Number(json.format.duration) };
}

describe('recorded playback of codecs the browser cannot decode', () => {
  it('reads the video codec from the segment’s own MPEG-TS tables', async () => {
    for (const codec of ['h264', 'h265'] as const) {
      const seg = await closedSegment(codec);
      expect(videoStreamTypeOfFile(join(h.core.recordings.root, seg.path))).toBe(TS_STREAM_TYPES[codec]);
    }
    const junk = join(h.dataDir, 'junk.ts');
    writeFileSync(junk, Buffer.alloc(188 * 10, 0x47));
    expect(videoStreamTypeOfFile(junk)).toBeNull();
  });

  it('serves an H.264 segment as recorded, byte for byte', async () => {
    const seg = await closedSegment('h264');
    const res = await fetchSegment(seg);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-watchroom-transcoded')).toBeNull();
    expect(createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex')).toBe(seg.sha256);
  });

  it('serves an H.265 segment as H.264 with the same timestamps and duration, and leaves the recording untouched', async () => {
    const seg = await closedSegment('h265');
    const file = join(h.core.recordings.root, seg.path);
    const childrenBefore = liveChildCount();
    const res = await fetchSegment(seg);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-watchroom-transcoded')).toBe('h264');
    const served = join(h.dataDir, 'served.ts');
    writeFileSync(served, Buffer.from(await res.arrayBuffer()));
    const original = probe(file);
    const converted = probe(served);
    expect(original.codec).toBe('hevc');
    expect(converted.codec).toBe('h264');
    expect(Math.abs(converted.start - original.start)).toBeLessThan(0.1);
    expect(Math.abs(converted.duration - original.duration)).toBeLessThan(0.2);
    expect(sha256(file)).toBe(seg.sha256);
    await waitFor('the transcoding ffmpeg to have exited', () => liveChildCount() === childrenBefore, 5_000);
  });

  it('answers a segment that cannot be converted with a clear error', async () => {
    const seg = await closedSegment('h265');
    const file = join(h.core.recordings.root, seg.path);
    const keep = join(h.dataDir, 'keep.ts');
    copyFileSync(file, keep);
    writeFileSync(file, Buffer.from('this is not a video'));
    try {
      const res = await fetchSegment(seg);
      expect(res.status).toBe(422);
      expect(await res.text()).toBe('This recorded segment could not be converted for playback.');
    } finally {
      copyFileSync(keep, file);
    }
  });
});
