/**
 * Sub-stream and main stream: small tiles show a camera's low-resolution sub-stream, a maximised tile
 * its main stream, and the switch keeps a picture on screen all the way through.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/e2e-test.js';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { signIn } from '../fixtures/sign-in-page.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { ffmpegFor } from '../fixtures/process-table.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
let main: TestCamera;
let sub: TestCamera;
let host: HostProcess;

test.beforeAll(async () => {
  [main, sub] = await Promise.all([
    startTestCamera({ codec: 'h264', width: 1280, height: 720, label: 'Gate (main)' }),
    startTestCamera({ codec: 'h264', width: 320, height: 180, label: 'Gate (sub)' }),
  ]);
  host = await startHostProcess(['--data', tempDataDir(), '--cameras', writeCameraFile([{ name: 'Gate', url: main.url, subUrl: sub.url }])]);
});

test.afterAll(async () => {
  await host?.stop();
  await stopAllTestCameras();
});

/** The size of the picture a tile shows, from the video element on screen. */
const pictureWidth = (page: Page) => page.getByTestId('tile-0').getByTestId('tile-video').evaluate((v: HTMLVideoElement) => v.videoWidth);

/**
 * Samples the tile's visible video every 20 ms until the tile's stream is `until`, and counts the
 * samples with nothing to show: there must be none. A video that has had a frame keeps showing it
 * while it waits for the next (a live stream on a busy machine does), so only a video that never
 * had one, or none at all, is blank.
 */
function blankSamplesUntil(page: Page, until: string): Promise<{ samples: number; blank: number }> {
  return page.evaluate(
    (want) =>
      new Promise((resolve) => {
        let samples = 0;
        let blank = 0;
        const hadFrame = new WeakSet<HTMLVideoElement>();
        const timer = setInterval(() => {
          const tile = document.querySelector('[data-testid="tile-0"]')!;
          for (const v of tile.querySelectorAll('video')) if (v.readyState >= 2 && v.videoWidth > 0) hadFrame.add(v);
          const video = tile.querySelector<HTMLVideoElement>('[data-testid="tile-video"]');
          samples++;
          if (!video || !hadFrame.has(video)) blank++;
          if (tile.getAttribute('data-stream') === want) {
            clearInterval(timer);
            resolve({ samples, blank });
          }
        }, 20);
      }),
    until,
  );
}

test('small tiles take the sub-stream, a maximised tile the main stream, with no black gap between', async ({ page }) => {
  await signIn(page, host);
  const tile = page.getByTestId('tile-0');
  await expect(tile).toHaveAttribute('data-state', 'live');
  await expect(tile).toHaveAttribute('data-stream', 'main'); // 2×2: main stream
  await expect.poll(() => pictureWidth(page)).toBe(1280);

  await page.getByTestId('layout-3x3').click();
  await expect(tile).toHaveAttribute('data-stream', 'sub');
  await expect.poll(() => pictureWidth(page)).toBe(320);
  await expect(tile).toHaveAttribute('data-state', 'live');
  await expect(tile.getByTestId('tile-sub')).toBeVisible();
  expect(ffmpegFor(sub.port)).toHaveLength(1);
  await page.screenshot({ path: join(ARTIFACTS, 'substream-3x3.png') });

  const toMain = blankSamplesUntil(page, 'main');
  await tile.dblclick();
  const up = await toMain;
  expect(up.samples).toBeGreaterThan(1);
  expect(up.blank, JSON.stringify(up)).toBe(0);
  await expect.poll(() => pictureWidth(page)).toBe(1280);
  await expect(tile).toHaveAttribute('data-maximised', 'true');
  await expect(tile.getByTestId('tile-sub')).toBeHidden();
  await page.screenshot({ path: join(ARTIFACTS, 'substream-maximised-main.png') });

  const toSub = blankSamplesUntil(page, 'sub');
  await page.keyboard.press('Escape');
  expect((await toSub).blank).toBe(0);
  await expect.poll(() => pictureWidth(page)).toBe(320);
  // One RTSP session per stream, however often the tile switched.
  expect(ffmpegFor(main.port)).toHaveLength(1);
  expect(ffmpegFor(sub.port)).toHaveLength(1);
});
