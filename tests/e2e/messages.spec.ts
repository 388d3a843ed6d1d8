/**
 * Every dialog that takes input, given bad values in Chromium: whatever error text it shows is a
 * sentence for the person at the form, never the validator's, the browser's or the server's own words.
 * (Time inputs are left alone here: they get their own date-time input and tests.)
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/e2e-test.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { signIn } from '../fixtures/sign-in-page.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
/** zod's and JavaScript's words, the browser's, and the core's answer to its own bugs. */
const DEVELOPER = /expected|invalid|too small|too big|received|\bnan\b|undefined|zod|internal error|failed to fetch|\[object/i;
const ERROR_TEXT = '[role="alert"], .field-error, [data-testid$="error"], [data-testid$="problem"]';

let host: HostProcess;
let cameraId: string;

test.beforeAll(async () => {
  const cams = await Promise.all([startTestCamera({ codec: 'h264', label: 'Gate' }), startTestCamera({ codec: 'h264', label: 'Yard' })]);
  host = await startHostProcess(['--data', tempDataDir(), '--cameras', writeCameraFile([{ name: 'Gate', url: cams[0].url }, { name: 'Yard', url: cams[1].url }])]);
  cameraId = (await host.call('listCameras'))[0]!.id;
});

test.afterAll(async () => {
  await host?.stop();
  await stopAllTestCameras();
});

/** The error text now on screen, each element's own. */
function shownErrors(page: Page): Promise<string[]> {
  return page.locator(ERROR_TEXT).evaluateAll((elements) => elements.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => (e as HTMLElement).innerText.trim()).filter(Boolean));
}

/** At least `atLeast` error texts are shown, and none of them in developer words. */
async function expectOnlySentences(page: Page, where: string, atLeast: number): Promise<void> {
  const texts = await shownErrors(page);
  expect(texts.length, `${where}: ${JSON.stringify(texts)}`).toBeGreaterThanOrEqual(atLeast);
  expect(texts.filter((t) => DEVELOPER.test(t)), where).toEqual([]);
}

test.beforeEach(async ({ page }) => {
  await signIn(page, host);
  await expect(page.getByTestId('tile-0')).toHaveAttribute('data-camera-id', /.+/);
});

test('bookmark: each bad field says what it needs, in seconds as the form asks', async ({ page }) => {
  const tile = page.getByTestId('tile-0');
  await tile.hover();
  await tile.getByTestId('tile-bookmark').click();
  const dialog = page.getByTestId('bookmark-dialog');
  await dialog.getByTestId('bookmark-title').fill(' ');
  await dialog.getByTestId('bookmark-caseReference').fill('C'.repeat(70));
  await dialog.getByTestId('bookmark-tags').fill(`fine, ${'t'.repeat(41)}`);
  await dialog.getByTestId('bookmark-beforeMs').fill('-5');
  await dialog.getByTestId('bookmark-afterMs').fill('soon');
  await dialog.getByTestId('bookmark-save').click();
  await expect(dialog.getByTestId('bookmark-error-beforeMs')).toHaveText('The time before must be 0 seconds or more.');
  await expect(dialog.getByTestId('bookmark-error-afterMs')).toHaveText('Enter a number for the time after.');
  await expect(dialog.getByTestId('bookmark-error-title')).toHaveText('Give the bookmark a title.');
  await expect(dialog.getByTestId('bookmark-error-caseReference')).toHaveText('The case reference is too long: at most 64 characters.');
  await expect(dialog.getByTestId('bookmark-error-tags')).toHaveText('A tag is at most 40 characters.');
  await expectOnlySentences(page, 'bookmark', 5);
  await dialog.screenshot({ path: join(ARTIFACTS, 'messages-bookmark-errors.png') });
  await page.keyboard.press('Escape');
});

