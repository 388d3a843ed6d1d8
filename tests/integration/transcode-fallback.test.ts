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

describe('a camera whose address changes from H.264 to H.265', () => {
  it('probes the new source’s codec and falls back to transcode for it', async () => {
    const [h264, h265] = await Promise.all([startTestCamera({ codec: 'h264' }), startTestCamera({ codec: 'h265', width: 640, height: 360, fps: 15 })]);
    const camera = await h.api.addCamera({ name: 'Replaced camera', url: h264.url });
    const viewer = new LiveClient(h.baseUrl, camera.id, h.token);
    clients.push(viewer);
    await waitFor('copied fragments', () => viewer.fragments.length >= 5);
    expect(viewer.inits.map((i) => i.path)).toEqual(['copy']);
    await h.api.updateCamera({ id: camera.id, changes: { url: h265.url } });
    await waitFor('a transcoded init after the change', () => viewer.inits.some((i) => i.path === 'transcode'), 30_000);
    await waitFor('transcoded fragments', () => viewer.fragmentsSinceInit().length >= 15, 30_000);
    const status = (await h.api.listStreams()).find((s) => s.cameraId === camera.id)!;
    expect(status).toMatchObject({ state: 'live', path: 'transcode', sourceCodec: 'hevc' });
    // Straight to transcode: not first a copy of H.265 nobody can play, failing, and retried.
    expect(status.health.restarts).toBe(0);
  });
});
