/** An H.265 camera's recording plays in Chromium through video.js (the host re-encodes it as served). */
import { expect, test } from '../fixtures/e2e-test.js';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { signIn } from '../fixtures/sign-in-page.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { waitForFootage } from '../fixtures/recording-checks.js';
import { giveLookBackReason } from '../fixtures/look-back.js';

let host: HostProcess;

test.beforeAll(async () => {
  const cam = await startTestCamera({ codec: 'h265', width: 640, height: 360, fps: 15, label: 'HEVC' });
  const dataDir = tempDataDir();
  host = await startHostProcess(['--data', dataDir, '--cameras', writeCameraFile([{ name: 'HEVC camera', url: cam.url }])]);
  await waitForFootage(join(dataDir, 'recordings'), 10); // some closed segments to play
});

test.afterAll(async () => {
  await host?.stop();
  await stopAllTestCameras();
});

/**
 * Every H.265 segment is re-encoded by ffmpeg on the host as it is served, one after the other as the
 * player asks: a fraction of a second per segment on an idle machine, but 13 s from request to last
 * byte for a first segment of 0.7 s with both cores busy (load 20). The waits below are for those
 * states, sized for a busy machine: this test checks that pictures come, not how fast.
 */
const TRANSCODED_SEGMENT_MS = 45_000;
test.describe.configure({ timeout: 3 * TRANSCODED_SEGMENT_MS });

test('an H.265 recording plays back: pictures decode and the recorded clock advances', async ({ page }) => {
  await signIn(page, host);
  await page.getByTestId('open-playback').click();
  await giveLookBackReason(page);
  const cell = page.getByTestId('playback-cell').first();
  const video = cell.locator('video');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: TRANSCODED_SEGMENT_MS }).toBe(640);
  const holder = cell.getByTestId('recorded-holder');
  await expect.poll(async () => Number(await holder.getAttribute('data-wall-ms')), { timeout: 20_000 }).toBeGreaterThan(0);
  const first = Number(await holder.getAttribute('data-wall-ms'));
  // 1.5 s on is in the next segment (the first one of a recording can be shorter): another transcode.
  await expect.poll(async () => Number(await holder.getAttribute('data-wall-ms')), { timeout: TRANSCODED_SEGMENT_MS }).toBeGreaterThan(first + 1_500);
  expect(await video.evaluate((v: HTMLVideoElement) => v.error)).toBeNull();
  await page.screenshot({ path: join(import.meta.dirname, '..', 'artifacts', 'playback-h265.png') });
});
