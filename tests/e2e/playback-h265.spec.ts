/** An H.265 camera's recording plays in Chromium through video.js (the host re-encodes it as served). */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { waitForFootage } from '../fixtures/recording-checks.js';

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

test('an H.265 recording plays back: pictures decode and the recorded clock advances', async ({ page }) => {
  await page.goto(host.url.href);
  await page.getByTestId('open-playback').click();
  const cell = page.getByTestId('playback-cell').first();
  const video = cell.locator('video');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 }).toBe(640);
  const holder = cell.getByTestId('recorded-holder');
  await expect.poll(async () => Number(await holder.getAttribute('data-wall-ms')), { timeout: 20_000 }).toBeGreaterThan(0);
  const first = Number(await holder.getAttribute('data-wall-ms'));
  await expect.poll(async () => Number(await holder.getAttribute('data-wall-ms')), { timeout: 10_000 }).toBeGreaterThan(first + 1_500);
  expect(await video.evaluate((v: HTMLVideoElement) => v.error)).toBeNull();
  await page.screenshot({ path: join(import.meta.dirname, '..', 'artifacts', 'playback-h265.png') });
});
