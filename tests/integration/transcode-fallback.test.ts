/** Cameras whose codec Chromium cannot decode (H.265, MJPEG) take the H.264 transcode path. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { LiveClient } from '../fixtures/live-client.js';
import { waitFor } from '../fixtures/wait-for.js';

let h: TestHost;
const clients: LiveClient[] = [];

beforeAll(async () => {
  h = await startTestHost();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await h?.close();
  await stopAllTestCameras();
});

describe.each([
  ['h265', 'hevc'],
  ['mjpeg', 'mjpeg'],
] as const)('a %s camera', (codec, ffmpegName) => {
  let cam: TestCamera;
  beforeAll(async () => {
    cam = await startTestCamera({ codec, width: 640, height: 360, fps: 15 });
  });
  afterAll(async () => cam?.stop());

  it('is re-encoded to H.264 and its frames reach the player, marked as transcoded', async () => {
    const camera = await h.api.addCamera({ name: `Fallback ${codec}`, url: cam.url });
    const viewer = new LiveClient(h.baseUrl, camera.id, h.token);
    clients.push(viewer);
    await waitFor('transcoded fragments', () => viewer.fragments.length >= 15, 30_000);
    expect(viewer.inits.map((i) => i.path)).toEqual(['transcode']);
    expect(viewer.inits[0]!.codec).toMatch(/^avc1\./);
    expect(viewer.fragments[0]!.keyframe).toBe(true);
    const status = (await h.api.listStreams()).find((s) => s.cameraId === camera.id)!;
    expect(status).toMatchObject({ state: 'live', path: 'transcode', sourceCodec: ffmpegName });
    await viewer.close();
  });
});
