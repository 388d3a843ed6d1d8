/**
 * A viewer flooding the timeline's pictures (/media/<camera>/thumb.jpg?atMs=) with distinct moments:
 * ffmpeg grabs one picture at a time whatever the number asked for (the recorder keeps its cores),
 * and the cache on disk stays within its bound.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THUMBNAIL_BUCKET_MS } from '../../electron/core/recording/timeline-thumbnails.js';
import { frameGrabsWaiting } from '../../electron/core/recording/frame-grab.js';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { ffmpegProcesses } from '../fixtures/process-table.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';

let h: TestHost;
let cameraId: string;
/** Three whole 10 s buckets of footage. */
let buckets: number[];
const KEPT = 2;

beforeAll(async () => {
  h = await startTestHost({ segmentSeconds: 2, timelineThumbnailsKept: KEPT });
  await h.core.ready;
  const cam = await startTestCamera({ codec: 'h264', label: 'Flood' });
  cameraId = (await h.api.addCamera({ name: 'Yard', url: cam.url })).id;
  const first = await waitFor('a first segment', () => h.core.recordings.index.segments(cameraId, 0, Date.now() + 60_000)[0]?.startMs, 30_000);
  const b0 = Math.ceil(first / THUMBNAIL_BUCKET_MS) * THUMBNAIL_BUCKET_MS;
  buckets = [b0, b0 + THUMBNAIL_BUCKET_MS, b0 + 2 * THUMBNAIL_BUCKET_MS];
  await waitFor('footage past three buckets', () => h.core.recordings.index.segments(cameraId, 0, Date.now() + 60_000).some((s) => s.startMs >= buckets[2]! + THUMBNAIL_BUCKET_MS), 90_000);
}, 120_000);

afterAll(async () => {
  await h?.close();
  await stopAllTestCameras();
});

const thumb = async (atMs: number) => fetch(`${h.baseUrl}${await h.api.mediaLink({ path: `/media/${cameraId}/thumb.jpg?atMs=${atMs}` })}`);
const cached = () => {
  const folder = join(h.dataDir, 'thumbnails', 'timeline', cameraId);
  return existsSync(folder) ? readdirSync(folder).filter((n) => n.endsWith('.jpg') && !n.includes('.part')).sort() : [];
};
/** The recorded segment each bucket's picture is taken from (the one holding its middle). */
const segmentOf = (bucket: number) => {
  const middle = bucket + THUMBNAIL_BUCKET_MS / 2;
  const s = h.core.recordings.index.segments(cameraId, bucket, bucket + THUMBNAIL_BUCKET_MS).find((x) => x.startMs <= middle && middle < x.endMs)!;
  return join(h.core.recordings.root, s.path);
};

describe('timeline thumbnail flood', () => {
  it('runs one ffmpeg grab at a time however many distinct pictures are asked for at once', async () => {
    // Each segment read becomes a pipe that gives nothing until the test writes it: ffmpeg waits on it.
    const files = buckets.map(segmentOf);
    const bytes = files.map((f) => readFileSync(f));
    for (const f of files) {
      renameSync(f, `${f}.kept`);
      execFileSync('mkfifo', [f]);
    }
    const grabbing = () => ffmpegProcesses((args) => files.some((f) => args.includes(f)));
    try {
      const asked = buckets.map((b) => thumb(b + 1_000));
      // All three reached the host: one grabs, the others wait their turn.
      await waitFor('one grab running and two waiting', () => grabbing().length === 1 && frameGrabsWaiting() === 2, 30_000);
      expect(grabbing()).toHaveLength(1);
      // Feed each grab's pipe in turn; every picture comes, never more than one ffmpeg at a time.
      const fed = new Set<number>();
      while (fed.size < files.length) {
        const i = await waitFor('the next grab', () => {
          const j = files.findIndex((f, k) => !fed.has(k) && grabbing().some((p) => p.args.includes(f)));
          return j >= 0 ? j : undefined;
        }, 30_000);
        expect(grabbing()).toHaveLength(1);
        fed.add(i);
        // ffmpeg stops reading after its frame: the rest of the write is refused, and that is fine.
        void writeFile(files[i]!, bytes[i]!).catch(() => undefined);
        await waitFor('the grab to end', () => !grabbing().some((p) => p.args.includes(files[i]!)), 30_000);
      }
      for (const res of await Promise.all(asked)) expect(res.status).toBe(200);
    } finally {
      for (const f of files) renameSync(`${f}.kept`, f);
    }
  });

  it('keeps no more pictures on disk than its bound, the newest made', async () => {
    // The first test left pictures for all three buckets asked; the bound holds the newest.
    for (const b of buckets) expect((await thumb(b)).status).toBe(200);
    expect(cached().length).toBeLessThanOrEqual(KEPT);
    expect(cached()).toContain(`${buckets[2]}.jpg`);
  });

  it('refuses odd moments and camera ids that leave the cache folder, in sentences, making nothing', async () => {
    const ask = async (path: string) => fetch(`${h.baseUrl}${await h.api.mediaLink({ path })}`);
    for (const atMs of ['-1', '1.5', '1e20', 'NaN', 'Infinity', 'abc', `${buckets[0]}&atMs=x`]) {
      const res = await ask(`/media/${cameraId}/thumb.jpg?atMs=${atMs}`);
      expect(res.status, atMs).toBe(atMs.includes('&') ? 200 : 400); // a repeated parameter: the first counts, and the link signs both
      if (res.status === 400) expect(await res.text(), atMs).toBe('The moment is a whole number of milliseconds since 1970.');
    }
    for (const id of ['..', '%2E%2E', '..%2F..%2Fetc', 'CAM', '%00']) {
      const res = await ask(`/media/${id}/thumb.jpg?atMs=${buckets[0]}`);
      // A bare .. (or %2E%2E) is resolved away in the URL itself (no such route); anything else is no camera id.
      expect(res.status, id).toBe(['..', '%2E%2E'].includes(id) ? 404 : 400);
      if (res.status === 400) expect(await res.text(), id).toBe('A camera id is 1–64 lowercase letters, digits or dashes.');
    }
    expect(readdirSync(join(h.dataDir, 'thumbnails', 'timeline'))).toEqual([cameraId]);
  });
});
