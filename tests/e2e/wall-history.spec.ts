/**
 * Wall history: the walls of a past moment, read back from the ledger, drawn with the camera on each
 * tile and the person who set them; stepping to the next change shows what came after.
 */
import { expect, test } from '../fixtures/e2e-test.js';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { signIn } from '../fixtures/sign-in-page.js';
import { ADMIN, startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
let cams: TestCamera[] = [];
let host: HostProcess;

test.beforeAll(async () => {
  cams = await Promise.all([1, 2].map((n) => startTestCamera({ codec: 'h264', label: `History cam ${n}` })));
  host = await startHostProcess(['--data', tempDataDir(), '--cameras', writeCameraFile(cams.map((c, i) => ({ name: `History cam ${i + 1}`, url: c.url })))]);
});

test.afterAll(async () => {
  await host?.stop();
  await stopAllTestCameras();
});

test('wall history shows a past wall as it was, who set it, and steps to the change after', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, host);
  await page.getByTestId('layout-3x3').click();
  await expect(page.getByTestId('tile-8')).toBeVisible();
  // The moment to look back at: the first whole second after the 3×3 entered the ledger (the input
  // takes seconds); the next change comes after that second has begun.
  const ledgered = async () => (await host.call('listAudit', { limit: 50 })).find((e) => e.action === 'wall.set' && JSON.stringify(e.details).includes('"3x3"'))?.at;
  await expect.poll(ledgered).toBeTruthy();
  const entered = Date.parse((await ledgered())!);
  const then = Math.ceil((entered + 1) / 1000) * 1000;
  await expect.poll(() => Date.now() > then + 10).toBe(true);
  await page.getByTestId('layout-1').click();
  await expect(page.getByTestId('tile-1')).toHaveCount(0);

  await page.getByTestId('person-menu').click();
  await page.getByTestId('open-wall-history').click();
  const dialog = page.getByTestId('wall-history-dialog');
  // Now: one tile.
  await expect(dialog.getByTestId('wall-history-wall-1').getByTestId('historic-tile')).toHaveCount(1);
  const when = await page.evaluate((ms) => {
    const d = new Date(ms);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }, then);
  await dialog.getByTestId('wall-history-at').fill(when);
  await dialog.getByTestId('wall-history-show').click();
  // Then: the 3×3, each camera on its tile, set by the administrator.
  const wall = dialog.getByTestId('wall-history-wall-1');
  await expect(wall.getByTestId('historic-tile')).toHaveCount(9);
  await expect(wall.getByTestId('historic-tile').nth(0)).toHaveText('History cam 1');
  await expect(wall.getByTestId('historic-tile').nth(1)).toHaveText('History cam 2');
  await expect(wall.getByTestId('historic-tile').nth(2)).toHaveText('empty');
  await expect(wall.locator('h3')).toContainText(`as set by ${ADMIN} (Administrator)`);
  await page.screenshot({ path: join(ARTIFACTS, 'wall-history.png') });

  await dialog.getByTestId('wall-history-later').click();
  await expect(wall.getByTestId('historic-tile')).toHaveCount(1);
  await expect(wall.getByTestId('historic-tile')).toHaveText('History cam 1');
});
