/**
 * Four-eyes disclosure and the register end to end in Chromium, two people in two browsers: an
 * investigator asks for a disclosure, an evidence officer sees the badge, approves, and the package
 * is built and verifies; a second request refused with a reason shows the reason to the investigator;
 * the register lists what left and downloads as CSV.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, test } from '../fixtures/e2e-test.js';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { signIn } from '../fixtures/sign-in-page.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { TEST_PASSWORD } from '../fixtures/people.js';
import { waitForFootage } from '../fixtures/recording-checks.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
let host: HostProcess;
let dataDir: string;

test.beforeAll(async () => {
  const cam = await startTestCamera({ codec: 'h264', label: 'Disclosure cam' });
  dataDir = tempDataDir();
  host = await startHostProcess(['--data', dataDir, '--cameras', writeCameraFile([{ name: 'Front door', url: cam.url }])]);
  await waitForFootage(join(dataDir, 'recordings'), 10);
  await host.call('addPerson', { name: 'ivy', displayName: 'Ivy Investigator', role: 'investigator', password: TEST_PASSWORD });
  await host.call('addPerson', { name: 'eve', displayName: 'Eve Officer', role: 'evidence-officer', password: TEST_PASSWORD });
  const [camera] = await host.call('listCameras');
  const atMs = Date.now() - 5_000;
  for (const title of ['Door forced', 'Parcel taken']) {
    await host.call('createBookmark', { cameraIds: [camera!.id], atMs, beforeMs: 3_000, afterMs: 0, title, notes: '', tags: [], caseReference: title === 'Door forced' ? 'CASE-DOOR' : 'CASE-PARCEL' });
  }
});

test.afterAll(async () => {
  await host?.stop();
  await stopAllTestCameras();
});

async function personPage(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true })).newPage();
  await signIn(page, host, name);
  return page;
}

/** The investigator asks for a disclosure of a bookmark's footage from the incidents panel. */
async function requestDisclosure(page: Page, title: string, basis: string, basisText: string) {
  await page.getByTestId('open-incidents').click();
  const item = page.getByTestId('incidents-panel').getByTestId('incident').filter({ hasText: title });
  await item.getByTestId('incident-export').click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.getByTestId('export-reason').fill(`${title}: the victim's insurer and the police asked`);
  await dialog.getByTestId('export-person').fill('DC Priya Shah');
  await dialog.getByTestId('export-organisation').fill('Metropolitan Police');
  await expect(dialog.getByTestId('export-start')).toHaveText('Request approval');
  await dialog.getByTestId('export-start').click();
  await expect(dialog.getByTestId('export-error-basis')).toHaveText('Choose the legal basis for this disclosure.');
  await dialog.getByTestId('export-basis').selectOption(basis);
  await dialog.getByTestId('export-text').fill(basisText);
  await dialog.getByTestId('export-start').click();
  await expect(dialog.getByTestId('disclosure-state')).toHaveAttribute('data-state', 'pending');
  return dialog;
}

