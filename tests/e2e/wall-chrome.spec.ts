/**
 * The wall's frame for long shifts: a clock, a camera list that folds away, a full-screen wall whose
 * toolbar and list come back at the edges, a visible selection that a camera in the list goes onto
 * without dragging, and a toolbar chip that says a tour runs and stops it.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/e2e-test.js';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { signIn } from '../fixtures/sign-in-page.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
let cams: TestCamera[] = [];
let host: HostProcess;

test.beforeAll(async () => {
  cams = await Promise.all([1, 2, 3].map((n) => startTestCamera({ codec: 'h264', label: `Chrome cam ${n}` })));
  host = await startHostProcess(['--data', tempDataDir(), '--cameras', writeCameraFile(cams.map((c, i) => ({ name: `Chrome cam ${i + 1}`, url: c.url })))]);
});

test.afterAll(async () => {
  await host?.stop();
  await stopAllTestCameras();
});

/** How much of an element lies inside the viewport, 0..1 (0: slid out of sight). */
async function shownFraction(page: Page, element: Locator): Promise<number> {
  const box = await element.boundingBox();
  const viewport = page.viewportSize()!;
  if (!box || box.width === 0 || box.height === 0) return 0;
  const width = Math.max(0, Math.min(box.x + box.width, viewport.width) - Math.max(box.x, 0));
  const height = Math.max(0, Math.min(box.y + box.height, viewport.height) - Math.max(box.y, 0));
  return (width * height) / (box.width * box.height);
}

test('the wall clock ticks; the camera list folds away and stays folded; a camera double-clicked or Entered goes onto the selected tile', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, host);
  const clock = page.getByTestId('wall-clock');
  await expect(clock).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  expect(Math.abs(Number(await clock.getAttribute('data-ms')) - Date.now())).toBeLessThan(60_000);
  const first = await clock.textContent();
  await expect(clock).not.toHaveText(first!);

  const sidebar = page.locator('aside.sidebar');
  const wallWidth = async () => (await page.getByTestId('wall').boundingBox())!.width;
  const before = await wallWidth();
  await page.getByTestId('toggle-sidebar').click();
  await expect(sidebar).toBeHidden();
  expect(await wallWidth()).toBeGreaterThan(before + 200);
  await page.reload();
  await signIn(page, host);
  await expect(page.getByTestId('tile-0')).toBeVisible();
  await expect(sidebar).toBeHidden();
  await page.getByTestId('toggle-sidebar').click();
  await expect(sidebar).toBeVisible();

  // Select the fourth tile; its frame stays while the list has the focus.
  await page.getByTestId('tile-3').click();
  await expect(page.getByTestId('tile-3')).toHaveAttribute('data-selected', 'true');
  const [, second, third] = await page.getByTestId('camera-item').all();
  await second!.dblclick(); // in the row's middle, where a person would: its buttons leave it free
  await expect(page.getByTestId('tile-3')).toHaveAttribute('data-camera-id', (await second!.getAttribute('data-camera-id'))!);
  await expect(page.getByTestId('tile-3')).toHaveAttribute('data-selected', 'true');
  await page.screenshot({ path: join(ARTIFACTS, 'wall-selected-tile.png') });
  await page.getByTestId('tile-2').click();
  await third!.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tile-2')).toHaveAttribute('data-camera-id', (await third!.getAttribute('data-camera-id'))!);
  await expect(page.getByTestId('tile-2')).toHaveAttribute('data-state', 'live');
});

