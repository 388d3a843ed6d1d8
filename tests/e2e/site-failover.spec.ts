/**
 * A site's wall through a recorder's failover (issue 13): a throw-away PostgreSQL directory, two
 * watchroom-recorder processes, a real GStreamer camera, and workstation B (watchroom-host
 * --directory) in Debian's Chromium. The recorder holding the camera is SIGKILLed; B's tile follows
 * the camera to the other recorder by itself and plays on.
 */
import { expect, test } from '../fixtures/e2e-test.js';
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { startHostProcess, tempDataDir, type HostProcess } from '../fixtures/host-process.js';
import { startTestPostgres, type TestPostgres } from '../fixtures/postgres.js';
import { startRecorderProcess, type RecorderProcess } from '../fixtures/recorder-process.js';
import { confirmSiteKeyOnRecorder } from '../fixtures/site-admission.js';
import { signIn } from '../fixtures/sign-in-page.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

let cluster: TestPostgres;
let url: string;
let camera: TestCamera;
let recorders: RecorderProcess[] = [];
let workstation: HostProcess;
let cameraId: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = await startTestPostgres();
  url = await cluster.createDatabase();
  camera = await startTestCamera({ codec: 'h264', label: 'Loading bay' });
  recorders = await Promise.all([startRecorderProcess(url, 'rec-a'), startRecorderProcess(url, 'rec-b')]);
  workstation = await startHostProcess(['--data', tempDataDir(), '--directory', url, '--name', 'Workstation B']);
  cameraId = (await workstation.call('addCamera', { name: 'Loading bay', url: camera.url })).id;
});

test.afterAll(async () => {
  await workstation?.stop();
  await Promise.all(recorders.map((r) => r.stop()));
  await stopAllTestCameras();
  await cluster?.stop();
});

/** The administrator admits both recorders, typing the fingerprints they printed, and this workstation, as its row shows it. */
async function admitInThePage(page: Page) {
  await expect.poll(async () => (await workstation.call('listSiteNodes')).length, { message: 'every process registered', timeout: 60_000 }).toBe(3);
  await page.getByTestId('person-menu').click();
  await page.getByTestId('open-site').click();
  const row = (id: string) => page.locator(`[data-testid="site-node"][data-node-id="${id}"]`);
  const admit = async (id: string, fingerprint: string) => {
    await row(id).getByTestId('site-fingerprint-input').fill(fingerprint);
    await row(id).getByTestId('site-admit').click();
  };
  // A fingerprint that is not the recorder's: refused, said so, nothing admitted.
  await admit('rec-a', recorders[1]!.fingerprint);
  await expect(row('rec-a').getByTestId('site-admit-error')).toContainText('not the fingerprint of the key this process registered');
  await expect(row('rec-a')).toHaveAttribute('data-admitted', 'false');
  const [first, ...others] = recorders;
  await admit(first!.id, first!.fingerprint.toUpperCase().replaceAll(':', ' '));
  // The first admission made the site key here: the dialog shows it, and the administrator writes it on each recorder's machine.
  const siteKey = (await page.getByTestId('site-key-fingerprint').textContent())!;
  await expect(page.getByTestId('site-key')).toHaveAttribute('data-state', 'confirmed');
  for (const r of recorders) confirmSiteKeyOnRecorder(r, siteKey);
  for (const r of others) await admit(r.id, r.fingerprint.toUpperCase().replaceAll(':', ' '));
  const here = page.locator('[data-testid="site-node"]', { hasText: '(this workstation)' });
  await admit((await here.getAttribute('data-node-id'))!, (await here.getByTestId('site-fingerprint').textContent())!);
  for (const id of ['rec-a', 'rec-b']) await expect(row(id)).toHaveAttribute('data-admitted', 'true');
  await expect(here).toHaveAttribute('data-admitted', 'true');
  await page.screenshot({ path: join(ARTIFACTS, 'site-processes.png') });
  await page.getByTestId('site-close').click();
}

const holder = async () => (await cluster.query<{ recorder_id: string }>(url, 'SELECT recorder_id FROM camera_leases WHERE camera_id = $1 AND expires_at > now()', [cameraId]))[0]?.recorder_id;

test('a wall on workstation B keeps playing a camera through its recorder’s failover', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, workstation);
  await admitInThePage(page);
  const tile = page.getByTestId('tile-0');
  await expect(tile).toHaveAttribute('data-camera-id', cameraId, { timeout: 60_000 });
  await expect(tile).toHaveAttribute('data-state', 'live', { timeout: 60_000 });
  const videoTime = () => tile.getByTestId('tile-video').evaluate((v: HTMLVideoElement) => v.currentTime);
  const before = await videoTime();
  await expect.poll(videoTime, { message: 'the tile playing from the first recorder', timeout: 60_000 }).toBeGreaterThan(before + 1.2);

  await expect.poll(holder, { message: 'a recorder holding the camera', timeout: 60_000 }).toBeTruthy();
  const victimId = (await holder())!;
  await recorders.find((r) => r.id === victimId)!.stop('SIGKILL');

  // The directory moves the camera; the tile follows it with no one touching the page.
  await expect.poll(holder, { message: 'the other recorder holding the camera', timeout: 90_000 }).toBe(recorders.find((r) => r.id !== victimId)!.id);
  await expect(tile).toHaveAttribute('data-state', 'live', { timeout: 90_000 });
  // Its picture moves on again (the player may begin a new timeline for the new recorder's stream).
  const again = await videoTime();
  await expect.poll(videoTime, { message: 'the tile playing from the new recorder', timeout: 90_000 }).toBeGreaterThan(again + 1.2);
  await expect(tile).toHaveAttribute('data-camera-id', cameraId);
  await page.screenshot({ path: join(ARTIFACTS, 'site-failover-wall.png') });
});

test('a second workstation admits nobody until an administrator confirms the site key it was told, typed in Site processes…', async ({ page }) => {
  test.setTimeout(120_000);
  const c = await startHostProcess(['--data', tempDataDir(), '--directory', url, '--name', 'Workstation C', '--no-demo']);
  try {
    await signIn(page, c);
    await page.getByTestId('person-menu').click();
    await page.getByTestId('open-site').click();
    const panel = page.getByTestId('site-key');
    await expect(panel).toHaveAttribute('data-state', 'unconfirmed', { timeout: 30_000 });
    const row = (id: string) => page.locator(`[data-testid="site-node"][data-node-id="${id}"]`);
    await expect(row('rec-a')).toHaveAttribute('data-admitted', 'false');
    await page.screenshot({ path: join(ARTIFACTS, 'site-key-unconfirmed.png') });
    // A fingerprint that is not the site key's (a recorder's): refused, said so, nothing trusted.
    await page.getByTestId('site-key-input').fill(recorders[0]!.fingerprint);
    await page.getByTestId('site-key-confirm').click();
    await expect(page.getByTestId('site-key-error')).toContainText('not the fingerprint of the key in the directory');
    // The one workstation B shows, read out and typed here.
    const told = (await workstation.call('getSiteKey'))!.fingerprint;
    await page.getByTestId('site-key-input').fill(told.replaceAll(':', '').toUpperCase());
    await page.getByTestId('site-key-confirm').click();
    await expect(panel).toHaveAttribute('data-state', 'confirmed');
    await expect(row('rec-a')).toHaveAttribute('data-admitted', 'true');
    await page.screenshot({ path: join(ARTIFACTS, 'site-key-confirmed.png') });
  } finally {
    await c.stop();
  }
});
