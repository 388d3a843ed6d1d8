/**
 * A site's wall through a recorder's failover (issue 13): a throw-away PostgreSQL directory, two
 * watchroom-recorder processes, a real GStreamer camera, and workstation B (watchroom-host
 * --directory) in Debian's Chromium. The recorder holding the camera is SIGKILLed; B's tile follows
 * the camera to the other recorder by itself and plays on.
 */
import { expect, test } from '../fixtures/e2e-test.js';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { startHostProcess, tempDataDir, type HostProcess } from '../fixtures/host-process.js';
import { startTestPostgres, type TestPostgres } from '../fixtures/postgres.js';
import { startRecorderProcess, type RecorderProcess } from '../fixtures/recorder-process.js';
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
  // The administrator admits the recorders (by the fingerprints they printed) and this workstation (as its Site list shows it).
  await expect.poll(async () => (await workstation.call('listSiteNodes')).length, { timeout: 60_000 }).toBe(3);
  const here = (await workstation.call('listSiteNodes')).find((n) => n.here)!;
  for (const p of [...recorders, here]) await workstation.call('admitSiteNode', { nodeId: p.id, fingerprint: p.fingerprint });
  cameraId = (await workstation.call('addCamera', { name: 'Loading bay', url: camera.url })).id;
});

test.afterAll(async () => {
  await workstation?.stop();
  await Promise.all(recorders.map((r) => r.stop()));
  await stopAllTestCameras();
  await cluster?.stop();
});

const holder = async () => (await cluster.query<{ recorder_id: string }>(url, 'SELECT recorder_id FROM camera_leases WHERE camera_id = $1 AND expires_at > now()', [cameraId]))[0]?.recorder_id;

test('a wall on workstation B keeps playing a camera through its recorder’s failover', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, workstation);
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
