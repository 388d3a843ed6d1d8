/**
 * Recorded playback end to end: real cameras recording, the browser shell, video.js in Chromium.
 * A seek is checked against the footage itself: the frame on screen is compared with the frames
 * ffmpeg decodes from the recorded file around the requested time.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/e2e-test.js';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { signIn } from '../fixtures/sign-in-page.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { waitForFootage } from '../fixtures/recording-checks.js';
import { giveLookBackReason } from '../fixtures/look-back.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const W = 160;
const H = 90;
let cams: TestCamera[] = [];
let host: HostProcess;
let dataDir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  cams = await Promise.all([1, 2].map((n) => startTestCamera({ codec: 'h264', label: `Playback ${n}` })));
  dataDir = tempDataDir();
  host = await startHostProcess(['--data', dataDir, '--cameras', writeCameraFile(cams.map((c, i) => ({ name: `Playback ${i + 1}`, url: c.url })))]);
  // Instant replay looks back 30 s: that much must be on disk however slowly the cameras started.
  await waitForFootage(join(dataDir, 'recordings'), 32);
});

test.afterAll(async () => {
  await host?.stop();
  await stopAllTestCameras();
});

/** One camera's recorded frame at a wall-clock time, decoded by ffmpeg from the segment file, as RGBA W×H. */
function recordedFrame(cameraId: string, wallMs: number): Buffer | null {
  const folder = join(dataDir, 'recordings', cameraId);
  for (const day of readdirSync(folder).filter((d) => /^\d{4}-/.test(d))) {
    for (const name of readdirSync(join(folder, day))) {
      const m = /^(\d{13})-(\d{13})\.ts$/.exec(name);
      if (!m || wallMs < Number(m[1]) || wallMs >= Number(m[2])) continue;
      const offset = ((wallMs - Number(m[1])) / 1000).toFixed(3);
      // -ss after -i: decode from the segment's start, exact to the frame.
      return execFileSync('ffmpeg', ['-v', 'error', '-i', join(folder, day, name), '-ss', offset, '-frames:v', '1', '-vf', `scale=${W}:${H}`, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-']);
    }
  }
  return null;
}

async function frameOnScreen(page: Page): Promise<Buffer> {
  const data = await page.getByTestId('playback-cell').first().locator('video').evaluate((video: HTMLVideoElement, [w, h]) => {
    const canvas = document.createElement('canvas');
    canvas.width = w!;
    canvas.height = h!;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(video, 0, 0, w!, h!);
    return Array.from(ctx.getImageData(0, 0, w!, h!).data);
  }, [W, H]);
  return Buffer.from(data);
}

function difference(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** Opens playback of the wall's cameras once the timeline shows the recording; where that began. */
async function openPlayback(page: Page) {
  await signIn(page, host);
  await page.getByTestId('open-playback').click();
  await giveLookBackReason(page);
  const panel = page.getByTestId('playback-panel');
  const range = panel.getByTestId('timeline-range').first();
  await expect(range).toBeVisible();
  return { panel, startMs: Number(await range.getAttribute('data-start-ms')) };
}

/**
 * Waits until the panel's first player has finished seeking and holds a decoded picture, paused, and
 * the clock names that picture's time (it reads the player every 250 ms, the holder every 500 ms: when
 * both name the same time they were read after the seek); returns that time. A seek takes as long as
 * the host and the browser need to fetch and decode, so this waits for the state, not a fixed time.
 */
async function settledAt(panel: Locator): Promise<number> {
  const video = panel.getByTestId('playback-cell').first().locator('video');
  const holder = panel.getByTestId('recorded-holder').first();
  const clock = panel.getByTestId('playback-time');
  await expect
    .poll(async () => {
      const still = await video.evaluate((v: HTMLVideoElement) => v.paused && !v.seeking && v.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA);
      const [shown, held] = [Number(await clock.getAttribute('data-wall-ms')), Number(await holder.getAttribute('data-wall-ms'))];
      return still && shown > 0 && Math.abs(shown - held) < 1;
    }, { timeout: 20_000 })
    .toBe(true);
  return Number(await clock.getAttribute('data-wall-ms'));
}

/** Clicks Mark in or out and reads the mark it took, which must be the moment on screen (`shown`) within a second. */
async function markAt(panel: Locator, edge: 'in' | 'out', shown: number): Promise<number> {
  const button = panel.getByTestId(`playback-mark-${edge}`);
  await button.click();
  await expect(button).toHaveAttribute('data-at-ms', /^\d+$/);
  const at = Number(await button.getAttribute('data-at-ms'));
  expect(Math.abs(at - shown), `the ${edge} mark against the moment on screen`).toBeLessThan(1_000);
  return at;
}

/**
 * Holds back the host's answers to one API method (those whose argument `which` picks) until the
 * returned function is called: a busy host answers late, and the page must not act on what it has not got.
 */
async function holdBack(page: Page, method: string, which: (arg: unknown) => boolean = () => true): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(`**/api/${method}`, async (route) => {
    if (which((route.request().postDataJSON() as { arg?: unknown } | null)?.arg)) await released;
    await route.continue();
  });
  return release;
}

/** A time as Watchroom writes it and its time inputs hold it: 24-hour local time, whole seconds. */
function localInput(ms: number): string {
  const t = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
}

test('instant replay goes back from live on one tile and returns to live', async ({ page }) => {
  await signIn(page, host);
  const tile = page.getByTestId('tile-0');
  await expect(tile).toHaveAttribute('data-state', 'live');
  await tile.hover();
  await tile.getByTestId('tile-replay-30').click();
  await expect(tile).toHaveAttribute('data-mode', 'replay');
  const holder = tile.getByTestId('recorded-holder');
  // About 30 s behind now, however long loading took (replay starts that far behind the moment it can
  // play); a stall on a busy machine may add a few seconds, honestly, as the badge then says.
  const behindNow = async () => {
    const wallMs = Number(await holder.getAttribute('data-wall-ms'));
    return wallMs > 0 ? Date.now() - wallMs : NaN;
  };
  await expect.poll(behindNow, { timeout: 20_000 }).toBeGreaterThan(25_000);
  await expect.poll(behindNow, { timeout: 20_000 }).toBeLessThan(40_000);
  await expect(tile.getByTestId('tile-replay-badge')).toBeVisible();
  await page.screenshot({ path: join(ARTIFACTS, 'instant-replay.png') });
  await tile.getByTestId('tile-live').click();
  await expect(tile).toHaveAttribute('data-mode', 'live');
  await expect(tile).toHaveAttribute('data-state', 'live');
});

test('playback on a host that answers late: Playback waits for the wall, Pause pressed while the players load holds them, Play goes on from a seek made meanwhile', async ({ page }) => {
  const releaseWall = await holdBack(page, 'getWall');
  // The players' own recording lists (two hours around the start), not the timeline's ten minutes.
  const releasePlayers = await holdBack(page, 'listRecordings', (arg) => {
    const { fromMs, toMs } = arg as { fromMs: number; toMs: number };
    return toMs - fromMs > 60 * 60_000;
  });
  await signIn(page, host);
  await expect(page.getByTestId('open-playback')).toBeDisabled(); // nothing to play back before the wall is known
  releaseWall();
  await page.getByTestId('open-playback').click();
  await giveLookBackReason(page);
  const panel = page.getByTestId('playback-panel');
  await expect(panel.getByTestId('playback-cell')).toHaveCount(2);
  const range = panel.getByTestId('timeline-range').first();
  await expect(range).toBeVisible();
  const startMs = Number(await range.getAttribute('data-start-ms'));

  await panel.getByTestId('playback-play').click(); // Pause, before any player exists
  await expect(panel.getByTestId('playback-play')).toHaveText('Play');
  releasePlayers();
  const videos = await panel.locator('video').all();
  expect(videos).toHaveLength(2);
  for (const video of videos) {
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && v.paused), { timeout: 20_000 }).toBe(true);
  }

  // A seek while paused, then Play: playback goes on from there, not from where the players began.
  const target = Math.floor((startMs + 20_000) / 1000) * 1000;
  await panel.getByTestId('playback-goto-input').fill(localInput(target));
  await panel.getByTestId('playback-goto').click();
  expect(Math.abs((await settledAt(panel)) - target)).toBeLessThan(1_500);
  await panel.getByTestId('playback-play').click();
  const seen: number[] = [];
  const shownAt = async () => Number(await panel.getByTestId('playback-time').getAttribute('data-wall-ms'));
  await expect.poll(async () => (seen.push(await shownAt()), seen.at(-1)), { timeout: 20_000 }).toBeGreaterThan(target + 1_000);
  expect(Math.min(...seen), JSON.stringify(seen)).toBeGreaterThan(target - 1_500);
});