test('full-screen wall: F11 hides the toolbar and the camera list, the edges bring them back, F11 leaves', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, host);
  await expect(page.getByTestId('tile-0')).toHaveAttribute('data-state', 'live');
  const bar = page.locator('header.top-bar');
  const sidebar = page.locator('aside.sidebar');
  await page.getByTestId('wall').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('F11');
  await expect(page.getByTestId('app')).toHaveClass(/full-screen-wall/);
  await expect.poll(() => shownFraction(page, bar)).toBe(0);
  await expect.poll(() => shownFraction(page, sidebar)).toBe(0);
  const viewport = page.viewportSize()!;
  await expect.poll(async () => (await page.getByTestId('wall').boundingBox())!.width).toBeGreaterThan(viewport.width * 0.97);
  // The clock stays in view, over the wall.
  await expect(page.getByTestId('wall-clock')).toBeVisible();
  expect(await shownFraction(page, page.getByTestId('wall-clock'))).toBe(1);
  await page.screenshot({ path: join(ARTIFACTS, 'wall-full-screen.png') });

  await page.mouse.move(viewport.width / 2, 2);
  await expect.poll(() => shownFraction(page, bar)).toBe(1);
  await page.screenshot({ path: join(ARTIFACTS, 'wall-full-screen-toolbar.png') });
  await page.mouse.move(viewport.width / 2, viewport.height / 2);
  await expect.poll(() => shownFraction(page, bar)).toBe(0);
  await page.mouse.move(2, viewport.height / 2);
  await expect.poll(() => shownFraction(page, sidebar)).toBe(1);
  await page.mouse.move(viewport.width / 2, viewport.height / 2);
  await expect.poll(() => shownFraction(page, sidebar)).toBe(0);

  // The toolbar's own button leaves too (reached at the top edge).
  await page.keyboard.press('F11');
  await expect(page.getByTestId('app')).not.toHaveClass(/full-screen-wall/);
  await expect.poll(() => shownFraction(page, bar)).toBe(1);
  await page.getByTestId('toggle-full-screen').click();
  await expect(page.getByTestId('app')).toHaveClass(/full-screen-wall/);
  await page.mouse.move(viewport.width / 2, 2);
  await page.getByTestId('toggle-full-screen').click();
  await expect(page.getByTestId('app')).not.toHaveClass(/full-screen-wall/);
});

test('the toolbar says when a tour runs, and its Stop ends the wall’s and the tiles’ tours', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, host);
  await expect(page.getByTestId('tile-0')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('tour-chip')).toHaveCount(0);
  const ids = (await host.call('listCameras')).map((c) => c.id);
  const wall = await host.call('getWall', { wallId: 'wall-1' });
  await host.call('setWall', { wallId: 'wall-1', state: { ...wall, layout: '1', tour: { cameraIds: ids, dwellSeconds: 5 } } });
  const chip = page.getByTestId('tour-chip');
  await expect(chip.locator('.tour-chip-label')).toHaveAttribute('title', 'A tour of the whole wall');
  await expect(chip.getByTestId('wall-tour-badge')).toHaveAttribute('data-stop', /\d/);
  // It does not cover any tile: it lives in the toolbar.
  const chipBox = (await chip.boundingBox())!;
  const wallBox = (await page.getByTestId('wall').boundingBox())!;
  expect(chipBox.y + chipBox.height).toBeLessThanOrEqual(wallBox.y);
  // At 1280 wide, with the chip in it, every control of the toolbar and the clock are on screen.
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.screenshot({ path: join(ARTIFACTS, 'tour-chip.png') });
  for (const control of await page.locator('header.top-bar > *:visible').all()) {
    const box = (await control.boundingBox())!;
    expect(box.x + box.width, await control.evaluate((e) => e.outerHTML.slice(0, 80))).toBeLessThanOrEqual(1280);
  }
  await expect(page.getByTestId('wall-clock')).toBeInViewport({ ratio: 1 });
  await chip.getByTestId('tour-chip-stop').click();
  await expect(chip).toHaveCount(0);
  await expect.poll(async () => (await host.call('getWall', { wallId: 'wall-1' })).tour ?? null).toBeNull();

  // A tile's tour shows the chip too, and Stop ends it.
  const now = await host.call('getWall', { wallId: 'wall-1' });
  await host.call('setWall', { wallId: 'wall-1', state: { ...now, tours: [{ cameraIds: ids.slice(0, 2), dwellSeconds: 5 }] } });
  await expect(chip).toContainText('Tour on 1 tile');
  await chip.getByTestId('tour-chip-stop').click();
  await expect(chip).toHaveCount(0);
  await expect.poll(async () => (await host.call('getWall', { wallId: 'wall-1' })).tours?.filter(Boolean).length ?? 0).toBe(0);
});
