/**
 * When a camera's stream runs: from its first viewer until a grace period after its last, and on
 * without viewers while the camera records. Real RTSP camera, real ffmpeg, real WebSockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { LiveClient } from '../fixtures/live-client.js';
import { ffmpegFor } from '../fixtures/process-table.js';
import { waitFor } from '../fixtures/wait-for.js';

const GRACE_MS = 3_000;
let h: TestHost;
let cam: TestCamera;

beforeAll(async () => {
  cam = await startTestCamera({ codec: 'h264', label: 'Lifetime' });
  h = await startTestHost({ graceMs: GRACE_MS });
});

afterAll(async () => {
  await h?.close();
  await stopAllTestCameras();
});

async function watchUntilLive(cameraId: string): Promise<void> {
  const viewer = new LiveClient(h.baseUrl, cameraId, h.token);
  await waitFor('fragments', () => viewer.fragments.length >= 5);
  await viewer.close();
}

describe('stream lifetime', () => {
  it('stops the camera’s ffmpeg a grace period after its last viewer left', async () => {
    const { id } = await h.api.addCamera({ name: 'Watched', url: cam.url, recording: false });
    await watchUntilLive(id);
    const mark = h.statuses.length;
    await h.waitForState(id, 'stopped', mark);
    expect(ffmpegFor(cam.port)).toHaveLength(0);
    await h.api.removeCamera({ id });
  });

  it('keeps running past the grace period when recording is turned on after the last viewer left', async () => {
    const { id } = await h.api.addCamera({ name: 'Recorded later', url: cam.url, recording: false });
    await watchUntilLive(id);
    const leftAt = Date.now();
    await h.api.updateCamera({ id, changes: { recording: true } });
    // Frames well after the grace period ran out show the stream was not stopped by it.
    await waitFor('frames after the grace period', () => h.statuses.find((s) => s.cameraId === id && s.state === 'live' && s.health.lastFrameAt! > leftAt + GRACE_MS + 1_000), 20_000);
    expect(h.statuses.filter((s) => s.cameraId === id && s.health.lastFrameAt! > leftAt).every((s) => s.state !== 'stopped')).toBe(true);
    expect(ffmpegFor(cam.port)).toHaveLength(1);
    await h.api.removeCamera({ id });
  });
});
