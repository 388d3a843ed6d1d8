/**
 * People, not workstations, end to end in Chromium: the first start asks for the first
 * administrator; the idle lock keeps the wall on screen and takes no action until someone signs in;
 * and a page on another local port gets nothing it can use while a person is signed in.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, test } from '../fixtures/e2e-test.js';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { TEST_PASSWORD } from '../fixtures/people.js';
import { fillSignIn } from '../fixtures/sign-in-page.js';
import { waitForFootage } from '../fixtures/recording-checks.js';
import { giveLookBackReason } from '../fixtures/look-back.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
/** Short enough to watch the lock engage, long enough to act between. */
const IDLE_LOCK_SECONDS = 6;
let host: HostProcess;
let cameraUrl: string;
let dataDir: string;
/** A session of the first administrator's own, for calls the test makes beside the page. */
let ada: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const cam = await startTestCamera({ codec: 'h264', label: 'Lobby' });
  cameraUrl = cam.url;
  dataDir = tempDataDir();
  host = await startHostProcess(['--data', dataDir, '--no-demo', '--idle-lock', String(IDLE_LOCK_SECONDS)], { firstStart: true });
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
    expect(after.slice(before.length).filter((e) => e.action !== 'stream.open' && e.action !== 'recording.minute' && e.action !== 'auth.sign-in')).toEqual([]);
    // A signed link is the one thing that works from anywhere: it is short-lived and names one recording.
    expect(link).toMatch(/[?&]exp=\d+/);
    await other.close();
  } finally {
    evil.close();
  }
});

/** A person's own browser window, signed in through the form. */
async function windowOf(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto(host.url.href);
  await fillSignIn(page, name);
  await expect(page.getByTestId('sign-in-screen')).toBeHidden();
  return page;
}

async function addPerson(page: Page, name: string, displayName: string, role: string): Promise<void> {
  const people = page.getByTestId('people-dialog');
  await people.getByTestId('add-person-name').fill(name);
  await people.getByTestId('add-person-displayName').fill(displayName);
  await people.getByTestId('add-person-role').selectOption(role);
  await people.getByTestId('add-person-password').fill(TEST_PASSWORD);
  await people.getByTestId('add-person-submit').click();
  await expect(people.getByTestId('add-person-done')).toContainText(`${displayName} (${name}) can now sign in.`);
}

test('the administrator adds an operator and an investigator; the operator may neither change cameras nor export, the investigator exports, and the ledger names each', async ({ browser }) => {
  test.setTimeout(180_000);
  await waitForFootage(join(dataDir, 'recordings'), 10);
  // An administrator's idle lock replaces --idle-lock: long enough for three people to take turns.
  await host.callAs(await host.signIn('ada'), 'setIdleLock', { minutes: 30 });

  const admin = await windowOf(browser, 'ada');
  const menu = admin.getByTestId('person-menu');
  await menu.locator('summary').click();
  await menu.getByTestId('open-people').click();
  await addPerson(admin, 'olive', 'Olive Operator', 'operator');
  await addPerson(admin, 'ivy', 'Ivy Investigator', 'investigator');
  await admin.keyboard.press('Escape');

  const operator = await windowOf(browser, 'olive');
  await expect(operator.getByTestId('person-role')).toHaveText('Operator');
  await expect(operator.getByTestId('add-camera')).toBeDisabled();
  await expect(operator.locator('[data-testid="permission-hint"][data-permission="cameras.configure"]')).toHaveText('Only administrators can add, change or remove cameras.');
  await operator.getByTestId('open-playback').click();
  await giveLookBackReason(operator);
  await expect(operator.getByTestId('playback-export')).toBeDisabled();
  await expect(operator.locator('[data-testid="permission-hint"][data-permission="evidence.export"]')).toHaveText('Only investigators and administrators can export footage.');
  await operator.screenshot({ path: join(ARTIFACTS, 'accountability-operator.png') });
  // Asked directly, the core refuses too, and says which permission was missing.
  const refused = await host.callAs(await host.signIn('olive'), 'addCamera', { name: 'Sneaky', url: 'rtsp://127.0.0.1:9/x' }).catch((e: Error) => e.message);
  expect(refused).toMatch(/^addCamera: auth\.forbidden .*cameras\.configure/);

  const investigator = await windowOf(browser, 'ivy');
  await investigator.getByTestId('open-playback').click();
  await giveLookBackReason(investigator);
  await expect(investigator.getByTestId('playback-panel').getByTestId('timeline-range').first()).toBeVisible();
  await investigator.getByTestId('playback-export').click();
  const dialog = investigator.getByTestId('export-dialog');
  await dialog.getByTestId('export-reason').fill('Break-in reported at the lobby');
  await dialog.getByTestId('export-caseReference').fill('CASE-ACC-1');
  await dialog.getByTestId('export-working-copy').uncheck();
  await dialog.getByTestId('export-start').click();
  await expect(dialog.getByTestId('export-done')).toBeVisible({ timeout: 60_000 });

  await menu.locator('summary').click();
  await menu.getByTestId('open-ledger').click();
  const ledger = admin.getByTestId('ledger-dialog');
  await expect(ledger.locator('[data-testid="ledger-row"][data-actor="olive"][data-action="auth.forbidden"]')).toHaveCount(1);
  await expect(ledger.locator('[data-testid="ledger-row"][data-actor="ivy"][data-action="evidence.export"]')).toHaveCount(1);
  await expect(ledger.locator('[data-testid="ledger-row"][data-actor="ada"][data-action="people.add"]')).toHaveCount(2);
  await expect(ledger.locator('[data-testid="ledger-row"][data-actor="ivy"]').first()).toContainText('Investigator');
  await admin.screenshot({ path: join(ARTIFACTS, 'accountability-ledger.png') });
});
