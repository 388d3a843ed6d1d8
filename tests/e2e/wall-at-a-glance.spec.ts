/**
 * A wall read at a glance, as an operator on a long shift reads it: at 1280×720 and 1920×1080, in 3×3
 * and 4×4, every tile shows its camera's name, its state and whether it records, and no header control
 * spills out of its tile. Then the selected tile's keys and its menu: B bookmarks without typing "b",
 * R replays from 10 s back and says so, L returns to live, the menu's items act.
 * Real RTSP cameras (two GStreamer servers shared by sixteen camera entries), the built browser shell.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/e2e-test.js';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { signIn } from '../fixtures/sign-in-page.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { waitForFootage } from '../fixtures/recording-checks.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const NAMES = [
  'Yardley Road North Entrance', 'Demesne Car Park Level 2', 'Loading Bay East Shutter', 'Reception Lobby Main Desk',
  'Harbour Gate Vehicle Lane', 'Stairwell B Ground Floor', 'Server Room Cold Aisle', 'Canteen Service Counter',
  'Platform 4 Southbound End', 'Bicycle Store Rear Door', 'Visitor Turnstiles West', 'Goods Lift Landing L3',
  'Perimeter Fence Sector 7', 'Fire Exit Corridor C', 'Post Room Sorting Bench', 'Roof Plant Access Hatch',
];

let cams: TestCamera[] = [];
let host: HostProcess;
let dataDir: string;
let ids: string[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  cams = await Promise.all([1, 2].map((n) => startTestCamera({ codec: 'h264', width: 320, height: 240, fps: 10, label: `Cam ${n}` })));
  dataDir = tempDataDir();
  host = await startHostProcess(['--data', dataDir, '--cameras', writeCameraFile(NAMES.map((name, i) => ({ name, url: cams[i % 2]!.url, subUrl: cams[(i + 1) % 2]!.url })))]);
  ids = (await host.call('listCameras')).map((c) => c.id);
});

test.afterAll(async () => {
  await host?.stop();
  await stopAllTestCameras();
});

async function showWall(page: Page, layout: '3x3' | '4x4'): Promise<void> {
  await host.call('setWall', { wallId: 'wall-1', state: { layout, tiles: ids } });
  await expect(page.getByTestId('wall')).toHaveAttribute('data-layout', layout);
}

/**
 * What a tile's name shows, measured on the page: whether its box lies inside the tile's, and how
 * many of its characters are drawn before the ellipsis (all of them when it is not cut).
 */
function nameShown(tile: Locator) {
  return tile.evaluate((el) => {
    const name = el.querySelector<HTMLElement>('[data-testid="tile-name"]')!;
    const [box, tileBox] = [name.getBoundingClientRect(), el.getBoundingClientRect()];
    const inside = box.width > 0 && box.left >= tileBox.left - 0.5 && box.right <= tileBox.right + 0.5 && box.top >= tileBox.top - 0.5 && box.bottom <= tileBox.bottom + 0.5;
    const text = name.firstChild!;
    const length = name.textContent!.length;
    if (name.scrollWidth <= name.clientWidth) return { inside, chars: length, length };
    // Cut: count the characters that end before the ellipsis (about one em of the box's end).
    const ellipsis = parseFloat(getComputedStyle(name).fontSize);
    const range = document.createRange();
    let chars = 0;
    for (let i = 0; i < length; i++) {
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      if (range.getBoundingClientRect().right <= box.right - ellipsis) chars = i + 1;
    }
    return { inside, chars, length };
  });
}

/** The header's visible controls that are not wholly inside the tile, and the header's height. */
function headerOverflow(tile: Locator) {
  return tile.evaluate((el) => {
    const tileBox = el.getBoundingClientRect();
    const bar = el.querySelector<HTMLElement>('[data-testid="tile-bar"]')!;
    const outside = [...bar.querySelectorAll<HTMLElement>('*')]
      .filter((c) => c.getClientRects().length > 0)
      .filter((c) => {
        const b = c.getBoundingClientRect();
        return b.left < tileBox.left - 0.5 || b.right > tileBox.right + 0.5 || b.top < tileBox.top - 0.5 || b.bottom > tileBox.bottom + 0.5;
      })
      .map((c) => c.dataset.testid ?? c.className);
    return { outside, height: bar.getBoundingClientRect().height };
  });
}

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`at ${viewport.width}×${viewport.height}, 3×3 and 4×4: every name readable, REC shown, no control outside its tile`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.setViewportSize(viewport);
    await signIn(page, host);
    for (const layout of ['3x3', '4x4'] as const) {
      await showWall(page, layout);
      const count = layout === '3x3' ? 9 : 16;
      for (let i = 0; i < count; i++) {
        const tile = page.getByTestId(`tile-${i}`);
        await expect(tile).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
        await expect(tile.getByTestId('tile-rec')).toHaveAttribute('data-rec-state', 'recording', { timeout: 30_000 });
        await expect(tile.getByTestId('tile-name')).toHaveText(NAMES[i]!);
        const { inside, chars, length } = await nameShown(tile);
        expect(inside, `tile ${i} name inside its tile`).toBe(true);
        expect(chars, `tile ${i}: characters of "${NAMES[i]}" shown`).toBeGreaterThanOrEqual(Math.min(6, length));
        const header = await headerOverflow(tile);
        expect(header.outside, `tile ${i} header controls outside the tile`).toEqual([]);
        expect(header.height, `tile ${i} header on one line`).toBe(24);
      }
      // The wall clock: in view whole, date and 24-hour time, at every size.
      await expect(page.getByTestId('wall-clock')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      await expect(page.getByTestId('wall-clock')).toBeInViewport({ ratio: 1 });
      await page.mouse.move(0, viewport.height - 1); // no hover styles in the picture
      await page.screenshot({ path: join(ARTIFACTS, `wall-${layout}-${viewport.width}.png`) });
    }
  });
}