test('playback: the timeline shows the recording, a seek shows the frame recorded at that time, speed changes', async ({ page }) => {
  const { panel, startMs } = await openPlayback(page);
  await expect(panel.getByTestId('playback-cell')).toHaveCount(2);
  const endMs = Number(await panel.getByTestId('timeline-range').first().getAttribute('data-end-ms'));
  expect(endMs - startMs).toBeGreaterThan(15_000);

  // Click the timeline at a point inside the recording, 8 s after it began.
  const target = startMs + 8_000;
  const timeline = panel.getByTestId('timeline');
  const [fromMs, toMs] = [Number(await timeline.getAttribute('data-from-ms')), Number(await timeline.getAttribute('data-to-ms'))];
  const bar = await timeline.locator('.timeline-bar').boundingBox();
  await page.getByTestId('playback-play').click(); // pause, so the frame holds still
  await page.mouse.click(bar!.x + ((target - fromMs) / (toMs - fromMs)) * bar!.width, bar!.y + bar!.height / 2);
  const shownAt = async () => Number(await panel.getByTestId('playback-time').getAttribute('data-wall-ms'));
  // The seek lands where the click was: on the default 10-minute timeline a pixel is about half a second.
  const wall = await settledAt(panel);
  expect(Math.abs(wall - target)).toBeLessThan(2_000);
  await expect(panel.getByTestId('playback-time')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  await page.screenshot({ path: join(ARTIFACTS, 'playback-seek.png') });

  // Which recorded moment does the picture show? The best match among frames around it must be
  // within a second of the time the player reports.
  // Compared with the first cell's own camera: the two test cameras' pictures differ (label, ball).
  const screen = await frameOnScreen(page);
  const cameraId = (await panel.getByTestId('playback-cell').first().getAttribute('data-camera-id'))!;
  const candidates = [-3000, -2000, -1000, -500, 0, 500, 1000, 2000, 3000].map((d) => ({ d, frame: recordedFrame(cameraId, wall + d) }));
  const scored = candidates.filter((c) => c.frame).map((c) => ({ d: c.d, diff: difference(screen, c.frame!) }));
  scored.sort((a, b) => a.diff - b.diff);
  expect(scored.length).toBeGreaterThanOrEqual(5);
  expect(Math.abs(scored[0]!.d), JSON.stringify(scored)).toBeLessThanOrEqual(1000);

  // 4×: every player runs at that rate, and the recorded clock moves on from the seek (how fast it
  // moves in real time depends on the machine's load, so that is for bench/, not for this test).
  await page.getByTestId('playback-speed').selectOption('4');
  await page.getByTestId('playback-play').click();
  for (const video of await panel.locator('video').all()) {
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.playbackRate)).toBe(4);
  }
  await expect.poll(shownAt, { timeout: 20_000 }).toBeGreaterThan(wall + 4_000);
});

