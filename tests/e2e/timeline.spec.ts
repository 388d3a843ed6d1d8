/**
 * The playback timeline in Chromium against real recordings: a track per camera, bookmarks at their
 * time, a picture of the camera under the pointer, round tick labels, and a window that holds still
 * while playback is paused or a span is marked.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { waitForFootage } from '../fixtures/recording-checks.js';
import { signIn } from '../fixtures/sign-in-page.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
let host: HostProcess;

test.describe.configure({ mode: 'serial' });

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

test('the timeline follows the present while playing, and holds still while paused or while a span is marked', async ({ page }) => {
  test.setTimeout(120_000);
  const panel = await openPlayback(page);
  const timeline = panel.getByTestId('timeline');
  const row = panel.locator('.timeline-row');

  // Playing: the window moves on with the present (it moves every 10 s).
  const first = await windowOf(timeline);
  await expect.poll(async () => (await windowOf(timeline)).toMs, { timeout: 25_000 }).toBeGreaterThan(first.toMs);

  // Paused: it stays where it is, 30 s and more (more than three of its steps).
  await panel.getByTestId('playback-play').click();
  await expect(row).toHaveAttribute('data-following', 'false');
  const held = await windowOf(timeline);
  for (const until = Date.now() + 30_000; Date.now() < until; ) {
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
});
