/**
 * How large a wall of sub-streams one Chromium window plays on this machine: for walls of 4, 9 and 16
 * tiles (640×360 25 fps H.264 each, every camera a stream of its own through Watchroom's relay), the
 * share of frames Chromium dropped (getVideoPlaybackQuality) and the CPU of the host process tree
 * (Node + ffmpeg), the browser and the whole machine. Reports the largest wall under 1 % dropped.
 * The test cameras share one GStreamer encode (the fixture serves one pipeline to every client of an
 * address), so they cost little of the two cores; their CPU is reported apart. Prints JSON; never fails on the figures.
 *
 *   npm run bench:wall-playback [-- --seconds 20 --sizes 4,9,16]
 */
import { chromium, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CHROMIUM_ARGS } from '../playwright.config.js';
import { startTestCamera, stopAllTestCameras } from '../tests/fixtures/camera-server.js';
import { signIn } from '../tests/fixtures/sign-in-page.js';
import { startHostProcess, tempDataDir, writeCameraFile } from '../tests/fixtures/host-process.js';
import { matchingCpuSeconds, treeCpuSeconds } from './process-cpu.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, sizes: { type: 'string', default: '4,9,16' } } });
const seconds = Number(values.seconds);
const sizes = values.sizes.split(',').map(Number);
const LAYOUT: Record<number, string> = { 1: '1', 4: '2x2', 9: '3x3', 16: '4x4' };
const count = Math.max(...sizes);

/** Busy and idle jiffies of the whole machine, from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3]! + cpu[4]!;
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Frames decoded and dropped so far by every tile's video. */
function frames(page: Page): Promise<{ total: number; dropped: number; playing: number; seeks: number }> {
  return page.evaluate(() => {
    const counted = window as unknown as { liveSeeks?: number };
    if (counted.liveSeeks === undefined) {
      counted.liveSeeks = 0;
      document.addEventListener('seeking', () => counted.liveSeeks!++, true);
    }
    let total = 0;
    let dropped = 0;
    let playing = 0;
    for (const v of document.querySelectorAll<HTMLVideoElement>('[data-testid="tile-video"]')) {
      const q = v.getVideoPlaybackQuality();
      total += q.totalVideoFrames;
      dropped += q.droppedVideoFrames;
      if (!v.paused && v.readyState >= 3) playing++;
    }
    return { total, dropped, playing, seeks: counted.liveSeeks };
  });
}

const cam = await startTestCamera({ codec: 'h264', width: 640, height: 360, fps: 25, label: 'Sub-stream' });
// One address for all: the fixture shares one encode per address, and each Watchroom camera still has an RTSP session and ffmpeg of its own.
const cameras = Array.from({ length: count }, (_, i) => ({ name: `Sub ${i + 1}`, url: cam.url }));
const host = await startHostProcess(['--data', tempDataDir(), '--cameras', writeCameraFile(cameras)]);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
const results = [];
try {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await signIn(page, host);
  const api = (method: string, arg?: unknown) =>
    page.evaluate(async ([m, a]) => (await (await fetch(`/api/${m}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ arg: a }) })).json()).result, [method, arg] as const);
  const ids = ((await api('listCameras')) as Array<{ id: string }>).map((c) => c.id);
  const chromiumBinary = process.env.CHROMIUM_PATH ?? 'chromium';
  for (const size of sizes) {
    await api('setWall', { wallId: 'wall-1', state: { layout: LAYOUT[size], tiles: ids.slice(0, size) } });
    await page.waitForFunction((n) => document.querySelectorAll('[data-state="live"]').length === n, size, { timeout: 60_000 });
    await page.waitForTimeout(5_000); // past start-up and the live-edge catch-up
    const f0 = await frames(page);
    const m0 = machineTicks();
    const h0 = treeCpuSeconds(host.child.pid!).tree;
    const b0 = matchingCpuSeconds(chromiumBinary);
    const c0 = matchingCpuSeconds('rtsp-camera-server.py');
    const t0 = performance.now();
    await page.waitForTimeout(seconds * 1000);
    const elapsed = (performance.now() - t0) / 1000;
    const f1 = await frames(page);
    const m1 = machineTicks();
    const decoded = f1.total - f0.total;
    const dropped = f1.dropped - f0.dropped;
    results.push({
      tiles: size,
      layout: LAYOUT[size],
      playing: f1.playing,
      framesPerSecond: +(decoded / elapsed).toFixed(1),
      droppedPercent: +((dropped / Math.max(1, decoded)) * 100).toFixed(2),
      /** The live players' jumps to the live edge (each loses the frames it skips). */
      liveEdgeSeeks: f1.seeks - f0.seeks,
      hostCpuPercentOfCore: +(((treeCpuSeconds(host.child.pid!).tree - h0) / elapsed) * 100).toFixed(1),
      browserCpuPercentOfCore: +(((matchingCpuSeconds(chromiumBinary) - b0) / elapsed) * 100).toFixed(1),
      testCameraCpuPercentOfCore: +(((matchingCpuSeconds('rtsp-camera-server.py') - c0) / elapsed) * 100).toFixed(1),
      machineBusyPercent: +(((m1.busy - m0.busy) / (m1.total - m0.total)) * 100).toFixed(1),
    });
  }
} finally {
  await browser.close();
  await host.stop();
  await stopAllTestCameras();
}
const underOnePercent = results.filter((r) => r.droppedPercent < 1).map((r) => r.tiles);
console.log(
  JSON.stringify(
    {
      benchmark: 'wall-playback',
      stream: '640x360 25 fps H.264 per tile',
      secondsPerWall: seconds,
      results,
      largestWallUnderOnePercentDropped: underOnePercent.length ? Math.max(...underOnePercent) : null,
      note: 'CPU in % of one core (2 cores = 200 %); machine busy in % of all cores. Headless Chromium decodes in software (--disable-gpu).',
    },
    null,
    2,
  ),
);