test('cameras: adding and editing with bad values, and importing bad lists', async ({ page }) => {
  await page.getByTestId('add-camera').click();
  const dialog = page.getByTestId('camera-dialog');
  await dialog.getByTestId('camera-name').fill('N'.repeat(250));
  await dialog.getByTestId('camera-url').fill('');
  await dialog.getByTestId('camera-save').click();
  await expect(dialog.getByTestId('error-name')).toHaveText('The name is too long: at most 200 characters.');
  await dialog.getByTestId('camera-name').fill('');
  await dialog.getByTestId('camera-url').fill('http://example/stream');
  await dialog.getByTestId('camera-save').click();
  await expect(dialog.getByTestId('error-url')).toBeVisible();
  await expectOnlySentences(page, 'add camera', 2);
  await dialog.getByTestId('camera-cancel').click();

  const item = page.getByTestId('camera-item').filter({ hasText: 'Gate' });
  await item.hover();
  await item.getByTestId('camera-edit').click();
  await dialog.getByTestId('camera-name').fill('Yard');
  await dialog.getByTestId('camera-url').fill('rtsp://127.0.0.1:99999/x');
  await dialog.getByTestId('camera-save').click();
  await expect(dialog.getByTestId('error-url')).toBeVisible();
  await expectOnlySentences(page, 'edit camera', 2);
  await dialog.getByTestId('camera-cancel').click();

  // A CSV with three bad lines among blank ones: each problem once, by the line a text editor shows.
  await page.getByTestId('import-file').setInputFiles({
    name: 'site-b.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('name,url\n\nDock,rtsp://127.0.0.1:9/dock\nRamp,ftp://127.0.0.1/ramp\nStore\n,rtsp://127.0.0.1:9/x\n'),
  });
  const report = page.getByTestId('import-report');
  await expect(report.getByTestId('import-error')).toHaveText([/^Line 5 has 1 column;/]);
  await expect(page.getByTestId('import-outcome')).toHaveText('Nothing was imported: fix the lines above and import again.');
  await page.getByTestId('import-file').setInputFiles({
    name: 'site-b.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('name,url\n\nDock,rtsp://127.0.0.1:9/dock\nRamp,ftp://127.0.0.1/ramp\n,rtsp://127.0.0.1:9/x\n'),
  });
  await expect(report.getByTestId('import-error')).toHaveCount(2);
  await expect(report.getByTestId('import-error').nth(0)).toContainText('Line 4: ');
  await expect(report.getByTestId('import-error').nth(1)).toContainText('Line 5: ');
  const reportText = await report.innerText();
  for (const problem of await report.getByTestId('import-error').allInnerTexts()) expect(reportText.split(problem).length - 1, problem).toBe(1);
  await expect(report).toContainText('site-b.csv has 2 problems:');
  await expect(page.getByTestId('import-outcome')).toHaveText('Nothing was imported: fix the lines above and import again.');
  await expectOnlySentences(page, 'CSV import', 1);
  await report.screenshot({ path: join(ARTIFACTS, 'messages-import-errors.png') });

  await page.getByTestId('import-file').setInputFiles({ name: 'site-c.json', mimeType: 'application/json', buffer: Buffer.from('[\n  {"name": "Dock",, }\n]') });
  await expect(report).toContainText('site-c.json: The file is not readable as JSON: look at line 2, character');
  await expectOnlySentences(page, 'JSON import', 1);
  expect((await host.call('listCameras')).map((c) => c.name)).toEqual(['Gate', 'Yard']);
});

