/**
 * The live wall end to end: real RTSP cameras (GStreamer), the built browser shell, Debian's Chromium.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/e2e-test.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { signIn } from '../fixtures/sign-in-page.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { waitForFootage } from '../fixtures/recording-checks.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const PASSWORD = 'Kx7-never-show-me';

let cams: TestCamera[] = [];
let host: HostProcess;
let dataDir: string;
const apiResponses: string[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  cams = await Promise.all([1, 2, 3, 4].map((n) => startTestCamera({ codec: 'h264', label: `Camera ${n}` })));
  dataDir = tempDataDir();
  host = await startHostProcess(['--data', dataDir, '--cameras', writeCameraFile(cams.map((c, i) => ({ name: `Camera ${i + 1}`, url: c.url })))]);
});

test.afterAll(async () => {
  await host?.stop();
  await stopAllTestCameras();
});

test.beforeEach(async ({ page }) => {
  page.on('response', async (response) => {
    if (response.url().includes('/api/')) apiResponses.push(await response.text().catch(() => ''));
  });
  await signIn(page, host);
});

async function cameraIds(_page: Page): Promise<string[]> {
  return (await host.call('listCameras')).map((c) => c.id);
}

/** What the replay player holds and what the recording has, for a failure to say where it went wrong. */
async function replayState(holder: Locator, cameraId: string | null): Promise<string> {
  const video = await holder.evaluate((h) => {
    const v = h.querySelector('video');
    const list = (t: TimeRanges) => Array.from({ length: t.length }, (_, k) => [t.start(k), t.end(k)]);
    return v && { currentTime: v.currentTime, seekable: list(v.seekable), buffered: list(v.buffered), wallMs: h.getAttribute('data-wall-ms') };
  });
  const now = Date.now();
  const ranges = cameraId ? await host.call('listRecordings', { cameraId, fromMs: now - 3_600_000, toMs: now }) : [];
  return JSON.stringify({ now, video, ranges });
}

async function videoTime(page: Page, tileIndex: number): Promise<number> {
  return page.getByTestId(`tile-${tileIndex}`).getByTestId('tile-video').evaluate((v: HTMLVideoElement) => v.currentTime);
}

test('a 2×2 wall of four cameras: every tile live, its video time advancing', async ({ page }) => {
  // The address carries no secret: the session lives in the page's memory.
  await expect(page).toHaveURL(host.url.origin + '/');
  const ids = await cameraIds(page);
  for (let i = 0; i < 4; i++) {
    await expect(page.getByTestId(`tile-${i}`)).toHaveAttribute('data-camera-id', ids[i]!);
    await expect(page.getByTestId(`tile-${i}`)).toHaveAttribute('data-state', 'live');
    await expect(page.getByTestId(`tile-${i}`).getByTestId('tile-state')).toHaveText('live');
  }
  // Every tile's video moves on (how soon depends on the machine's load: a state, not a time).
  const before = await Promise.all([0, 1, 2, 3].map((i) => videoTime(page, i)));
  for (let i = 0; i < 4; i++) await expect.poll(() => videoTime(page, i), { message: `tile ${i} video time` }).toBeGreaterThan(before[i]! + 1.2);
  await page.screenshot({ path: join(ARTIFACTS, 'wall-2x2-live.png') });
});

test('drag-drop assignment and a tile swap persist after reload', async ({ page }) => {
  const ids = await cameraIds(page);
  await page.getByTestId('layout-3x3').click();
  await expect(page.getByTestId('wall')).toHaveAttribute('data-layout', '3x3');
  await expect(page.getByTestId('tile-6')).toHaveAttribute('data-state', 'empty');

  await page.getByTestId('camera-item').filter({ hasText: 'Camera 3' }).dragTo(page.getByTestId('tile-6'));
  await expect(page.getByTestId('tile-6')).toHaveAttribute('data-camera-id', ids[2]!);
  await page.getByTestId('tile-0').dragTo(page.getByTestId('tile-1'));
  await expect(page.getByTestId('tile-0')).toHaveAttribute('data-camera-id', ids[1]!);
  await expect(page.getByTestId('tile-1')).toHaveAttribute('data-camera-id', ids[0]!);

  await signIn(page, host); // a reload signs out: the session lived in the page's memory
  await expect(page.getByTestId('wall')).toHaveAttribute('data-layout', '3x3');
  await expect(page.getByTestId('tile-0')).toHaveAttribute('data-camera-id', ids[1]!);
  await expect(page.getByTestId('tile-1')).toHaveAttribute('data-camera-id', ids[0]!);
  await expect(page.getByTestId('tile-6')).toHaveAttribute('data-camera-id', ids[2]!);
  await expect(page.getByTestId('tile-6')).toHaveAttribute('data-state', 'live');
  await page.screenshot({ path: join(ARTIFACTS, 'wall-3x3-after-drag.png') });
});

