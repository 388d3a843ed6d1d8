/**
 * The playback timeline in Chromium against real recordings: a track per camera, bookmarks at their
 * time, a picture of the camera under the pointer, round tick labels, and a window that holds still
 * while playback is paused or a span is marked.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/e2e-test.js';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { waitForFootage } from '../fixtures/recording-checks.js';
import { signIn } from '../fixtures/sign-in-page.js';
import { giveLookBackReason } from '../fixtures/look-back.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
let host: HostProcess;

test.describe.configure({ mode: 'serial' });
// A zone half an hour off UTC (the host runs in UTC): round ticks and UTC for evidence must hold there too.
const ZONE_OFFSET_MS = 5.5 * 3_600_000;
test.use({ timezoneId: 'Asia/Kolkata' });

/** A time as the page writes it in that zone, and in UTC. */
const written = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const localText = (ms: number) => written(ms + ZONE_OFFSET_MS);
const utcText = (ms: number) => `${written(ms)} UTC`;

test.beforeAll(async () => {
  const cams = await Promise.all(['Gate', 'Loading bay'].map((label) => startTestCamera({ codec: 'h264', label })));
  const dataDir = tempDataDir();
  host = await startHostProcess(['--data', dataDir, '--cameras', writeCameraFile([{ name: 'Gate', url: cams[0]!.url }, { name: 'Loading bay', url: cams[1]!.url }])]);
  await waitForFootage(join(dataDir, 'recordings'), 20);
});

test.afterAll(async () => {
  await host?.stop();
  await stopAllTestCameras();
});

async function openPlayback(page: Page): Promise<Locator> {
  await signIn(page, host);
  await page.getByTestId('open-playback').click();
  await giveLookBackReason(page);
  const panel = page.getByTestId('playback-panel');
  await expect(panel.getByTestId('timeline-range').first()).toBeVisible();
  return panel;
}

/** The timeline's window as it says it is. */
async function windowOf(timeline: Locator): Promise<{ fromMs: number; toMs: number }> {
  return { fromMs: Number(await timeline.getAttribute('data-from-ms')), toMs: Number(await timeline.getAttribute('data-to-ms')) };
}

test('a track per camera with its name, a bookmark at its time on its camera’s track (a click seeks there), round tick labels', async ({ page }) => {
  const cameras = await host.call('listCameras');
  const bay = cameras.find((c) => c.name === 'Loading bay')!;
  const [range] = await host.call('listRecordings', { cameraId: bay.id, fromMs: Date.now() - 10 * 60_000, toMs: Date.now() });
  const atMs = range!.startMs + 6_000;
  await host.call('createBookmark', { cameraIds: [bay.id], atMs, beforeMs: 5_000, afterMs: 5_000, title: 'Van backs into the gate', notes: '', tags: [], caseReference: '' });

  const panel = await openPlayback(page);
  const timeline = panel.getByTestId('timeline');
  const tracks = timeline.getByTestId('timeline-track');
  await expect(tracks).toHaveCount(2);
  await expect(timeline.locator('.timeline-name')).toHaveText(['Gate', 'Loading bay']);
  for (const track of await tracks.all()) await expect(track.getByTestId('timeline-range').first()).toBeVisible();

  // The marker sits on the bay's track only, where its moment is.
  const bayTrack = timeline.locator(`[data-testid="timeline-track"][data-camera-id="${bay.id}"]`);
  const marker = bayTrack.getByTestId('timeline-bookmark');
  await expect(marker).toHaveCount(1);
  await expect(timeline.getByTestId('timeline-bookmark')).toHaveCount(1);
  await expect(marker).toHaveAttribute('title', /^Van backs into the gate · \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  const { fromMs, toMs } = await windowOf(timeline);
  const bar = (await bayTrack.boundingBox())!;
  const box = (await marker.boundingBox())!;
  expect(Math.abs(box.x + box.width / 2 - (bar.x + ((atMs - fromMs) / (toMs - fromMs)) * bar.width))).toBeLessThan(3);

  // Ticks at round minutes of a 10-minute window.
  const labels = await timeline.getByTestId('timeline-tick').allTextContents();
  expect(labels.length).toBeGreaterThanOrEqual(4);
  for (const label of labels) expect(label).toMatch(/^(\d{2}:\d[02468]|\d{4}-\d{2}-\d{2})$/);
  await page.screenshot({ path: join(ARTIFACTS, 'timeline-tracks.png') });

  await panel.getByTestId('playback-play').click(); // pause, so the moment on screen holds
  await marker.click();
  for (const holder of await panel.getByTestId('recorded-holder').all()) {
    await expect.poll(async () => Math.abs(Number(await holder.getAttribute('data-wall-ms')) - atMs), { timeout: 20_000 }).toBeLessThan(1_500);
  }
});

test('hovering over a track shows that camera’s picture at that moment, made from its recording', async ({ page }) => {
  const panel = await openPlayback(page);
  const timeline = panel.getByTestId('timeline');
  const track = timeline.getByTestId('timeline-track').nth(1);
  const range = track.getByTestId('timeline-range').first();
  const startMs = Number(await range.getAttribute('data-start-ms'));
  const { fromMs, toMs } = await windowOf(timeline);
  const bar = (await track.boundingBox())!;
  await page.mouse.move(bar.x + ((startMs + 4_000 - fromMs) / (toMs - fromMs)) * bar.width, bar.y + bar.height / 2);
  const thumb = timeline.getByTestId('timeline-thumb');
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
  await expect(timeline.locator('.timeline-hover')).toHaveAttribute('data-camera-id', (await track.getAttribute('data-camera-id'))!);
  await page.screenshot({ path: join(ARTIFACTS, 'timeline-thumbnail.png') });

  // Over a moment nothing was recorded: no picture, and the label says so.
  await page.mouse.move(bar.x + 2, bar.y + bar.height / 2);
  await expect(timeline.getByTestId('timeline-pointer')).toContainText('not recorded');
  await expect(thumb).toHaveCount(0);
});

test('the timeline follows the present while playing, and holds still while paused, while a span is marked, or after an export from it', async ({ page }) => {
  test.setTimeout(180_000);
  const panel = await openPlayback(page);
  const timeline = panel.getByTestId('timeline');
  const row = panel.locator('.timeline-row');

  // Playing: the window moves on with the present (it moves every 10 s).
  const first = await windowOf(timeline);
  await expect.poll(async () => (await windowOf(timeline)).toMs, { timeout: 25_000 }).toBeGreaterThan(first.toMs);

  // Paused: it stays where it is for 15 s (one and a half of its steps: following, it would have moved).
  await panel.getByTestId('playback-play').click();
  await expect(row).toHaveAttribute('data-following', 'false');
  const held = await windowOf(timeline);
  for (const until = Date.now() + 15_000; Date.now() < until; ) {
    expect(await windowOf(timeline)).toEqual(held);
    await page.waitForTimeout(1_000);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'timeline-paused.png') });

  // Playing again it follows; a mark holds it again, and clearing the marks lets it go.
  await panel.getByTestId('playback-play').click();
  await expect(row).toHaveAttribute('data-following', 'true');
  await expect.poll(async () => (await windowOf(timeline)).toMs, { timeout: 25_000 }).toBeGreaterThan(held.toMs);
  await expect(panel.getByTestId('playback-mark-in')).toBeEnabled();
  await panel.getByTestId('playback-mark-in').click();
  await expect(row).toHaveAttribute('data-following', 'false');
  await panel.getByTestId('playback-clear-marks').click();
  await expect(row).toHaveAttribute('data-following', 'true');

  // An export made from the view holds it too, after its dialog has closed, until Now is asked for.
  await panel.getByTestId('playback-export').click();
  await expect(row).toHaveAttribute('data-following', 'false');
  await page.getByTestId('export-dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('export-dialog')).toHaveCount(0);
  await expect(row).toHaveAttribute('data-following', 'false');
  await panel.getByTestId('timeline-now').click();
  await expect(row).toHaveAttribute('data-following', 'true');
});

