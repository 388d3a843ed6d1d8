/**
 * Privacy masks on screen, end to end (a real camera with a sub-stream, the browser shell, Chromium):
 * an administrator draws a mask in the editor, and the live tile, the maximised tile, the sub-stream
 * tile and playback each show the fill over that part of the picture. Checked on screenshots: inside
 * the mask's rectangle on screen every pixel is the fill, around it the picture is not.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/e2e-test.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MASK_FILL_RGB } from '../../shared/masks.js';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { waitForFootage } from '../fixtures/recording-checks.js';
import { signIn } from '../fixtures/sign-in-page.js';
import { giveLookBackReason } from '../fixtures/look-back.js';
import { TEST_PASSWORD } from '../fixtures/people.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
/** The mask drawn: a rectangle, as fractions of the picture. */
const MASK = { left: 0.25, top: 0.2, right: 0.6, bottom: 0.65 };
let host: HostProcess;
let dataDir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const [main, sub] = await Promise.all([
    startTestCamera({ codec: 'h264', width: 1280, height: 720, label: 'Yard (main)' }),
    startTestCamera({ codec: 'h264', width: 320, height: 180, label: 'Yard (sub)' }),
  ]);
  dataDir = tempDataDir();
  host = await startHostProcess(['--data', dataDir, '--cameras', writeCameraFile([{ name: 'Yard', url: main.url, subUrl: sub.url }])]);
  // The editor draws on a frame from 15 s ago; playback needs footage too.
  await waitForFootage(join(dataDir, 'recordings'), 20);
});

test.afterAll(async () => {
  await host?.stop();
  await stopAllTestCameras();
});

/** A screenshot of the page as RGB bytes, saved under tests/artifacts/ to be looked at. */
async function screenshot(page: Page, name: string): Promise<{ rgb: Buffer; width: number }> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `privacy-masks-${name}.png`);
  writeFileSync(file, await page.screenshot());
  const width = page.viewportSize()!.width;
  return { rgb: execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 28 }), width };
}

/**
 * The mask on screen where `video` draws its picture (object-fit: contain inside the element), from
 * the video's own size: inside it every pixel is the fill; in a band around it, most are not.
 */
async function expectMaskShown(page: Page, video: Locator, name: string, shown = true): Promise<void> {
  // Read in one go with the picture's size: a tile may swap its video element (main for sub) between
  // two reads, and a new element has no size yet.
  const geometry = () =>
    video.evaluate((v: HTMLVideoElement) => {
      if (!v.videoWidth || !v.videoHeight || v.readyState < 1) return null;
      const r = v.getBoundingClientRect();
      const scale = Math.min(r.width / v.videoWidth, r.height / v.videoHeight);
      const w = v.videoWidth * scale;
      const h = v.videoHeight * scale;
      return { left: r.left + (r.width - w) / 2, top: r.top + (r.height - h) / 2, width: w, height: h };
    });
  // The picture read where it is before and after the screenshot, and the same both times: a page
  // still laying out (a starved one, just signed in) would otherwise be judged where it no longer is.
  let shot = null as { picture: NonNullable<Awaited<ReturnType<typeof geometry>>>; rgb: Buffer; width: number } | null;
  await expect
    .poll(async () => {
      const before = await geometry();
      if (!before) return false;
      const taken = await screenshot(page, name);
      const after = await geometry();
      if (JSON.stringify(after) !== JSON.stringify(before)) return false;
      shot = { picture: before, ...taken };
      return true;
    }, { message: `${name}: the picture still on screen where it was read`, timeout: 30_000 })
    .toBe(true);
  const { picture, rgb, width } = shot!;
  const rect = { left: picture.left + MASK.left * picture.width, top: picture.top + MASK.top * picture.height, right: picture.left + MASK.right * picture.width, bottom: picture.top + MASK.bottom * picture.height };
  const isFill = (x: number, y: number) => {
    const at = (Math.round(y) * width + Math.round(x)) * 3;
    return [0, 1, 2].every((c) => Math.abs(rgb[at + c]! - MASK_FILL_RGB[c]!) <= 3);
  };
  let inside = 0;
  let insideFill = 0;
  for (let y = rect.top + 3; y < rect.bottom - 3; y += 2) {
    for (let x = rect.left + 3; x < rect.right - 3; x += 2) {
      inside++;
      if (isFill(x, y)) insideFill++;
    }
  }
  // A band 4–12 px outside the mask, within the picture.
  let around = 0;
  let aroundFill = 0;
  for (let y = Math.max(picture.top, rect.top - 12); y < Math.min(picture.top + picture.height, rect.bottom + 12); y += 2) {
    for (let x = Math.max(picture.left, rect.left - 12); x < Math.min(picture.left + picture.width, rect.right + 12); x += 2) {
      const outside = x < rect.left - 4 || x > rect.right + 4 || y < rect.top - 4 || y > rect.bottom + 4;
      if (!outside) continue;
      around++;
      if (isFill(x, y)) aroundFill++;
    }
  }
  expect(inside, name).toBeGreaterThan(100);
  // Lifted: the picture behind the mask (mostly the dark test scene), hardly any of it the fill.
  if (!shown) return expect(insideFill / inside, `${name}: share of the fill where the lifted mask was`).toBeLessThan(0.05);
  expect(insideFill, `${name}: pixels inside the mask that are the fill`).toBe(inside);
  expect(aroundFill / around, `${name}: share of the fill around the mask`).toBeLessThan(0.05);
}