test('a stopped camera shows reconnecting and comes back by itself', async ({ page }) => {
  const ids = await cameraIds(page);
  const tile = page.locator(`[data-tile-index][data-camera-id="${ids[3]}"]`).first();
  await expect(tile).toHaveAttribute('data-state', 'live');
  await cams[3]!.stop();
  await expect(tile).toHaveAttribute('data-state', 'reconnecting');
  await expect(tile.getByTestId('tile-spinner')).toBeVisible();
  await page.screenshot({ path: join(ARTIFACTS, 'wall-camera-reconnecting.png') });
  await cams[3]!.start();
  await expect(tile).toHaveAttribute('data-state', 'live', { timeout: 45_000 });
  const t0 = await tile.getByTestId('tile-video').evaluate((v: HTMLVideoElement) => v.currentTime);
  await expect.poll(() => tile.getByTestId('tile-video').evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(t0 + 1);
});

test('double-click maximises a tile and Escape restores the wall', async ({ page }) => {
  await page.getByTestId('tile-0').dblclick();
  await expect(page.getByTestId('tile-0')).toHaveAttribute('data-maximised', 'true');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('tile-0')).not.toHaveAttribute('data-maximised', 'true');
});

test('each invalid camera field shows its own error in the dialog', async ({ page }) => {
  await page.getByTestId('add-camera').click();
  const dialog = page.getByTestId('camera-dialog');
  await dialog.getByTestId('camera-name').fill('');
  await dialog.getByTestId('camera-url').fill('http://127.0.0.5/stream');
  await dialog.getByTestId('camera-subUrl').fill('rtsp://127.0.0.5:99999/sub');
  await dialog.getByTestId('camera-username').fill('ad:min');
  await dialog.getByTestId('camera-password').fill(PASSWORD);
  await dialog.getByTestId('camera-save').click();
  await expect(dialog.getByTestId('error-name')).toContainText('name');
  await expect(dialog.getByTestId('error-url')).toContainText('rtsp://');
  await expect(dialog.getByTestId('error-subUrl')).toContainText('port');
  await expect(dialog.getByTestId('error-username')).toContainText(':');
  await page.screenshot({ path: join(ARTIFACTS, 'camera-dialog-errors.png') });

  await dialog.getByTestId('camera-url').fill('rtsp://127.0.0.5/stream');
  await dialog.getByTestId('camera-subUrl').fill('rtsp://127.0.0.5:70000/sub');
  await dialog.getByTestId('camera-save').click();
  await expect(dialog.getByTestId('error-url')).toHaveCount(0);
  await expect(dialog.getByTestId('error-subUrl')).toContainText('65535');
  await dialog.getByTestId('camera-cancel').click();
});

