/** Timeline thumbnails from real recordings: ffmpeg grabs a frame once per camera and 10 s bucket, served over signed links. */
import { localMomentFootage } from '../../electron/core/recording/moment-footage.js';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneTimelineThumbnails, THUMBNAIL_BUCKET_MS } from '../../electron/core/recording/timeline-thumbnails.js';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';

let h: TestHost;
let cameraId: string;

beforeAll(async () => {
  h = await startTestHost({ segmentSeconds: 2 });
  await h.core.ready;
  const cam = await startTestCamera({ codec: 'h264', label: 'Thumbs' });
  cameraId = (await h.api.addCamera({ name: 'Loading bay', url: cam.url })).id;
  // Two whole 10 s buckets of footage.
  // Pictures alone here: the reason asked before looking back is looking-back.test.ts's.
  await h.api.setViewingPolicy({ reasonRequired: false });
  await waitFor('25 s of recording', () => {
    const s = h.core.recordings.index.segments(cameraId, 0, Date.now() + 60_000);
    return s.length > 0 && s.at(-1)!.endMs - s[0]!.startMs >= 25_000;
  }, 60_000);
}, 90_000);

afterAll(async () => {
  await h?.close();
  await stopAllTestCameras();
});

const thumb = async (camera: string, atMs: number | string) => fetch(`${h.baseUrl}${await h.api.mediaLink({ path: `/media/${camera}/thumb.jpg?atMs=${atMs}` })}`);
const cached = () => {
  const folder = join(h.dataDir, 'thumbnails', 'timeline', cameraId);
  return existsSync(folder) ? readdirSync(folder).sort() : [];
};
const width = (jpeg: Buffer) => {
  const file = join(h.dataDir, 'probe.jpg');
  writeFileSync(file, jpeg);
  return execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim();
};

describe('timeline thumbnails', () => {
  const segments = () => h.core.recordings.index.segments(cameraId, 0, Date.now() + 60_000);
  /** A bucket wholly inside the recording. */
  const recordedBucket = () => Math.ceil(segments()[0]!.startMs / THUMBNAIL_BUCKET_MS) * THUMBNAIL_BUCKET_MS;

  it('serves a JPEG of the camera at a recorded moment, made once per 10 s bucket and cached on disk', async () => {
    const bucket = recordedBucket();
    const first = await thumb(cameraId, bucket + 1_200);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/jpeg');
    const a = Buffer.from(await first.arrayBuffer());
    expect(width(a)).toBe('320');
    expect(cached()).toEqual([`${bucket}.jpg`]);

    // Same bucket: the same picture, no second file; the next bucket: a picture of its own.
    const b = Buffer.from(await (await thumb(cameraId, bucket + 8_700)).arrayBuffer());
    expect(b.equals(a)).toBe(true);
    expect(cached()).toEqual([`${bucket}.jpg`]);
    expect((await thumb(cameraId, bucket + THUMBNAIL_BUCKET_MS + 500)).status).toBe(200);
    expect(cached()).toEqual([`${bucket}.jpg`, `${bucket + THUMBNAIL_BUCKET_MS}.jpg`]);
  });

  it('says so when nothing was recorded then, and drops the picture of footage no longer indexed', async () => {
    const before = await thumb(cameraId, segments()[0]!.startMs - 5 * 60_000);
    expect(before.status).toBe(404);
    expect(await before.text()).toBe('Nothing was recorded on this camera at that moment.');

    const bucket = recordedBucket();
    const covering = h.core.recordings.index.segments(cameraId, bucket, bucket + THUMBNAIL_BUCKET_MS);
    for (const s of covering) h.core.recordings.index.setMissing(s.id, true);
    try {
      expect((await thumb(cameraId, bucket + 1_000)).status).toBe(404);
      expect(cached()).not.toContain(`${bucket}.jpg`);
    } finally {
      for (const s of covering) h.core.recordings.index.setMissing(s.id, false);
    }
  });

  it('refuses a bad moment or an unknown camera in a sentence, and anyone without a signed link', async () => {
    const bad = await thumb(cameraId, 'yesterday');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('The moment is a whole number of milliseconds since 1970.');
    expect((await thumb(cameraId, -5)).status).toBe(400);
    const unknown = await thumb('no-such-camera', recordedBucket());
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe('There is no camera with id no-such-camera.');
    expect((await fetch(`${h.baseUrl}/media/${cameraId}/thumb.jpg?atMs=${recordedBucket()}`)).status).toBe(401);
  });

  it('a sweep after retention removes the pictures of deleted footage and keeps the rest', async () => {
    const bucket = recordedBucket();
    const later = Math.floor(segments().at(-1)!.startMs / THUMBNAIL_BUCKET_MS) * THUMBNAIL_BUCKET_MS;
    for (const at of [bucket, later]) expect((await thumb(cameraId, at)).status).toBe(200);
    // As retention does: the oldest footage leaves the index.
    for (const s of h.core.recordings.index.segments(cameraId, 0, bucket + THUMBNAIL_BUCKET_MS)) h.core.recordings.index.delete(s.id);
    expect(await pruneTimelineThumbnails(join(h.dataDir, 'thumbnails', 'timeline'), localMomentFootage(h.core.recordings.index, h.core.recordings.root))).toBeGreaterThanOrEqual(1);
    expect(cached()).not.toContain(`${bucket}.jpg`);
    expect(cached()).toContain(`${later}.jpg`);
  });
});
