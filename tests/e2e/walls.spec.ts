/**
 * Several walls end to end: a second wall window with its own layout, one upstream per camera however
 * many windows show it, and presets that save and recall every window at once.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/e2e-test.js';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { fillSignIn, signIn } from '../fixtures/sign-in-page.js';
import { ADMIN, startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { ffmpegFor } from '../fixtures/process-table.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
let cams: TestCamera[] = [];
let host: HostProcess;

test.beforeAll(async () => {
  cams = await Promise.all([1, 2].map((n) => startTestCamera({ codec: 'h264', label: `Wall cam ${n}` })));
  host = await startHostProcess(['--data', tempDataDir(), '--cameras', writeCameraFile(cams.map((c, i) => ({ name: `Wall cam ${i + 1}`, url: c.url })))]);
});

test.afterAll(async () => {
  await host?.stop();
  await stopAllTestCameras();
});

const layoutOf = (page: Page) => page.getByTestId('wall').getAttribute('data-layout');

test('a second wall window with its own layout shares the upstream, and a preset restores both windows', async ({ page, context }) => {
  test.setTimeout(180_000);
  await signIn(page, host);
  await expect(page.getByTestId('tile-0')).toHaveAttribute('data-state', 'live');
  const camA = (await page.getByTestId('tile-0').getAttribute('data-camera-id'))!;

  await page.getByTestId('walls-menu').locator('summary').click();
  const [second] = await Promise.all([context.waitForEvent('page'), page.getByTestId('wall-open-new').click()]);
  await second.waitForLoadState();
  expect(new URL(second.url()).searchParams.get('wall')).toBe('wall-2');
  await expect(second.getByTestId('walls-menu').locator('summary')).toContainText('Wall 2');
  // Both cameras are on the main wall, so the new wall starts empty; show camera A there, alone.
  await second.getByTestId('layout-1').click();
  await second.getByTestId('camera-item').first().dragTo(second.getByTestId('tile-0'));
  await expect(second.getByTestId('tile-0')).toHaveAttribute('data-camera-id', camA);
  await expect(second.getByTestId('tile-0')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('tile-0')).toHaveAttribute('data-state', 'live');
  expect(await layoutOf(page)).toBe('2x2');
  // One RTSP session for camera A, though two windows (and the recorder) use it.
  expect(ffmpegFor(cams[0]!.port)).toHaveLength(1);
  const streams = await host.call('listStreams');
  expect(streams.find((s) => s.cameraId === camA)?.health.subscribers).toBe(2);
  await page.screenshot({ path: join(ARTIFACTS, 'walls-main.png') });
  await second.screenshot({ path: join(ARTIFACTS, 'walls-second.png') });

  // Save both walls as a preset, change both, recall it with its shortcut: both windows come back.
  await page.bringToFront();
  await page.getByTestId('presets-menu').locator('summary').click();
  await page.getByTestId('preset-name').fill('Car park watch');
  await page.getByTestId('preset-save').click();
  const saved = page.getByTestId('preset-item').filter({ hasText: 'Car park watch' });
  await expect(saved).toContainText('2 walls');
  await expect(saved).toContainText('Ctrl+3');
  await page.screenshot({ path: join(ARTIFACTS, 'presets-menu.png') });
  await page.getByTestId('presets-menu').locator('summary').click();

  await page.getByTestId('layout-3x3').click();
  await second.bringToFront();
  await second.getByTestId('layout-2x2').click();
  await second.getByTestId('tile-0').hover();
  await second.getByTestId('tile-0').getByTestId('tile-clear').click();
  await expect(second.getByTestId('tile-0')).toHaveAttribute('data-state', 'empty');
  await expect.poll(() => layoutOf(page)).toBe('3x3');

  await page.bringToFront();
  await page.keyboard.press('Control+3');
  await expect.poll(() => layoutOf(page)).toBe('2x2');
  await expect.poll(() => layoutOf(second)).toBe('1');
  await expect(second.getByTestId('tile-0')).toHaveAttribute('data-camera-id', camA);
  await expect(second.getByTestId('tile-0')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('tile-1')).toHaveAttribute('data-state', 'live');
});

test('a tile tour shows its cameras in turn with a countdown, waits while the pointer is on it; a wall tour pages the wall', async ({ page }) => {
  test.setTimeout(180_000);
  // The page's clock is the test's to move while it checks "not before": a busy machine cannot make
  // the countdown look early or late.
  await page.clock.install();
  await signIn(page, host);
  await page.getByTestId('layout-2x2').click();
  const tile = page.getByTestId('tile-0');
  await expect(tile).toHaveAttribute('data-state', 'live');
  const [camA, camB] = [(await tile.getAttribute('data-camera-id'))!, (await page.getByTestId('tile-1').getAttribute('data-camera-id'))!];

  await tile.hover();
  await tile.getByTestId('tile-tour').click();
  const dialog = page.getByTestId('tour-dialog');
  await dialog.getByTestId('tour-dwell').fill('1');
  await dialog.getByTestId('tour-start').click();
  await expect(dialog.getByTestId('tour-problem')).toContainText('A tour needs at least two cameras. At least 3 seconds per camera.');
  await dialog.getByTestId('tour-camera').nth(1).check();
  await dialog.getByTestId('tour-dwell').fill('3');
  await dialog.getByTestId('tour-start').click();
  await expect(dialog).toBeHidden();

  // The pointer is on the tile: the tour waits, and says so.
  await tile.hover();
  const badge = tile.getByTestId('tile-tour-badge');
  await expect(badge).toHaveAttribute('data-paused', 'true');
  await expect(badge).toContainText('⟳ II');
  await expect(badge).toHaveAttribute('title', /camera 1\/2, paused/);
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1_000);
  await page.clock.runFor(4_000);
  await expect(tile).toHaveAttribute('data-camera-id', camA);
  await page.screenshot({ path: join(ARTIFACTS, 'tour-paused.png') });

  // Pointer away: the countdown goes on from where it paused, and the next camera comes when it
  // runs out, not a moment before.
  await page.getByTestId('camera-item').first().hover();
  await expect(badge).toHaveAttribute('data-paused', 'false');
  const secondsLeft = Number(await badge.getAttribute('data-seconds-left'));
  expect(secondsLeft).toBeGreaterThanOrEqual(1);
  expect(secondsLeft).toBeLessThanOrEqual(3);
  await expect(badge).toContainText(`⟳ ${secondsLeft} s`);
  await page.clock.runFor((secondsLeft - 1) * 1_000);
  await expect(badge).toHaveAttribute('data-seconds-left', '1');
  await expect(tile).toHaveAttribute('data-camera-id', camA);
  await page.clock.runFor(1_000);
  await expect(tile).toHaveAttribute('data-camera-id', camB);
  await page.clock.resume();
  await expect(badge).toHaveAttribute('data-stop', '1');
  await expect(tile).toHaveAttribute('data-state', 'live');
  await page.screenshot({ path: join(ARTIFACTS, 'tour-running.png') });
  await expect(tile).toHaveAttribute('data-camera-id', camA, { timeout: 8_000 }); // and round again

  await tile.hover();
  await tile.getByTestId('tile-tour').click();
  await dialog.getByTestId('tour-stop').click();
  await expect(badge).toBeHidden();

  // A whole-wall tour on a 1×1 wall: one camera a page, the wall's badge counts down.
  await page.getByTestId('layout-1').click();
  await page.getByTestId('open-wall-tour').click();
  await expect(dialog.getByTestId('tour-camera')).toHaveCount(2);
  await dialog.getByTestId('tour-dwell').fill('3');
  await dialog.getByTestId('tour-start').click();
  await page.getByTestId('open-wall-tour').hover(); // off the wall
  const wallBadge = page.getByTestId('wall-tour-badge');
  await expect(wallBadge).toContainText('1/2');
  const first = await tile.getAttribute('data-camera-id');
  await expect(tile).not.toHaveAttribute('data-camera-id', first!, { timeout: 8_000 });
  await expect(wallBadge).toContainText('2/2');
  await page.getByTestId('open-wall-tour').click();
  await dialog.getByTestId('tour-stop').click();
  await expect(wallBadge).toBeHidden();
});

test('cameras listed by site, found by site, and a summary of how many are live and failed always in view', async ({ page }) => {
  await signIn(page, host);
  const call = host.call;
  // A camera whose port is closed: it fails, and the summary says so.
  const bay = await call('addCamera', { name: 'Bay door', url: 'rtsp://127.0.0.1:9/bay', group: 'Depot North' });
  // The core's word first: on a busy machine its ffmpeg may take a while to start and fail, and if this
  // wait fails, the state it last saw says whether the core or the page lagged.
  const bayState = async () => (await call('listStreams')).find((s) => s.cameraId === bay.id && s.stream === 'main')?.state;
  await expect.poll(bayState, { timeout: 90_000 }).toBe('unreachable');
  const summary = page.getByTestId('status-summary');
  await expect(summary).toHaveAttribute('data-live', '2');
  await expect(summary).toHaveAttribute('data-failed', '1');
  await expect(summary.getByTestId('summary-failed')).toHaveText('1 failed');

  // Put a camera on the same site through the dialog.
  await page.getByTestId('camera-item').filter({ hasText: 'Wall cam 1' }).hover();
  await page.getByTestId('camera-item').filter({ hasText: 'Wall cam 1' }).getByRole('button', { name: /edit/i }).click();
  await page.getByTestId('camera-group').fill('Depot North');
  await page.getByTestId('camera-save').click();
  await expect(page.getByTestId('camera-dialog')).toBeHidden();
  const groups = page.getByTestId('camera-site');
  await expect(groups).toHaveCount(2);
  await expect(groups.first()).toHaveAttribute('data-group', 'Depot North');
  await expect(groups.first().getByTestId('camera-item-name')).toHaveText(['Bay door', 'Wall cam 1']);
  await expect(groups.nth(1).locator('summary')).toContainText('Other cameras');
  await page.screenshot({ path: join(ARTIFACTS, 'camera-sites.png') });

  await page.getByTestId('camera-search').fill('depot');
  await expect(groups).toHaveCount(1);
  await expect(groups.first().getByTestId('camera-item')).toHaveCount(2);
});

test('closing a wall closes its window, from its own Walls menu or from the main window; a tab the page cannot close stops showing the wall', async ({ page, context }) => {
  test.setTimeout(180_000);
  await signIn(page, host);
  const openWall = async () => {
    await page.bringToFront();
    await page.getByTestId('walls-menu').locator('summary').click();
    const [opened] = await Promise.all([context.waitForEvent('page'), page.getByTestId('wall-open-new').click()]);
    await expect(opened.getByTestId('wall')).toBeVisible();
    return { window: opened, wallId: new URL(opened.url()).searchParams.get('wall')! };
  };
  const closeFrom = async (from: Page, wallId: string) => {
    await from.getByTestId('walls-menu').locator('summary').click();
    await from.locator(`[data-testid="wall-item"][data-wall-id="${wallId}"]`).getByTestId('wall-remove').click();
  };

  // From its own menu: the window closes.
  const own = await openWall();
  const ownClosed = own.window.waitForEvent('close');
  await closeFrom(own.window, own.wallId);
  await ownClosed;

  // From the main window: the other window closes too.
  const other = await openWall();
  const otherClosed = other.window.waitForEvent('close');
  await closeFrom(page, other.wallId);
  await otherClosed;
  await expect(page.locator(`[data-testid="wall-item"][data-wall-id="${other.wallId}"]`)).toHaveCount(0);

  // A wall shown in a tab the person opened (not by Watchroom): the page may not close it, so the
  // wall goes (its players with it) and the tab says why, with a way back to the main wall.
  const kept = await openWall();
  await kept.window.close();
  const tab = await context.newPage();
  await tab.goto(host.url.href);
  await signIn(tab, host, undefined, undefined, `/?wall=${kept.wallId}`);
  await tab.getByTestId('camera-item').filter({ hasText: 'Wall cam 2' }).dragTo(tab.getByTestId('tile-0'));
  await expect(tab.getByTestId('tile-0')).toHaveAttribute('data-state', 'live');
  await closeFrom(page, kept.wallId);
  await expect(tab.getByTestId('wall-closed')).toContainText('was closed');
  await expect(tab.getByTestId('wall')).toHaveCount(0);
  await expect(tab.locator('video')).toHaveCount(0);
  await tab.screenshot({ path: join(ARTIFACTS, 'wall-closed-tab.png') });
  // The session lives in page memory only, so the main wall asks for a sign-in first.
  await tab.getByTestId('wall-closed-main').click();
  await fillSignIn(tab, ADMIN);
  await expect(tab.getByTestId('walls-menu').locator('summary')).toContainText('Wall 1');
});