test('a camera password never reaches the page, the API, the logs or a screenshot', async ({ page }) => {
  await page.getByTestId('add-camera').click();
  const dialog = page.getByTestId('camera-dialog');
  await dialog.getByTestId('camera-name').fill('Locked gate');
  await dialog.getByTestId('camera-url').fill(`rtsp://viewer:${PASSWORD}@${cams[0]!.url.slice('rtsp://'.length)}`);
  await dialog.getByTestId('camera-save').click();
  await expect(dialog).toBeHidden();
  const item = page.getByTestId('camera-item').filter({ hasText: 'Locked gate' });
  await expect(item).toBeVisible();
  // Its stream runs with the stored credentials (the test camera accepts any), so they reach ffmpeg.
  await item.dragTo(page.getByTestId('tile-2'));
  await expect(page.getByTestId('tile-2')).toHaveAttribute('data-state', 'live');

  await item.hover();
  await item.getByTestId('camera-edit').click();
  await expect(dialog.getByTestId('camera-url')).toHaveValue(cams[0]!.url);
  await expect(dialog.getByTestId('camera-username')).toHaveValue('viewer');
  await expect(dialog.getByTestId('camera-password')).toHaveValue('');
  await page.screenshot({ path: join(ARTIFACTS, 'camera-edit-no-password.png') });
  // What a screenshot can show is the page's text and field values: none holds the password.
  const visible = await page.evaluate(() => document.body.innerText + [...document.querySelectorAll('input')].map((i) => i.value).join('\n'));
  expect(visible).not.toContain(PASSWORD);
  expect(await page.content()).not.toContain(PASSWORD);
  await dialog.getByTestId('camera-cancel').click();

  expect(apiResponses.length).toBeGreaterThan(5);
  expect(apiResponses.join('\n')).not.toContain(PASSWORD);
  // Every file Watchroom writes beside the passwords' own file: settings, logs, audit, recording index.
  for (const file of readdirSync(dataDir, { withFileTypes: true }).filter((f) => f.isFile() && f.name !== 'credentials.json').map((f) => f.name)) {
    expect(readFileSync(join(dataDir, file), 'utf8'), file).not.toContain(PASSWORD);
  }
  expect(host.stderr()).not.toContain(PASSWORD);
  expect(readFileSync(join(dataDir, 'watchroom.log'), 'utf8')).toContain('stream.spawn');
});

test('importing from the UI: a file with a bad row adds nothing; a good one fills the empty tiles at once', async ({ page }) => {
  await expect(page.getByTestId('tile-0')).toHaveAttribute('data-state', 'live');
  const states = await page.locator('[data-tile-index]').evaluateAll((tiles) => tiles.map((t) => (t as HTMLElement).dataset.state));
  const empty = states.flatMap((state, i) => (state === 'empty' ? [i] : []));
  expect(empty.length).toBeGreaterThanOrEqual(2);
  const before = await page.getByTestId('camera-item').count();
  await page.getByTestId('import-file').setInputFiles({
    name: 'cameras.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`name,url\nImported A,${cams[1]!.url}\nImported B,http://127.0.0.9/x\n`),
  });
  await expect(page.getByTestId('import-error')).toHaveCount(1);
  // Line 3 of the file (the header is line 1), named once, and the import said to have added nothing.
  await expect(page.getByTestId('import-error')).toContainText('Line 3: ');
  await expect(page.getByTestId('import-report')).not.toContainText('Row ');
  await expect(page.getByTestId('import-outcome')).toHaveText('Nothing was imported: fix the lines above and import again.');
  await page.screenshot({ path: join(ARTIFACTS, 'import-errors.png') });
  await expect(page.getByTestId('camera-item')).toHaveCount(before);

  await page.getByTestId('import-file').setInputFiles({
    name: 'cameras.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify([{ name: 'Imported A', url: cams[1]!.url }, { name: 'Imported B', url: cams[2]!.url }])),
  });
  await expect(page.getByTestId('camera-item')).toHaveCount(before + 2);
  // They land in the first two empty tiles, in file order, and play at once.
  for (const [n, name] of [[empty[0]!, 'Imported A'], [empty[1]!, 'Imported B']] as const) {
    await expect(page.getByTestId(`tile-${n}`).getByTestId('tile-name')).toHaveText(name);
    await expect(page.getByTestId(`tile-${n}`)).toHaveAttribute('data-state', 'live');
  }
  await page.screenshot({ path: join(ARTIFACTS, 'wall-after-import.png') });
});