test('an administrator draws a mask; the live tile, the maximised tile, the sub-stream tile, instant replay and playback all show it', async ({ page }) => {
  await signIn(page, host);
  const tile = page.getByTestId('tile-0');
  await expect(tile).toHaveAttribute('data-state', 'live');

  // The editor: four clicks, then the first point again closes the rectangle; Save.
  await page.getByTestId('camera-item').filter({ hasText: 'Yard' }).getByTestId('camera-masks').click();
  const editor = page.getByTestId('mask-editor');
  await expect(editor.getByTestId('mask-editor-frame')).toBeVisible();
  const canvas = editor.getByTestId('mask-editor-canvas');
  const box = (await canvas.boundingBox())!;
  const corners = [[MASK.left, MASK.top], [MASK.right, MASK.top], [MASK.right, MASK.bottom], [MASK.left, MASK.bottom], [MASK.left, MASK.top]];
  for (const [x, y] of corners) await canvas.click({ position: { x: x! * box.width, y: y! * box.height } });
  await expect(editor.getByTestId('mask-item')).toHaveCount(1);
  await page.screenshot({ path: join(ARTIFACTS, 'privacy-masks-editor.png') });
  await editor.getByTestId('mask-save').click();
  await expect(editor).toBeHidden();

  // The live tile on the main stream (2×2).
  await expect(tile).toHaveAttribute('data-stream', 'main');
  await expect(tile.getByTestId('mask-overlay')).toBeVisible();
  await expectMaskShown(page, tile.getByTestId('tile-video'), 'live-main');

  // Maximised.
  await tile.dblclick();
  await expect(tile).toHaveAttribute('data-maximised', 'true');
  await expect.poll(() => tile.getByTestId('tile-video').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(1280);
  await expectMaskShown(page, tile.getByTestId('tile-video'), 'maximised');
  await tile.dblclick();
  await expect(tile).not.toHaveAttribute('data-maximised', 'true');

  // The sub-stream, in a 3×3 layout.
  await page.getByTestId('layout-3x3').click();
  await expect(tile).toHaveAttribute('data-stream', 'sub');
  await expect.poll(() => tile.getByTestId('tile-video').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(320);
  await expectMaskShown(page, tile.getByTestId('tile-video'), 'live-sub');

  // Instant replay on the tile (the recording, of the main stream).
  await tile.click({ button: 'right' });
  await page.getByTestId('tile-menu-replay-10').click();
  await expect(tile).toHaveAttribute('data-state', 'replay');
  await expect(tile.getByTestId('recorded-holder').getByTestId('mask-overlay')).toBeVisible();
  await expectMaskShown(page, tile.getByTestId('recorded-holder').locator('video'), 'instant-replay');
  await tile.click({ button: 'right' });
  await page.getByTestId('tile-menu-live').click();
  await expect(tile).not.toHaveAttribute('data-state', 'replay');

  // Playback of the recording.
  await page.getByTestId('open-playback').click();
  await giveLookBackReason(page);
  const cell = page.getByTestId('playback-panel').getByTestId('playback-cell').first();
  await expect(cell.getByTestId('mask-overlay')).toBeVisible();
  await expectMaskShown(page, cell.locator('video'), 'playback');

  // Exporting from playback says the masks will be burned in, and offers an administrator the unmasked masters.
  await page.getByTestId('playback-export').click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog.getByTestId('export-masks')).toContainText('Privacy masks will be burned into a working copy of Yard');
  await dialog.getByTestId('export-unmasked').check();
  await expect(dialog.getByTestId('export-unmasked-reason')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

test('a lift is its person’s own: the evidence officer sees behind the mask with a badge, the administrator still sees the fill', async ({ page, browser }) => {
  await host.call('addPerson', { name: 'evie', displayName: 'Evie Officer', role: 'evidence-officer', password: TEST_PASSWORD });
  const officer = await (await browser.newContext({ viewport: page.viewportSize()! })).newPage();
  await signIn(officer, host, 'evie');
  const theirs = officer.getByTestId('tile-0');
  await expect(theirs).toHaveAttribute('data-state', 'live');
  await expectMaskShown(officer, theirs.getByTestId('tile-video'), 'officer-before-lift');

  // Lift from the tile's menu, with a reason.
  await theirs.click({ button: 'right' });
  await officer.getByTestId('tile-menu-masks').click();
  await officer.getByTestId('lift-reason').fill('Case 12: checking the yard gate');
  await officer.getByTestId('lift-minutes').fill('5');
  await officer.getByTestId('lift-submit').click();
  await expect(theirs.getByTestId('mask-lifted')).toHaveText(/^Mask lifted until \d\d:\d\d$/);
  await expect(theirs.getByTestId('mask-overlay')).toHaveCount(0);
  await expectMaskShown(officer, theirs.getByTestId('tile-video'), 'officer-lifted', false);

  // The administrator, who did not lift it, still sees the fill and no badge.
  await signIn(page, host);
  const mine = page.getByTestId('tile-0');
  await expect(mine.getByTestId('mask-overlay')).toBeVisible();
  await expect(mine.getByTestId('mask-lifted')).toHaveCount(0);
  await expectMaskShown(page, mine.getByTestId('tile-video'), 'admin-during-lift');

  // Restored by hand: the fill is back for the officer.
  await theirs.click({ button: 'right' });
  await officer.getByTestId('tile-menu-masks').click();
  await officer.getByTestId('restore-masks').click();
  await expect(theirs.getByTestId('mask-overlay')).toBeVisible();
  await expectMaskShown(officer, theirs.getByTestId('tile-video'), 'officer-restored');
  await officer.context().close();
});

test('fails closed: until the masks are known, the picture is covered whole', async ({ page }) => {
  // The masks' answer is held back; the live picture must not show meanwhile.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/listMasks', async (route) => {
    await held;
    await route.continue();
  });
  await signIn(page, host);
  const tile = page.getByTestId('tile-0');
  await expect(tile).toHaveAttribute('data-state', 'live');
  await expect(tile.getByTestId('mask-pending')).toBeVisible();
  await expect(tile.getByTestId('mask-overlay')).toHaveCount(0);
  release();
  await expect(tile.getByTestId('mask-overlay')).toBeVisible();
  await expect(tile.getByTestId('mask-pending')).toHaveCount(0);
});
