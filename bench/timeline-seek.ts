/**
 * Time from a click on the playback timeline to the first frame shown at the new time, in Debian's
 * Chromium through the browser shell, on a real recording. Prints JSON.
 *
 *   npm run bench:timeline-seek [-- --seeks 8]
 */
import { chromium } from '@playwright/test';
import { parseArgs } from 'node:util';
import { CHROMIUM_ARGS } from '../playwright.config.js';
import { startTestCamera, stopAllTestCameras } from '../tests/fixtures/camera-server.js';
import { signIn } from '../tests/fixtures/sign-in-page.js';
import { startHostProcess, tempDataDir, writeCameraFile } from '../tests/fixtures/host-process.js';

const { values } = parseArgs({ options: { seeks: { type: 'string', default: '8' } } });
const seeks = Number(values.seeks);
const cam = await startTestCamera({ codec: 'h264', width: 1280, height: 720, fps: 25 });
const host = await startHostProcess(['--data', tempDataDir(), '--cameras', writeCameraFile([{ name: 'Seek', url: cam.url }])]);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  await new Promise((r) => setTimeout(r, 40_000)); // footage to seek in
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  await signIn(page, host);
  await page.getByTestId('open-playback').click();
  const range = page.getByTestId('timeline-range').first();
  await range.waitFor();
  await page.locator('[data-testid="recorded-video"], video.recorded-video').first().waitFor();
  const box = (await range.boundingBox())!;
  const results: number[] = [];
  for (let i = 0; i < seeks; i++) {
    await page.evaluate(() => {
      const w = window as unknown as { clickAt?: number; frameAt?: number };
      w.clickAt = undefined;
      w.frameAt = undefined;
      document.addEventListener('pointerdown', () => (w.clickAt = performance.now()), { capture: true, once: true });
      const video = document.querySelector('.playback-cell video') as HTMLVideoElement;
      video.addEventListener('seeked', () => video.requestVideoFrameCallback(() => (w.frameAt = performance.now())), { once: true });
    });
    // Alternate between the start and the end of the recording so every seek really moves.
    await page.mouse.click(box.x + box.width * (i % 2 === 0 ? 0.2 : 0.8), box.y + box.height / 2);
    await page.waitForFunction(() => (window as unknown as { frameAt?: number }).frameAt !== undefined, undefined, { timeout: 15_000 });
    results.push(await page.evaluate(() => {
      const w = window as unknown as { clickAt: number; frameAt: number };
      return Math.round(w.frameAt - w.clickAt);
    }));
  }
  const sorted = [...results].sort((a, b) => a - b);
  console.log(JSON.stringify({ bench: 'timeline-seek', seeks, source: '1280x720 25 fps H.264, 4 s TS segments', clickToFirstFrameMs: { median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1), all: results } }, null, 2));
} finally {
  await browser.close();
  await host.stop();
  await stopAllTestCameras();
}