test('search filters the camera list by name, and the tile menu\'s Remove clears a tile', async ({ page }) => {
  await page.getByTestId('camera-search').fill('imported');
  await expect(page.getByTestId('camera-item')).toHaveCount(2);
  await page.getByTestId('camera-search').fill('');
  const tile = page.getByTestId('tile-0');
  await expect(tile).toHaveAttribute('data-state', 'live');
  // A 3×3 tile has no room for its buttons beside the name: they are in its menu.
  await tile.click({ button: 'right' });
  await page.getByTestId('tile-menu-clear').click();
  await expect(tile).toHaveAttribute('data-state', 'empty');
  await signIn(page, host); // a reload signs out: the session lived in the page's memory
  await expect(tile).toHaveAttribute('data-state', 'empty');
});

test('keyboard: digits and arrows select, Enter and Esc maximise and restore, B bookmarks, R replays, L goes live, Ctrl+1 recalls, ? lists them', async ({ page }) => {
  await waitForFootage(join(dataDir, 'recordings'), 25);
  await page.getByTestId('layout-1').click();
  await page.locator('body').focus();
  await page.keyboard.press('Control+1'); // the first preset: every camera, laid out to fit
  const cameras = (await cameraIds(page)).length; // earlier tests imported more
  await expect(page.getByTestId('wall')).toHaveAttribute('data-layout', cameras <= 4 ? '2x2' : cameras <= 9 ? '3x3' : '4x4');
  await page.getByTestId('layout-2x2').click(); // the moves below are a 2×2 wall's
  await expect(page.getByTestId('tile-0')).toHaveAttribute('data-state', 'live');
  const selected = () => page.evaluate(() => document.activeElement?.getAttribute('data-tile-index') ?? null);

  await page.keyboard.press('3');
  expect(await selected()).toBe('2');
  await page.keyboard.press('ArrowRight');
  expect(await selected()).toBe('3');
  await page.keyboard.press('ArrowUp');
  expect(await selected()).toBe('1');
  await page.keyboard.press('ArrowLeft');
  expect(await selected()).toBe('0');

  const tile = page.getByTestId('tile-0');
  await page.keyboard.press('Enter');
  await expect(tile).toHaveAttribute('data-maximised', 'true');
  await page.keyboard.press('Escape');
  await expect(tile).not.toHaveAttribute('data-maximised', 'true');

  // R: 10 s back; R again: 10 s further; L: live.
  await tile.focus();
  await page.keyboard.press('r');
  await expect(tile).toHaveAttribute('data-mode', 'replay');
  const holder = tile.getByTestId('recorded-holder');
  // It plays 10 s behind now however long loading took; the recording's clock is shown only once the
  // player is there (the HLS engine may first start elsewhere and is put right).
  await expect(holder).toHaveAttribute('data-wall-ms', /\d+/, { timeout: 20_000 });
  // NaN while the new replay's player is not there yet.
  const behind = async () => Date.now() - Number((await holder.getAttribute('data-wall-ms')) ?? NaN);
  expect(await behind()).toBeGreaterThan(6_000);
  expect(await behind(), await replayState(holder, await tile.getAttribute('data-camera-id'))).toBeLessThan(14_000);
  // R again goes 10 s further back from the moment on screen (however long the player has stalled
  // meanwhile on a busy machine, so measured against that moment rather than against now).
  const onScreen = async () => Number((await holder.getAttribute('data-wall-ms')) ?? NaN);
  const before = await onScreen();
  await page.keyboard.press('r');
  await expect.poll(onScreen, { timeout: 20_000 }).toBeLessThan(before - 6_000);
  expect(await onScreen()).toBeGreaterThanOrEqual(before - 10_500);
  await page.keyboard.press('l');
  await expect(tile).toHaveAttribute('data-mode', 'live');

  await tile.focus();
  await page.keyboard.press('b');
  const bookmark = page.getByTestId('bookmark-dialog');
  await expect(bookmark.getByTestId('bookmark-moment')).toContainText(/Camera \d at/);
  await expect(bookmark.getByTestId('bookmark-title')).toHaveValue(''); // the key did not type itself
  await page.keyboard.press('Escape');
  await expect(bookmark).toBeHidden();

  await page.keyboard.press('?');
  const help = page.getByTestId('shortcuts-help');
  await expect(help).toContainText('Ctrl+1 … Ctrl+9');
  await expect(help).toContainText('Instant replay');
  await page.screenshot({ path: join(ARTIFACTS, 'shortcuts-help.png') });
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});