test('an investigator asks, an evidence officer approves (the package verifies) or refuses with a reason the investigator reads; the register lists it and downloads as CSV', async ({ browser }) => {
  test.setTimeout(180_000);
  const ivy = await personPage(browser, 'ivy');
  const eve = await personPage(browser, 'eve');
  // Nothing waits yet: no badge for anyone.
  await expect(eve.getByTestId('open-disclosures')).toBeVisible();
  await expect(eve.getByTestId('disclosures-badge')).toHaveCount(0);

  const ivyDialog = await requestDisclosure(ivy, 'Door forced', 'police-investigation', 'Op Larch');
  await expect(ivyDialog.getByTestId('disclosure-state')).toContainText('Waiting for approval');
  await ivy.screenshot({ path: join(ARTIFACTS, 'disclosure-requested.png') });
  await ivyDialog.getByTestId('export-request-close').click();

  // The badge is for those who may approve, and never counts one's own request.
  await expect(eve.getByTestId('disclosures-badge')).toHaveText('1');
  await expect(ivy.getByTestId('open-disclosures')).toBeVisible();
  await expect(ivy.getByTestId('disclosures-badge')).toHaveCount(0);
  await eve.screenshot({ path: join(ARTIFACTS, 'disclosure-badge.png') });

  // The investigator's own request offers no decision.
  await ivy.getByTestId('open-disclosures').click();
  const ivyQueue = ivy.getByTestId('disclosures-dialog');
  const own = ivyQueue.getByTestId('disclosure-request').filter({ hasText: 'CASE-DOOR' });
  await expect(own.getByTestId('disclosure-own')).toBeVisible();
  await expect(ivyQueue.getByTestId('disclosure-approve')).toHaveCount(0);
  await expect(ivyQueue.getByTestId('disclosure-refuse')).toHaveCount(0);
  await expect(ivyQueue.getByTestId('tab-register')).toHaveCount(0);
  await ivy.screenshot({ path: join(ARTIFACTS, 'disclosure-own-request.png') });

  // The evidence officer approves with a note; the package is built.
  await eve.getByTestId('open-disclosures').click();
  const eveQueue = eve.getByTestId('disclosures-dialog');
  const door = eveQueue.getByTestId('disclosure-request').filter({ hasText: 'CASE-DOOR' });
  await expect(door.getByTestId('disclosure-basis')).toHaveText('Police investigation: Op Larch');
  await door.getByTestId('disclosure-note').fill('Proportionate: 3 s of the door only.');
  await eve.screenshot({ path: join(ARTIFACTS, 'disclosure-queue.png') });
  await door.getByTestId('disclosure-approve').click();
  await expect(door.getByTestId('disclosure-state')).toHaveAttribute('data-state', 'built', { timeout: 90_000 });
  await expect(eve.getByTestId('disclosures-badge')).toHaveCount(0);

  // The investigator sees it ready, in the queue (still open) as it changes.
  await expect(own.getByTestId('disclosure-state')).toHaveAttribute('data-state', 'built', { timeout: 30_000 });
  await expect(own.getByTestId('disclosure-state')).toContainText('Approved by Eve Officer');
  await expect(own.getByTestId('export-package-name')).toHaveText(/^WR-CASE-DOOR-/);
  await ivy.screenshot({ path: join(ARTIFACTS, 'disclosure-built.png') });
  const pkg = (await host.call('listPackages')).find((p) => p.caseReference === 'CASE-DOOR')!;
  expect(await host.call('verifyPackage', { path: pkg.path })).toMatchObject({ ok: true, outcome: 'verified' });
  expect(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: pkg.path }).status).toBe(0);
  expect(readFileSync(join(pkg.path, 'README.txt'), 'utf8')).toMatch(/Requested by: Ivy Investigator[\s\S]*Approved by: +Eve Officer/);
  expect(JSON.parse(readFileSync(join(pkg.path, 'manifest.json'), 'utf8'))).toMatchObject({ requestedBy: { user: 'ivy' }, approval: { user: 'eve', note: 'Proportionate: 3 s of the door only.' } });
  await ivyQueue.getByTestId('disclosures-close').click();

  // A second request, refused with a reason: the investigator reads the reason, and nothing is built.
  const second = await requestDisclosure(ivy, 'Parcel taken', 'other', 'Neighbour asked by email');
  await expect(eve.getByTestId('disclosures-badge')).toHaveText('1');
  const parcel = eveQueue.getByTestId('disclosure-request').filter({ hasText: 'CASE-PARCEL' });
  await expect(parcel.getByTestId('disclosure-refuse')).toBeDisabled();
  await parcel.getByTestId('disclosure-refuse-reason').fill('A neighbour is not a lawful recipient; ask them to contact the police.');
  await parcel.getByTestId('disclosure-refuse').click();
  await expect(second.getByTestId('disclosure-state')).toHaveAttribute('data-state', 'refused');
  await expect(second.getByTestId('disclosure-state')).toContainText('Refused by Eve Officer: A neighbour is not a lawful recipient; ask them to contact the police.');
  await ivy.screenshot({ path: join(ARTIFACTS, 'disclosure-refused.png') });
  expect((await host.call('listPackages')).filter((p) => p.caseReference === 'CASE-PARCEL')).toEqual([]);

  // The register: what left, searchable, and as CSV.
  await eveQueue.getByTestId('tab-register').click();
  const register = eveQueue.getByTestId('disclosure-register');
  await expect(register.getByTestId('register-row')).toHaveCount(1);
  await expect(register.getByTestId('register-row')).toHaveAttribute('data-case', 'CASE-DOOR');
  await expect(register.getByTestId('register-approver')).toHaveText('Eve Officer');
  await expect(register.getByTestId('register-row')).toHaveAttribute('data-problems', '0');
  await register.getByTestId('register-basis').selectOption('court');
  await expect(register.getByTestId('register-row')).toHaveCount(0);
  await register.getByTestId('register-basis').selectOption('');
  await register.getByTestId('register-search').fill('larch');
  await expect(register.getByTestId('register-row')).toHaveCount(1);
  await eve.screenshot({ path: join(ARTIFACTS, 'disclosure-register.png') });
  const [download] = await Promise.all([eve.waitForEvent('download'), register.getByTestId('register-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^disclosure-register-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await download.path())!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(csv.toString('utf8')).toContain('CASE-DOOR');
  expect(csv.toString('utf8')).not.toContain('CASE-PARCEL');
});
