/**
 * Time from opening a tile to its first decoded frame, and how far the player trails the live edge,
 * in Debian's Chromium through the browser shell with real 720p25 RTSP cameras. Prints JSON.
 *
 *   npm run bench:first-frame [-- --cameras 4 --seconds 10]
 *
 * cold: the camera's ffmpeg is not running yet (RTSP connect + first keyframe).
 * warm: another viewer already watches, so the tile gets init + cached GOP at once.
 */
import { chromium } from '@playwright/test';
import { parseArgs } from 'node:util';
import { CHROMIUM_ARGS } from '../playwright.config.js';
import { startTestCamera, stopAllTestCameras } from '../tests/fixtures/camera-server.js';
import { signIn } from '../tests/fixtures/sign-in-page.js';
import { startHostProcess, tempDataDir, writeCameraFile } from '../tests/fixtures/host-process.js';

const { values } = parseArgs({ options: { cameras: { type: 'string', default: '4' }, seconds: { type: 'string', default: '10' } } });
const count = Number(values.cameras);
const seconds = Number(values.seconds);

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s.at(-1)! };
};

const cams = await Promise.all(Array.from({ length: count }, (_, i) => startTestCamera({ codec: 'h264', width: 1280, height: 720, fps: 25, label: `Bench ${i + 1}` })));
const host = await startHostProcess(['--data', tempDataDir(), '--cameras', writeCameraFile(cams.map((c, i) => ({ name: `Bench ${i + 1}`, url: c.url })))]);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await context.newPage();
  const firstFrames = async () => {
    const tiles = page.getByTestId('tile-video');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="tile-video"][data-first-frame-ms]').length >= n, count, { timeout: 60_000 });
    return (await tiles.evaluateAll((vs) => vs.map((v) => Number((v as HTMLVideoElement).dataset.firstFrameMs)))).filter((n) => n > 0);
  };
  await signIn(page, host);
  const cold = await firstFrames();

  // A second page keeps the streams running while the first reloads: the late-joiner path.
  const keeper = await context.newPage();
  await signIn(keeper, host);
  await keeper.waitForFunction(() => document.querySelectorAll('[data-testid="tile-video"][data-first-frame-ms]').length >= 1);
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    await signIn(page, host); // a reload signs out: the session lives in page memory
    warm.push(...(await firstFrames()));
  }
  await keeper.close();

  const lags: number[] = [];
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    await page.waitForTimeout(500);
    lags.push(...(await page.getByTestId('tile-video').evaluateAll((vs) => vs.map((v) => Number((v as HTMLVideoElement).dataset.lagMs)))).filter((n) => Number.isFinite(n)));
  }
  console.log(
    JSON.stringify(
      {
        bench: 'first-frame',
        cameras: count,
        source: '1280x720 25 fps H.264, keyframe every 2 s (GStreamer rtsp-server)',
        firstFrameMs: { cold: stats(cold), warm: stats(warm) },
        liveEdgeLagMs: stats(lags),
        note: 'first frame: from the tile opening its WebSocket to the first presented frame (requestVideoFrameCallback); lag: buffered end minus playhead.',
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  await host.stop();
  await stopAllTestCameras();
}