test('playback: hovering names the time, "Go to" a typed time seeks every camera there, the timeline pans', async ({ page }) => {
  const { panel, startMs } = await openPlayback(page);

  // Hover over the middle of the recorded range: the label names that local time.
  const timeline = panel.getByTestId('timeline');
  const [fromMs, toMs] = [Number(await timeline.getAttribute('data-from-ms')), Number(await timeline.getAttribute('data-to-ms'))];
  const bar = (await timeline.locator('.timeline-bar').boundingBox())!;
  const xAt = (ms: number) => bar.x + ((ms - fromMs) / (toMs - fromMs)) * bar.width;
  await page.mouse.move(xAt(startMs + 10_000), bar.y + bar.height / 2);
  const label = panel.getByTestId('timeline-pointer');
  await expect(label).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  const hovered = new Date((await label.textContent())!.replace(' ', 'T')).getTime();
  expect(Math.abs(hovered - (startMs + 10_000))).toBeLessThan(2_000);
  await page.mouse.move(xAt(fromMs + 1_000), bar.y + bar.height / 2); // before anything was recorded
  await expect(label).toContainText('not recorded');
  await page.screenshot({ path: join(ARTIFACTS, 'playback-hover.png') });

  // Type a local date and time; both cameras go there.
  const target = startMs + 12_000;
  await panel.getByTestId('playback-goto-input').fill(localInput(target));
  await panel.getByTestId('playback-goto').click();
  const second = Math.floor(target / 1000) * 1000; // the input holds whole seconds
  for (const holder of await panel.getByTestId('recorded-holder').all()) {
    await expect.poll(async () => Math.abs(Number(await holder.getAttribute('data-wall-ms')) - second), { timeout: 15_000 }).toBeLessThan(3_000);
  }

  // A time in the future is refused with a reason, and so is a time in the browser's US form.
  await panel.getByTestId('playback-goto-input').fill(`${new Date().getFullYear() + 1}-01-01 00:00:00`);
  await panel.getByTestId('playback-goto').click();
  await expect(panel.getByTestId('playback-goto-error')).toHaveText('Pick a date and time in the past.');
  await panel.getByTestId('playback-goto-input').fill('12/01/2026, 02:04:11 PM');
  await panel.getByTestId('playback-goto').click();
  await expect(panel.getByTestId('playback-goto-error')).toHaveText('Write the time as 2026-12-01 14:05:09.');
  await expect(panel.getByTestId('playback-goto-input')).toHaveAttribute('placeholder', 'YYYY-MM-DD HH:MM:SS');

  // Earlier pans the window back by half its width; Now returns to the present.
  await expect(panel.getByTestId('timeline-now')).toBeDisabled();
  await panel.getByTestId('timeline-earlier').click();
  await expect.poll(async () => Number(await timeline.getAttribute('data-to-ms'))).toBeLessThan(toMs - 4 * 60_000);
  await expect(panel.getByTestId('timeline-now')).toBeEnabled();
  await panel.getByTestId('timeline-now').click();
  await expect.poll(async () => Number(await timeline.getAttribute('data-to-ms'))).toBeGreaterThanOrEqual(toMs);
});