test('export from playback: From and To in 24-hour local time, the span the package will state in UTC, a US-style time refused in a sentence', async ({ page }) => {
  const panel = await openPlayback(page);
  await panel.getByTestId('playback-play').click();
  await expect(panel.getByTestId('playback-time')).toHaveAttribute('data-wall-ms', /\d+/);
  await panel.getByTestId('playback-export').click();
  const dialog = page.getByTestId('export-dialog');
  const from = dialog.getByTestId('export-fromMs');
  const fromText = await from.inputValue();
  expect(fromText).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  const fromMs = Date.parse(`${fromText.replace(' ', 'T')}Z`) - ZONE_OFFSET_MS;
  const toMs = Date.parse(`${(await dialog.getByTestId('export-toMs').inputValue()).replace(' ', 'T')}Z`) - ZONE_OFFSET_MS;
  await expect(dialog.getByTestId('export-span-utc')).toHaveText(`In the package: ${utcText(fromMs)} – ${utcText(toMs)}`);

  // A shorter form is read too (no seconds); the UTC line follows what is typed.
  const earlier = Math.floor((fromMs - 60_000) / 60_000) * 60_000;
  await from.fill(localText(earlier).slice(0, 16));
  await expect(dialog.getByTestId('export-span-utc')).toHaveText(`In the package: ${utcText(earlier)} – ${utcText(toMs)}`);
  await page.screenshot({ path: join(ARTIFACTS, 'timeline-export-utc.png') });

  await from.fill('12/01/2026, 02:04:11 PM');
  await expect(dialog.getByTestId('export-span-utc')).toHaveCount(0);
  await dialog.getByTestId('export-start').click();
  await expect(dialog.getByTestId('export-error-fromMs')).toHaveText('Write the time as 2026-12-01 14:05:09.');
});

test('incidents filters take a typed day or moment in 24-hour local time, and refuse the browser’s US form in a sentence', async ({ page }) => {
  const [bookmark] = await host.call('listBookmarks', {});
  await signIn(page, host);
  await page.getByTestId('open-incidents').click();
  const panel = page.getByTestId('incidents-panel');
  await expect(panel.getByTestId('incident')).toHaveCount(1);
  const from = panel.getByTestId('incidents-from');
  const to = panel.getByTestId('incidents-to');
  await expect(from).toHaveAttribute('placeholder', 'YYYY-MM-DD [HH:MM]');

  const day = localText(bookmark!.atMs).slice(0, 10);
  await from.fill(day);
  await to.fill(day);
  await to.press('Enter');
  await expect(panel.getByTestId('incident')).toHaveCount(1); // a day alone covers the whole day
  await from.fill(localText(bookmark!.atMs + 60_000).slice(0, 16));
  await from.press('Enter');
  await expect(panel.getByTestId('incident')).toHaveCount(0); // from a minute after it
  await from.fill('12/01/2026');
  await from.press('Enter');
  await expect(panel.getByTestId('incidents-from-error')).toHaveText('From: Write the date as 2026-12-01, or a moment as 2026-12-01 14:05:09.');
  await expect(panel.getByTestId('incident')).toHaveCount(1); // a filter that cannot be read filters nothing
  await page.screenshot({ path: join(ARTIFACTS, 'incidents-filters.png') });
});
