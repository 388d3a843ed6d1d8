import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { signIn } from '../fixtures/sign-in-page.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { waitForFootage } from '../fixtures/recording-checks.js';
let host: HostProcess; let dataDir: string;
test.beforeAll(async () => {
  const cam = await startTestCamera({ codec: 'h264', width: 320, height: 240, fps: 10 });
  dataDir = tempDataDir();
  host = await startHostProcess(['--data', dataDir, '--cameras', writeCameraFile([{ name: 'A', url: cam.url }])]);
});
test.afterAll(async () => { await host?.stop(); await stopAllTestCameras(); });
test('debug', async ({ page }) => {
  test.setTimeout(120_000);
  await waitForFootage(join(dataDir, 'recordings'), 25);
  await signIn(page, host);
  const tile = page.getByTestId('tile-0');
  await expect(tile).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
  page.on('console', (m) => console.log('console', m.text()));
  await tile.focus();
  const pressed = Date.now();
  await page.keyboard.press('r'); console.log('target', pressed - 10000);
  for (let i = 0; i < 30; i++) {
    const info = await tile.evaluate((el) => {
      const v = el.querySelector('video') as HTMLVideoElement | null;
      const h = el.querySelector('[data-testid="recorded-holder"]');
      const ranges = (tr: TimeRanges | undefined) => (tr ? Array.from({ length: tr.length }, (_, i) => `${tr.start(i).toFixed(1)}-${tr.end(i).toFixed(1)}`).join(',') : '');
      return { wall: Number(h?.getAttribute('data-wall-ms')), t: v?.currentTime, rs: v?.readyState, paused: v?.paused, seekable: ranges(v?.seekable), buffered: ranges(v?.buffered) };
    });
    console.log(((Date.now() - pressed) / 1000).toFixed(1), 'behind', info.wall ? ((Date.now() - info.wall) / 1000).toFixed(1) : '-', JSON.stringify(info));
    await page.waitForTimeout(500);
  }
  const ranges = await host.call('listRecordings', { cameraId: (await host.call('listCameras'))[0]!.id, fromMs: Date.now() - 3600_000, toMs: Date.now() + 3600_000 });
  console.log(JSON.stringify(ranges), Date.now());
});