test('export from playback: mark in and out on the timeline, choose the cameras, and the package covers that span', async ({ page }) => {
  const { panel, startMs } = await openPlayback(page);
  await panel.getByTestId('playback-play').click(); // pause: marks are taken at the moment on screen
  const goal = Math.floor((startMs + 5_000) / 1000) * 1000;
  await panel.getByTestId('playback-goto-input').fill(localInput(goal));
  await panel.getByTestId('playback-goto').click();
  // Marks take the moment on screen (within a frame of the clock's reading, once the seek has
  // settled); the dialog then shows the marks as taken, to the second.
  const shownIn = await settledAt(panel);
  expect(Math.abs(shownIn - goal)).toBeLessThan(1_500);
  const markIn = await markAt(panel, 'in', shownIn);
  await panel.getByTestId('playback-forward').click();
  const shownOut = await settledAt(panel);
  expect(shownOut).toBeGreaterThan(shownIn + 8_000);
  const markOut = await markAt(panel, 'out', shownOut);
  await expect(panel.getByTestId('timeline-marked')).toBeVisible();
  await page.screenshot({ path: join(ARTIFACTS, 'playback-marked.png') });

  await panel.getByTestId('playback-export').click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog.getByTestId('export-fromMs')).toHaveValue(localInput(markIn));
  await expect(dialog.getByTestId('export-toMs')).toHaveValue(localInput(markOut));
  // A reversed range is refused beside the field, and nothing starts.
  await dialog.getByTestId('export-toMs').fill(localInput(markIn - 10_000));
  await dialog.getByTestId('export-reason').fill('Fight reported by the bus driver');
  await dialog.getByTestId('export-caseReference').fill('CASE-PB-1');
  await dialog.getByTestId('export-start').click();
  await expect(dialog.getByTestId('export-error-toMs')).toContainText('end of the range must come after its start');
  await dialog.getByTestId('export-toMs').fill(localInput(markOut));
  await expect(dialog.getByTestId('export-camera')).toHaveCount(2);
  await dialog.getByTestId('export-camera').nth(1).uncheck();
  await dialog.getByTestId('export-working-copy').uncheck();
  await page.screenshot({ path: join(ARTIFACTS, 'export-from-playback.png') });
  await dialog.getByTestId('export-start').click();
  await expect(dialog.getByTestId('export-done')).toBeVisible({ timeout: 60_000 });
  const packagePath = (await dialog.getByTestId('export-done').locator('code').textContent())!;
  const manifest = JSON.parse(readFileSync(join(packagePath, 'manifest.json'), 'utf8')) as { requested: { startUtc: string; endUtc: string }; cameras: Array<{ name: string }> };
  expect(manifest.cameras.map((c) => c.name)).toEqual(['Playback 1']);
  // The dialog holds whole seconds of local time; the package says the same span in UTC.
  expect(manifest.requested.startUtc).toBe(new Date(Math.floor(markIn / 1000) * 1000).toISOString());
  expect(manifest.requested.endUtc).toBe(new Date(Math.floor(markOut / 1000) * 1000).toISOString());
});