test('the selected tile: B bookmarks without typing, R replays from 10 s back and says so, L is live, its menu acts', async ({ page }) => {
  test.setTimeout(180_000);
  await waitForFootage(join(dataDir, 'recordings'), 25);
  await signIn(page, host);
  await showWall(page, '3x3');
  const tile = page.getByTestId('tile-4');
  await expect(tile).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
  await page.locator('body').focus();
  await page.keyboard.press('5');
  await expect(tile).toBeFocused();

  // B opens the dialog; the key does not type itself into its title, and digits typed there stay there.
  await page.keyboard.press('b');
  const bookmark = page.getByTestId('bookmark-dialog');
  await expect(bookmark.getByTestId('bookmark-moment')).toContainText(NAMES[4]!);
  await expect(bookmark.getByTestId('bookmark-title')).toBeFocused();
  await expect(bookmark.getByTestId('bookmark-title')).toHaveValue('');
  await page.keyboard.type('Van 3 at gate');
  await expect(bookmark.getByTestId('bookmark-title')).toHaveValue('Van 3 at gate');
  await expect(page.getByTestId('tile-2')).not.toHaveAttribute('data-selected', 'true');
  await page.keyboard.press('Escape');
  await expect(bookmark).toBeHidden();

  // R: a replay of the main stream's recording, 10 s behind now, saying so.
  await tile.focus();
  await page.keyboard.press('r');
  await expect(tile).toHaveAttribute('data-mode', 'replay');
  await expect(tile.getByTestId('tile-state')).toHaveAttribute('aria-label', 'State: replay');
  await expect(tile).toHaveAttribute('data-stream', 'main');
  const holder = tile.getByTestId('recorded-holder');
  await expect(holder).toHaveAttribute('data-wall-ms', /\d+/, { timeout: 20_000 });
  const behindNow = async () => Date.now() - Number(await holder.getAttribute('data-wall-ms'));
  expect(Math.abs((await behindNow()) - 10_000)).toBeLessThan(4_000);
  // The badge says how far behind now the picture is: −00:10 on a quiet machine; a stall on a busy one
  // honestly makes it −00:11. It must agree with the picture's own clock.
  const offset = tile.getByTestId('tile-replay-offset');
  await expect(offset).toHaveText(/^−00:(0[6-9]|1[0-4])$/);
  const saysBehind = Number((await offset.textContent())!.slice(-2));
  expect(Math.abs(saysBehind * 1000 - (await behindNow()))).toBeLessThan(1_600);
  const replayedAt = Number(await holder.getAttribute('data-wall-ms'));
  await expect(tile.getByTestId('tile-replay-time')).toHaveText(/^\d\d:\d\d:\d\d$/);
  expect(Math.abs(replayedAt - Number(await tile.getByTestId('tile-replay-badge').getAttribute('data-wall-ms')))).toBeLessThan(1_500);
  for (const stale of ['tile-sub', 'tile-fps']) await expect(tile.getByTestId(stale)).toHaveCount(0);
  await page.screenshot({ path: join(ARTIFACTS, 'tile-replay.png') });
  await page.keyboard.press('l');
  await expect(tile).toHaveAttribute('data-mode', 'live');

  // The menu: right-click opens it on its first item; arrows move, Escape closes back to the tile.
  await tile.click({ button: 'right' });
  const menu = page.getByTestId('tile-menu');
  await expect(menu.getByRole('menu')).toBeVisible();
  await expect(menu.getByTestId('tile-menu-bookmark')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByTestId('tile-menu-replay-10')).toBeFocused();
  await expect(menu.getByTestId('tile-menu-live')).toBeDisabled();
  await page.screenshot({ path: join(ARTIFACTS, 'tile-menu.png') });
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(tile).toBeFocused();
  // A click elsewhere closes it too.
  await tile.getByTestId('tile-more').click();
  await expect(menu).toBeVisible();
  await page.getByTestId('camera-search').click();
  await expect(menu).toBeHidden();

  // Maximise and Restore from the menu, then Shift+F10 on the selected tile, and Remove empties it.
  await tile.click({ button: 'right' });
  await menu.getByTestId('tile-menu-maximise').click();
  await expect(tile).toHaveAttribute('data-maximised', 'true');
  await tile.click({ button: 'right' });
  await expect(menu.getByTestId('tile-menu-maximise')).toHaveText(/Restore/);
  await page.keyboard.press('End');
  await page.keyboard.press('Escape');
  await tile.focus();
  await page.keyboard.press('Shift+F10');
  await expect(menu.getByTestId('tile-menu-bookmark')).toBeFocused();
  await menu.getByTestId('tile-menu-maximise').press('Enter');
  await expect(tile).not.toHaveAttribute('data-maximised', 'true');
  await tile.click({ button: 'right' });
  await menu.getByTestId('tile-menu-clear').click();
  await expect(tile).toHaveAttribute('data-state', 'empty');
  await expect.poll(async () => (await host.call('getWall', { wallId: 'wall-1' })).tiles[4]).toBeNull();
});
