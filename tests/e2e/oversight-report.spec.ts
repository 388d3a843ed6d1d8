/**
 * "Oversight report…" in the person menu: an administrator chooses a month of synthetic ledger
 * entries, generates its report, sees the figures in brief and opens the signed PDF.
 */
import { expect, test } from '../fixtures/e2e-test.js';
import { join } from 'node:path';
import { AuditLedger } from '../../electron/core/audit/audit-ledger.js';
import { MONTH, writeOversightMonth } from '../fixtures/oversight-month.js';
import { signIn } from '../fixtures/sign-in-page.js';
import { startHostProcess, tempDataDir, type HostProcess } from '../fixtures/host-process.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
let host: HostProcess;

test.beforeAll(async () => {
  const dataDir = tempDataDir();
  const clock = { ms: 0 };
  const ledger = new AuditLedger(join(dataDir, 'audit.jsonl'), { now: () => clock.ms });
  writeOversightMonth(ledger, clock);
  ledger.close();
  host = await startHostProcess(['--data', dataDir]);
});

test.afterAll(async () => {
  await host?.stop();
});

test('an administrator generates a month’s oversight report, sees its figures and opens the PDF', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, host);
  await page.getByTestId('person-menu').click();
  await page.getByTestId('open-oversight-report').click();
  const dialog = page.getByTestId('oversight-dialog');
  await dialog.getByTestId('oversight-month').fill(MONTH);
  await dialog.getByTestId('oversight-generate').click();
  const figures = dialog.getByTestId('oversight-figures');
  await expect(figures.locator('tr', { hasText: 'Disclosures outside the organisation' })).toContainText('3');
  await expect(figures.locator('tr', { hasText: 'Mask lifts' })).toContainText('2');
  await expect(figures.locator('tr', { hasText: 'Failed sign-ins' })).toContainText('3');
  await expect(dialog.getByTestId('oversight-bases')).toContainText('Court');
  await expect(dialog.getByTestId('oversight-organisations').locator('tr', { hasText: 'Met Police' })).toContainText('2');
  const href = await dialog.getByTestId('oversight-pdf').getAttribute('href');
  const pdf = await page.request.get(new URL(href!, page.url()).href);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await page.screenshot({ path: join(ARTIFACTS, 'oversight-report-dialog.png') });
});