test('retention, tour, people and password dialogs', async ({ page }) => {
  const menu = page.getByTestId('person-menu');
  await menu.locator('summary').click();
  await menu.getByTestId('open-retention').click();
  const retention = page.getByTestId('retention-dialog');
  await retention.getByTestId('retention-maxAgeDays').fill('2.5');
  await retention.getByTestId('retention-maxTotalBytes').fill('lots');
  await retention.getByTestId('retention-maxBytesPerCamera').fill('0');
  await retention.getByTestId('retention-save').click();
  await expect(retention.getByTestId('retention-error-maxAgeDays')).toHaveText('Whole days only.');
  await expect(retention.getByTestId('retention-error-maxTotalBytes')).toHaveText('Enter a size.');
  await expectOnlySentences(page, 'retention', 3);
  await page.keyboard.press('Escape');

  // The tile's menu: its header may have no room for the buttons.
  await page.getByTestId('tile-0').click({ button: 'right' });
  await page.getByTestId('tile-menu-tour').click();
  const tour = page.getByTestId('tour-dialog');
  await tour.getByTestId('tour-dwell').fill('a while');
  await tour.getByTestId('tour-start').click();
  await expect(tour.getByTestId('tour-problem')).toContainText('Enter a number of seconds.');
  await expectOnlySentences(page, 'tour', 1);
  await page.keyboard.press('Escape');

  await menu.locator('summary').click();
  await menu.getByTestId('open-people').click();
  const people = page.getByTestId('people-dialog');
  await people.getByTestId('add-person-name').fill('x');
  await people.getByTestId('add-person-displayName').fill('D'.repeat(120));
  await people.getByTestId('add-person-password').fill('short');
  await people.getByTestId('add-person-submit').click();
  await expect(people.getByTestId('add-person-displayName-error')).toHaveText('The full name is too long: at most 100 characters.');
  await expectOnlySentences(page, 'add person', 3);
  await people.getByTestId('person-reset-password').first().click();
  await people.getByTestId('reset-password').fill('short');
  await people.getByTestId('reset-password-save').click();
  await expect(people.getByTestId('reset-password-error')).toHaveText('A password has at least 10 characters.');
  await expectOnlySentences(page, 'reset password', 1);
  await page.keyboard.press('Escape');

  await menu.locator('summary').click();
  await menu.getByTestId('open-change-password').click();
  const password = page.getByTestId('change-password-dialog');
  await password.getByTestId('change-password-current').fill('x'.repeat(300));
  await password.getByTestId('change-password-next').fill('short');
  await password.getByTestId('change-password-repeat').fill('short');
  await password.getByTestId('change-password-save').click();
  await expect(password.getByTestId('change-password-next-error')).toHaveText('A password has at least 10 characters.');
  await expect(password.getByTestId('change-password-current-error')).toHaveText('Your current password is too long: at most 256 characters.');
  await expectOnlySentences(page, 'change password', 2);
  await page.keyboard.press('Escape');
});

test('export and verify: missing details, a folder that is not a package', async ({ page }) => {
  await host.call('createBookmark', { cameraIds: [cameraId], atMs: Date.now() - 60_000, beforeMs: 5_000, afterMs: 5_000, title: 'Gate left open', notes: '', tags: [], caseReference: '' });
  await page.getByTestId('open-incidents').click();
  const panel = page.getByTestId('incidents-panel');
  await panel.getByTestId('incident').first().getByTestId('incident-export').click();
  const exportDialog = page.getByTestId('export-dialog');
  await exportDialog.getByTestId('export-caseReference').fill('C'.repeat(70));
  await exportDialog.getByTestId('export-person').fill('PC Jones');
  await exportDialog.getByTestId('export-start').click();
  await expect(exportDialog.getByTestId('export-error-reason')).toHaveText('Give the reason for this export.');
  await expect(exportDialog.getByTestId('export-error-caseReference')).toHaveText('The case reference is too long: at most 64 characters.');
  await expect(exportDialog.getByTestId('export-error-organisation')).toHaveText('Name their organisation.');
  await expect(exportDialog.getByTestId('export-error-basis')).toHaveText('Choose the legal basis for this disclosure.');
  await expectOnlySentences(page, 'export', 4);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');

  await page.getByTestId('open-verify').click();
  const verify = page.getByTestId('verify-dialog');
  await verify.getByTestId('verify-path').fill('/etc');
  await verify.getByTestId('verify-run').click();
  await expect(verify.getByTestId('verify-problem')).toBeVisible();
  await expectOnlySentences(page, 'verify /etc', 1);

  const folder = join(mkdtempSync(join(tmpdir(), 'watchroom-usb-')), 'holiday-photos');
  mkdirSync(folder);
  writeFileSync(join(folder, 'beach.jpg'), 'not a package');
  await verify.getByTestId('verify-folder-input').setInputFiles(folder);
  await expect(verify.getByTestId('verify-problem')).toHaveText('“holiday-photos” is not an evidence package: it has no manifest.json.');
  await expect(verify.getByTestId('verify-result')).toHaveCount(0);
  await expectOnlySentences(page, 'verify a folder of photos', 1);
  await verify.screenshot({ path: join(ARTIFACTS, 'messages-verify-not-a-package.png') });
});