test('retention settings: what recordings use, errors beside the field, saved and audited', async ({ page }) => {
  await signIn(page, host);
  await page.getByTestId('person-menu').locator('summary').click();
  await page.getByTestId('open-retention').click();
  const dialog = page.getByTestId('retention-dialog');
  await expect(dialog.getByTestId('retention-maxAgeDays')).toHaveValue('31');
  const usage = dialog.getByTestId('storage-usage');
  await expect(usage).toContainText(/Recordings use [\d.]+ GB, oldest from \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\./);
  expect(Number(await usage.getAttribute('data-used-bytes'))).toBeGreaterThan(100_000);

  await dialog.getByTestId('retention-maxAgeDays').fill('0');
  await dialog.getByTestId('retention-maxBytesPerCamera').fill('9999');
  await dialog.getByTestId('retention-save').click();
  await expect(dialog.getByTestId('retention-error-maxAgeDays')).toHaveText('Keep footage for at least 1 day.');
  await page.screenshot({ path: join(ARTIFACTS, 'retention-errors.png') });

  await dialog.getByTestId('retention-maxAgeDays').fill('14');
  await dialog.getByTestId('retention-save').click();
  await expect(dialog.getByTestId('retention-error-maxBytesPerCamera')).toHaveText("A camera's quota cannot be larger than the total.");
  await dialog.getByTestId('retention-maxBytesPerCamera').fill('50');
  await dialog.getByTestId('retention-save').click();
  await expect(dialog).toBeHidden();

  await page.getByTestId('person-menu').locator('summary').click();
  await page.getByTestId('open-retention').click();
  await expect(dialog.getByTestId('retention-maxAgeDays')).toHaveValue('14');
  await expect(dialog.getByTestId('retention-maxBytesPerCamera')).toHaveValue('50');
  const audit = await host.call('listAudit', { limit: 1000 });
  const changes = audit.filter((e) => e.action === 'settings.retention');
  expect(changes.map((e) => (e.details as { after: { maxAgeDays: number } }).after.maxAgeDays)).toEqual([14]);
  expect(changes.map((e) => [e.actor, e.role])).toEqual([['tester', 'admin']]);
});
