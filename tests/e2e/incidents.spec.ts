/** Incidents end to end in Chromium: bookmark a live tile, find it by tag, play it, export it, verify it. */
import { expect, test } from '../fixtures/e2e-test.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { signIn } from '../fixtures/sign-in-page.js';
import { startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';
import { waitForFootage } from '../fixtures/recording-checks.js';
import { giveLookBackReason } from '../fixtures/look-back.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
let host: HostProcess;

test.beforeAll(async () => {
  const cam = await startTestCamera({ codec: 'h264', label: 'Incident cam' });
  const dataDir = tempDataDir();
  host = await startHostProcess(['--data', dataDir, '--cameras', writeCameraFile([{ name: 'Car park', url: cam.url }])]);
  await waitForFootage(join(dataDir, 'recordings'), 12); // footage before the moment we mark
});

test.afterAll(async () => {
  await host?.stop();
  await stopAllTestCameras();
});

test('bookmark a live tile, find it by tag, open its playback, export it with progress, verify it', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, host);
  const tile = page.getByTestId('tile-0');
  await expect(tile).toHaveAttribute('data-state', 'live');
  await tile.hover();
  await tile.getByTestId('tile-bookmark').click();
  const dialog = page.getByTestId('bookmark-dialog');
  await expect(dialog.getByTestId('bookmark-moment')).toContainText('Car park at');
  await dialog.getByTestId('bookmark-save').click();
  await expect(dialog.getByTestId('bookmark-error-title')).toHaveText('Give the bookmark a title.');
  await dialog.getByTestId('bookmark-title').fill('Car broken into');
  await dialog.getByTestId('bookmark-tags').fill('vehicle, theft');
  await dialog.getByTestId('bookmark-caseReference').fill('CASE-9');
  await dialog.getByTestId('bookmark-beforeMs').fill('8');
  await dialog.getByTestId('bookmark-afterMs').fill('0');
  await page.screenshot({ path: join(ARTIFACTS, 'bookmark-dialog.png') });
  await dialog.getByTestId('bookmark-save').click();
  await expect(dialog).toBeHidden();

  await page.getByTestId('open-incidents').click();
  const panel = page.getByTestId('incidents-panel');
  await panel.getByTestId('incidents-tag').fill('nothing-like-this');
  await expect(panel.getByTestId('incident')).toHaveCount(0);
  await panel.getByTestId('incidents-tag').fill('theft');
  const item = panel.getByTestId('incident');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('Car broken into');
  await expect.poll(() => item.getByTestId('incident-thumb').evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 15_000 }).toBe(320);
  await page.screenshot({ path: join(ARTIFACTS, 'incidents-panel.png') });

  await item.getByTestId('incident-play').click();
  // Looking back from a bookmark: its case reference is the reason, filled in already.
  await expect(page.getByTestId('look-back-caseReference')).toHaveValue('CASE-9');
  await giveLookBackReason(page, '');
  const playback = page.getByTestId('playback-panel');
  await expect(playback.getByTestId('playback-cell')).toHaveCount(1);
  await expect.poll(async () => Number(await playback.getByTestId('playback-time').getAttribute('data-wall-ms')), { timeout: 20_000 }).toBeGreaterThan(0);
  await playback.getByTestId('playback-close').click();

  await item.getByTestId('incident-export').click();
  const exportDialog = page.getByTestId('export-dialog');
  await expect(exportDialog.getByTestId('export-caseReference')).toHaveValue('CASE-9');
  await exportDialog.getByTestId('export-start').click();
  await expect(exportDialog.getByTestId('export-error-reason')).toHaveText('Give the reason for this export.');
  await exportDialog.getByTestId('export-reason').fill('Owner reported vehicle crime; police request');
  // Kept inside the organisation: with a recipient it would be a disclosure waiting for a second person (disclosure.spec.ts).
  await exportDialog.getByTestId('export-start').click();
  await expect(exportDialog.getByTestId('export-progress-bar')).toBeVisible();
  await page.screenshot({ path: join(ARTIFACTS, 'export-progress.png') });
  await expect(exportDialog.getByTestId('export-done')).toBeVisible({ timeout: 60_000 });
  await expect(exportDialog.getByTestId('export-progress')).toHaveAttribute('data-state', 'done');

  // The browser shell offers the package as a zip; unzipped, the recipient's own tool checks it.
  const packageName = (await exportDialog.getByTestId('export-package-name').textContent())!;
  expect(packageName).toMatch(/^WR-CASE-9-\d{8}T\d{6}Z/);
  await expect(exportDialog.getByTestId('export-download')).toBeVisible();
  await page.screenshot({ path: join(ARTIFACTS, 'export-finished-download.png') });
  const [download] = await Promise.all([page.waitForEvent('download'), exportDialog.getByTestId('export-download').click()]);
  expect(download.suggestedFilename()).toBe(`${packageName}.zip`);
  const unzipped = mkdtempSync(join(tmpdir(), 'watchroom-downloaded-'));
  await download.saveAs(join(unzipped, download.suggestedFilename()));
  execFileSync('unzip', ['-q', download.suggestedFilename()], { cwd: unzipped });
  const sums = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: join(unzipped, packageName), encoding: 'utf8' });
  expect(sums.status, sums.stdout + sums.stderr).toBe(0);
  expect(sums.stdout).toMatch(/master\/.+: OK/);

  // "Verify package" verifies, without another click.
  await exportDialog.getByTestId('export-verify').click();
  const verify = page.getByTestId('verify-dialog');
  await expect(verify.getByTestId('verify-result')).toHaveAttribute('data-ok', 'true');
  await expect(verify.getByTestId('verify-result')).toContainText('Case CASE-9');
  await page.screenshot({ path: join(ARTIFACTS, 'verify-ok.png') });

  // An evidence officer chooses a received copy, in a folder named as the sender named it: the browser
  // shell copies it to the host and checks that, and names it as the officer knows it.
  const exported = await verify.getByTestId('verify-path').inputValue();
  const received = join(mkdtempSync(join(tmpdir(), 'watchroom-received-')), 'case-123-package');
  cpSync(exported, received, { recursive: true });
  await verify.getByTestId('verify-folder-input').setInputFiles(received);
  await expect(verify.getByTestId('verify-result')).toHaveAttribute('data-ok', 'true');
  await expect(verify.getByTestId('verify-package-name')).toHaveText('case-123-package');
  await expect(verify).not.toContainText('received/');
  await expect(verify.getByTestId('verify-path')).toHaveValue('');
  await page.screenshot({ path: join(ARTIFACTS, 'verify-uploaded.png') });
  const tampered = join(mkdtempSync(join(tmpdir(), 'watchroom-tampered-')), basename(exported));
  cpSync(exported, tampered, { recursive: true });
  const master = join(tampered, 'master', readdirSync(join(tampered, 'master'))[0]!);
  const bytes = readFileSync(master);
  bytes[bytes.length >> 1]! ^= 0xff;
  writeFileSync(master, bytes);
  await verify.getByTestId('verify-folder-input').setInputFiles(tampered);
  await expect(verify.getByTestId('verify-result')).toHaveAttribute('data-ok', 'false');
  await expect(verify.getByTestId('verify-failure').first()).toHaveAttribute('data-code', 'file-hash-mismatch');
  await page.screenshot({ path: join(ARTIFACTS, 'verify-tampered.png') });

  // Trusting a partner's signer: listed beside this workstation's own key.
  await verify.getByTestId('verify-trusted').locator('summary').click();
  await expect(verify.getByTestId('trusted-key')).toHaveCount(1);
  await expect(verify.getByTestId('trusted-key')).toHaveAttribute('data-own', 'true');
  const partnerKey = join(mkdtempSync(join(tmpdir(), 'watchroom-partner-')), 'partner.pub.pem');
  writeFileSync(partnerKey, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }));
  await verify.getByTestId('verify-import-key').setInputFiles(partnerKey);
  await expect(verify.getByTestId('verify-key-note')).toContainText('Now trusted');
  await expect(verify.getByTestId('trusted-key')).toHaveCount(2);
  await page.screenshot({ path: join(ARTIFACTS, 'verify-trusted-keys.png') });
  await verify.getByRole('button', { name: 'Close' }).click();

  // Edit, lock (with a reason), unlock, delete: every change shows in the list at once.
  await item.getByTestId('incident-edit').click();
  await expect(dialog.getByTestId('bookmark-title')).toHaveValue('Car broken into');
  await dialog.getByTestId('bookmark-notes').fill('Silver hatchback, rear window');
  await dialog.getByTestId('bookmark-save').click();
  await expect(dialog).toBeHidden();
  await expect(item).toContainText('Silver hatchback, rear window');
  const confirm = page.getByTestId('confirm-dialog');
  await item.getByTestId('incident-lock').click();
  await confirm.getByTestId('confirm-ok').click();
  await expect(confirm.getByTestId('confirm-error')).toContainText('Say why');
  await confirm.getByTestId('confirm-reason').fill('Insurer requested footage');
  await confirm.getByTestId('confirm-ok').click();
  await expect(item.getByTestId('incident-locked')).toBeVisible();
  await expect(item.getByTestId('incident-delete')).toBeDisabled();
  await page.screenshot({ path: join(ARTIFACTS, 'incident-locked.png') });
  await item.getByTestId('incident-lock').click();
  await confirm.getByTestId('confirm-reason').fill('Claim settled');
  await confirm.getByTestId('confirm-ok').click();
  await expect(item.getByTestId('incident-locked')).toBeHidden();
  await item.getByTestId('incident-delete').click();
  await confirm.getByTestId('confirm-ok').click();
  await expect(panel.getByTestId('incident')).toHaveCount(0);
});
