/**
 * People, not workstations, end to end in Chromium: the first start asks for the first
 * administrator; the idle lock keeps the wall on screen and takes no action until someone signs in;
 * and a page on another local port gets nothing it can use while a person is signed in.
 */
import { expect, test } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { TEST_PASSWORD } from '../fixtures/people.js';
import { fillSignIn } from '../fixtures/sign-in-page.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
/** Short enough to watch the lock engage, long enough to act between. */
const IDLE_LOCK_SECONDS = 6;
let host: HostProcess;
let cameraUrl: string;
/** A session of the first administrator's own, for calls the test makes beside the page. */
let ada: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const cam = await startTestCamera({ codec: 'h264', label: 'Lobby' });
  cameraUrl = cam.url;
  host = await startHostProcess(['--data', tempDataDir(), '--no-demo', '--idle-lock', String(IDLE_LOCK_SECONDS)], { firstStart: true });
});

test.afterAll(async () => {
  await host?.stop();
  await stopAllTestCameras();
});

test('the first start asks for the first administrator, who then works in their own name', async ({ page }) => {
  await page.goto(host.url.href);
  const form = page.getByTestId('first-admin-screen');
  await expect(form).toBeVisible();
  await page.screenshot({ path: join(ARTIFACTS, 'first-admin.png') });
  await page.getByTestId('sign-in-name').fill('ada');
  await page.getByTestId('sign-in-display-name').fill('Ada Lovelace');
  await page.getByTestId('sign-in-password').fill('short');
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('sign-in-error')).toContainText('at least 10 characters');
  await page.getByTestId('sign-in-password').fill(TEST_PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await expect(form).toBeHidden();
  // No cookie holds the session: a new page of the same browser starts signed out.
  expect(await page.context().cookies()).toEqual([]);
  ada = await host.signIn('ada');
  await host.callAs(ada, 'addCamera', { name: 'Lobby', url: cameraUrl });
  const entries = await host.callAs(ada, 'listAudit', { limit: 1000 });
  expect(entries.find((e) => e.action === 'people.first-admin')).toMatchObject({ actor: 'ada', role: 'admin' });
  expect(entries.find((e) => e.action === 'camera.add')).toMatchObject({ actor: 'ada', role: 'admin' });
  // A second visitor cannot make themselves the first administrator.
  const other = await page.context().newPage();
  await other.goto(host.url.href);
  await expect(other.getByTestId('sign-in-screen')).toBeVisible();
  await other.close();
});

test('the idle lock keeps the wall visible, takes no action until a sign-in, and releases on it', async ({ page }) => {
  await page.goto(host.url.href);
  await fillSignIn(page, 'ada');
  await expect(page.getByTestId('sign-in-screen')).toBeHidden();
  const tile = page.getByTestId('tile-0');
  await expect(tile).toHaveAttribute('data-state', 'live');
  // Nobody touches anything: the lock engages by itself, over a wall that keeps playing.
  const lock = page.getByTestId('locked-screen');
  await expect(lock).toBeVisible({ timeout: (IDLE_LOCK_SECONDS + 20) * 1000 });
  await expect(lock).toContainText('ada was signed in');
  const entries = await host.callAs(await host.signIn('ada'), 'listAudit', { limit: 1000 });
  expect(entries.filter((e) => e.action === 'auth.locked').map((e) => [e.actor, e.details?.why])).toEqual([['ada', 'idle']]);
  await expect(tile).toHaveAttribute('data-state', 'live');
  const time = () => tile.getByTestId('tile-video').evaluate((v: HTMLVideoElement) => v.currentTime);
  const before = await time();
  await expect.poll(time).toBeGreaterThan(before + 1);
  await page.screenshot({ path: join(ARTIFACTS, 'idle-lock.png') });
  // The wall behind takes no clicks or keys (the core refuses the locked session's actions too:
  // tests/integration/people.test.ts).
  await expect(page.locator('.session-view')).toHaveAttribute('inert', '');
  // Nor do the wall's keyboard shortcuts work while locked ('?' would open the shortcuts help).
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts-help')).toHaveCount(0);
  await page.getByTestId('sign-in-password').fill(TEST_PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await expect(lock).toBeHidden();
  await expect(page.locator('.session-view')).not.toHaveAttribute('inert', '');
  await expect(tile).toHaveAttribute('data-state', 'live');
});

test('a page on another local port gets nothing it can use from a signed-in Watchroom', async ({ page, context }) => {
  await page.goto(host.url.href);
  await fillSignIn(page, 'ada');
  await expect(page.getByTestId('tile-0')).toHaveAttribute('data-state', 'live');
  ada = await host.signIn('ada'); // the test's own session from before has locked itself meanwhile
  const camera = (await host.callAs(ada, 'listCameras'))[0]!;
  const link = await host.callAs(ada, 'mediaLink', { path: `/media/${camera.id}/recording.m3u8?fromMs=${Date.now() - 60_000}&toMs=${Date.now()}` });

  // Another listener on 127.0.0.1, serving a page that tries everything an ambient credential would allow.
  const target = host.url.origin;
  const evil: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>elsewhere</title><script>
      window.results = (async () => {
        const out = {};
        const api = await fetch('${target}/api/listCameras', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{}' }).then(r => r.type, e => 'failed');
        out.apiNoCors = api;
        out.apiCors = await fetch('${target}/api/listCameras', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{}' }).then(r => r.status, e => 'failed');
        out.socket = await new Promise(resolve => {
          const ws = new WebSocket('${target.replace('http', 'ws')}/events', ['watchroom']);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        });
        out.mediaUnsigned = await new Promise(resolve => {
          const img = new Image();
          img.onload = () => resolve('loaded');
          img.onerror = () => resolve('refused');
          img.src = '${target}/media/${camera.id}/recording.m3u8?fromMs=1&toMs=2';
        });
        return out;
      })();
    </script>`);
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  const evilPort = (evil.address() as { port: number }).port;
  try {
    const before = await host.callAs(ada, 'listAudit', { limit: 1000 });
    const other = await context.newPage();
    await other.goto(`http://127.0.0.1:${evilPort}/`);
    const results = await other.evaluate(() => (window as unknown as { results: Promise<Record<string, string>> }).results);
    // An opaque answer at best (a 401 the page cannot read), a CORS failure, a refused socket, no media.
    expect(results).toEqual({ apiNoCors: 'opaque', apiCors: 'failed', socket: 'refused', mediaUnsigned: 'refused' });
    // Nothing happened in anyone's name.
    const after = await host.callAs(ada, 'listAudit', { limit: 1000 });
    expect(after.slice(before.length).filter((e) => e.actor !== 'ada' && e.actor !== 'system')).toEqual([]);
    expect(after.slice(before.length).filter((e) => e.action !== 'stream.open' && e.action !== 'segment.closed' && e.action !== 'auth.sign-in')).toEqual([]);
    // A signed link is the one thing that works from anywhere: it is short-lived and names one recording.
    expect(link).toMatch(/[?&]exp=\d+/);
    await other.close();
  } finally {
    evil.close();
  }
});
