/**
 * The people screens in Chromium, each photographed: the person menu, the People dialog with the
 * core's errors beside their fields, the change-password dialog, the audit ledger, and what an
 * operator sees of the controls their role may not use; lock now and sign out.
 */
import { expect, test } from '../fixtures/e2e-test.js';
import { join } from 'node:path';
import { ADMIN, startHostProcess, tempDataDir, type HostProcess } from '../fixtures/host-process.js';
import { TEST_PASSWORD } from '../fixtures/people.js';
import { fillSignIn, signIn } from '../fixtures/sign-in-page.js';
import { giveLookBackReason } from '../fixtures/look-back.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
let host: HostProcess;

test.beforeAll(async () => {
  host = await startHostProcess(['--data', tempDataDir()]);
});

test.afterAll(async () => {
  await host?.stop();
});

test('an administrator adds people, changes their role and state, resets a password and sets the idle lock', async ({ page }) => {
  await signIn(page, host);
  const menu = page.getByTestId('person-menu');
  await expect(menu.getByTestId('person-name')).toHaveText(ADMIN);
  await expect(menu.getByTestId('person-role')).toHaveText('Administrator');
  await menu.locator('summary').click();
  for (const item of ['open-change-password', 'open-people', 'open-ledger', 'lock-now', 'sign-out']) await expect(menu.getByTestId(item)).toBeVisible();
  await page.screenshot({ path: join(ARTIFACTS, 'person-menu-admin.png') });

  await menu.getByTestId('open-people').click();
  const people = page.getByTestId('people-dialog');
  await expect(people.getByTestId('person-row')).toHaveCount(1);
  // The core's field errors sit by their fields.
  await people.getByTestId('add-person-name').fill('O');
  await people.getByTestId('add-person-password').fill('short');
  await people.getByTestId('add-person-submit').click();
  await expect(people.getByTestId('add-person-name-error')).toContainText('An account name is 2–40');
  await expect(people.getByTestId('add-person-displayName-error')).toHaveText('Give the person’s full name.');
  await expect(people.getByTestId('add-person-password-error')).toHaveText('A password has at least 10 characters.');
  await page.screenshot({ path: join(ARTIFACTS, 'people-dialog-field-errors.png') });

  await people.getByTestId('add-person-name').fill('olive');
  await people.getByTestId('add-person-displayName').fill('Olive Operator');
  await people.getByTestId('add-person-role').selectOption('operator');
  await people.getByTestId('add-person-password').fill(TEST_PASSWORD);
  await people.getByTestId('add-person-submit').click();
  await expect(people.getByTestId('add-person-done')).toContainText('Olive Operator (olive) can now sign in.');
  const olive = people.locator('[data-testid="person-row"][data-person-name="olive"]');
  await expect(olive.getByTestId('person-state')).toHaveText('Active');

  // The same name again: taken.
  await people.getByTestId('add-person-name').fill('olive');
  await people.getByTestId('add-person-displayName').fill('Another Olive');
  await people.getByTestId('add-person-password').fill(TEST_PASSWORD);
  await people.getByTestId('add-person-submit').click();
  await expect(people.getByTestId('add-person-name-error')).toHaveText('The name olive is taken (perhaps by a disabled account).');

  // The only administrator cannot stop being one.
  const me = people.locator(`[data-testid="person-row"][data-person-name="${ADMIN}"]`);
  await me.getByTestId('person-role-select').selectOption('operator');
  await expect(people.getByTestId('person-error')).toHaveText('Watchroom needs at least one active administrator: make another one first.');
  await expect(me.getByTestId('person-role-select')).toHaveValue('admin');

  // Promote, disable, enable, reset a password: each is what the table then shows.
  await olive.getByTestId('person-role-select').selectOption('investigator');
  await expect(olive.getByTestId('person-role-select')).toHaveValue('investigator');
  await olive.getByTestId('person-toggle-disabled').click();
  await expect(olive.getByTestId('person-state')).toHaveText('Disabled');
  await olive.getByTestId('person-toggle-disabled').click();
  await expect(olive.getByTestId('person-state')).toHaveText('Active');
  await olive.getByTestId('person-reset-password').click();
  await people.getByTestId('reset-password').fill('short');
  await people.getByTestId('reset-password-save').click();
  await expect(people.getByTestId('reset-password-error')).toHaveText('A password has at least 10 characters.');
  await people.getByTestId('reset-password').fill(TEST_PASSWORD);
  await people.getByTestId('reset-password-save').click();
  await expect(people.getByTestId('person-note')).toContainText('Olive Operator has a new password');

  await people.getByTestId('idle-lock-minutes').fill('0');
  await people.getByTestId('idle-lock-save').click();
  await expect(people.getByTestId('idle-lock-minutes-error')).toHaveText('At least one minute.');
  await people.getByTestId('idle-lock-minutes').fill('20');
  await people.getByTestId('idle-lock-save').click();
  await expect(people.getByTestId('idle-lock-saved')).toBeVisible();
  await page.screenshot({ path: join(ARTIFACTS, 'people-dialog.png') });
  await people.getByTestId('people-close').click();
  await expect(people).toBeHidden();
});

test('anyone changes their own password: a wrong current one or a mistyped repeat is said by its field; lock now waits for a sign-in', async ({ page }) => {
  await host.call('addPerson', { name: 'pat', displayName: 'Pat Investigator', role: 'investigator', password: TEST_PASSWORD });
  await signIn(page, host, 'pat');
  const menu = page.getByTestId('person-menu');
  await menu.locator('summary').click();
  await menu.getByTestId('open-change-password').click();
  const password = page.getByTestId('change-password-dialog');
  await password.getByTestId('change-password-current').fill('not my password');
  await password.getByTestId('change-password-next').fill('a new long password');
  await password.getByTestId('change-password-repeat').fill('a new long passwore');
  await password.getByTestId('change-password-save').click();
  await expect(password.getByTestId('change-password-repeat-error')).toHaveText('The two new passwords differ.');
  await password.getByTestId('change-password-repeat').fill('a new long password');
  await password.getByTestId('change-password-save').click();
  await expect(password.getByTestId('change-password-current-error')).toHaveText('Your current password is not right.');
  await page.screenshot({ path: join(ARTIFACTS, 'change-password-errors.png') });
  await password.getByTestId('change-password-current').fill(TEST_PASSWORD);
  await password.getByTestId('change-password-save').click();
  await expect(password.getByTestId('change-password-done')).toBeVisible();
  await password.getByTestId('change-password-close').click();
  await expect(password).toBeHidden();

  // Lock now: the lock screen over the wall, until someone signs in.
  await menu.locator('summary').click();
  await menu.getByTestId('lock-now').click();
  await expect(page.getByTestId('locked-screen')).toContainText('pat was signed in');
  await fillSignIn(page, 'pat', 'a new long password');
  await expect(page.getByTestId('locked-screen')).toBeHidden();
});

test('the ledger lists who did what in which role, newest first, the system apart, and filters by person or action', async ({ page }) => {
  const lena = await host.call('addPerson', { name: 'lena', displayName: 'Lena Officer', role: 'operator', password: TEST_PASSWORD });
  await host.call('updatePerson', { id: lena.id, changes: { role: 'evidence-officer' } });
  await host.call('updatePerson', { id: lena.id, changes: { disabled: true } });
  await host.call('updatePerson', { id: lena.id, changes: { disabled: false } });
  await host.call('setIdleLock', { minutes: 25 });
  await signIn(page, host, 'lena');
  const menu = page.getByTestId('person-menu');
  await expect(menu.getByTestId('person-role')).toHaveText('Evidence officer');
  await menu.locator('summary').click();
  await menu.getByTestId('open-ledger').click();
  const ledger = page.getByTestId('ledger-dialog');
  const rows = ledger.getByTestId('ledger-row');
  await expect(ledger.locator('[data-testid="ledger-row"][data-action="settings.idle-lock"]').first()).toHaveAttribute('data-actor', ADMIN);
  // Newest first: the idle lock was set after lena was added.
  const listed = await rows.evaluateAll((els) => els.map((el) => ({ seq: Number(el.getAttribute('data-seq')), action: el.getAttribute('data-action') })));
  expect(listed.map((r) => r.seq)).toEqual(listed.map((r) => r.seq).sort((a, b) => b - a));
  expect(listed.findIndex((r) => r.action === 'settings.idle-lock')).toBeLessThan(listed.findIndex((r) => r.action === 'people.add'));
  await expect(ledger.locator('[data-testid="ledger-row"][data-action="people.add"]').first()).toHaveAttribute('data-actor', ADMIN);
  await expect(ledger.locator('[data-testid="ledger-row"][data-actor="system"]').first()).toBeVisible();
  await expect(ledger.locator('[data-testid="ledger-row"][data-action="people.update"]').first()).toContainText('disabled true → false');
  await page.screenshot({ path: join(ARTIFACTS, 'audit-ledger.png') });
  await ledger.getByTestId('ledger-filter').fill('people.update');
  await expect(rows.filter({ hasText: 'lena' })).toHaveCount(3);
  for (const action of await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-action')))) expect(action).toBe('people.update');
  await ledger.getByTestId('ledger-filter').fill('lena sign-in');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Evidence officer');
  await ledger.getByTestId('ledger-filter').fill('system');
  for (const actor of await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-actor')))) expect(actor).toBe('system');
  await page.screenshot({ path: join(ARTIFACTS, 'audit-ledger-filtered.png') });
  await ledger.getByTestId('ledger-close').click();
  await expect(ledger).toBeHidden();
});

test('an operator sees which controls their role may not use, and who may, then signs out', async ({ page }) => {
  await host.call('addPerson', { name: 'opal', displayName: 'Opal Operator', role: 'operator', password: TEST_PASSWORD });
  await signIn(page, host, 'opal');
  const menu = page.getByTestId('person-menu');
  await expect(menu.getByTestId('person-role')).toHaveText('Operator');
  await menu.locator('summary').click();
  await expect(menu.getByTestId('open-change-password')).toBeVisible();
  await expect(menu.getByTestId('open-people')).toHaveCount(0);
  await expect(menu.getByTestId('open-ledger')).toHaveCount(0);
  await menu.locator('summary').click();

  // Camera settings: greyed out, with a line saying who may.
  await expect(page.getByTestId('add-camera')).toBeDisabled();
  await expect(page.getByTestId('import-cameras')).toBeDisabled();
  await expect(page.locator('[data-testid="permission-hint"][data-permission="cameras.configure"]')).toHaveText('Only administrators can add, change or remove cameras.');
  const firstCamera = page.getByTestId('camera-item').first();
  await expect(firstCamera.getByTestId('camera-remove')).toBeDisabled();
  await expect(firstCamera.getByTestId('camera-remove')).toHaveAttribute('title', 'Only administrators can add, change or remove cameras.');
  await expect(page.getByTestId('open-verify')).toBeDisabled();
  await expect(page.getByTestId('open-verify')).toHaveAttribute('title', 'Only investigators, evidence officers and administrators can verify evidence packages.');
  await page.screenshot({ path: join(ARTIFACTS, 'operator-wall.png') });

  // Retention: shown, not changeable.
  await page.getByTestId('person-menu').locator('summary').click();
  await page.getByTestId('open-retention').click();
  const retention = page.getByTestId('retention-dialog');
  await expect(retention.getByTestId('permission-hint')).toHaveText('Only administrators can change retention settings.');
  await expect(retention.getByTestId('retention-maxAgeDays')).toHaveAttribute('readonly');
  await expect(retention.getByTestId('retention-save')).toHaveCount(0);
  await page.screenshot({ path: join(ARTIFACTS, 'operator-retention.png') });
  await page.keyboard.press('Escape');

  // Export: greyed out in playback and in the incidents, with the same line.
  await page.getByTestId('open-playback').click();
  await giveLookBackReason(page);
  await expect(page.getByTestId('playback-export')).toBeDisabled();
  await expect(page.locator('[data-testid="permission-hint"][data-permission="evidence.export"]')).toHaveText('Only investigators and administrators can export footage.');
  await page.screenshot({ path: join(ARTIFACTS, 'operator-playback.png') });
  await page.getByTestId('playback-close').click();
  await page.getByTestId('open-incidents').click();
  await expect(page.getByTestId('incidents-panel').locator('[data-testid="permission-hint"][data-permission="evidence.export"]')).toBeVisible();
  await expect(page.getByTestId('incidents-panel').locator('[data-testid="permission-hint"][data-permission="evidence.lock"]')).toBeVisible();
  await page.screenshot({ path: join(ARTIFACTS, 'operator-incidents.png') });

  await menu.locator('summary').click();
  await menu.getByTestId('sign-out').click();
  await expect(page.getByTestId('sign-in-screen')).toBeVisible();
  const entries = await host.call('listAudit', { limit: 1000 });
  // Her live views close as the page leaves the wall (stream.close); her last act is the sign-out.
  expect(entries.findLast((e) => e.actor === 'opal' && !e.action.startsWith('stream.'))).toMatchObject({ action: 'auth.sign-out', role: 'operator' });
});

test('a person whose role was taken away meanwhile is told why the core refused, and the page follows the new role', async ({ page }) => {
  await host.call('addPerson', { name: 'ivan', displayName: 'Ivan Admin', role: 'admin', password: TEST_PASSWORD });
  await signIn(page, host, 'ivan');
  await page.getByTestId('add-camera').click();
  const ivan = (await host.call('listPeople')).find((p) => p.name === 'ivan')!;
  await host.call('updatePerson', { id: ivan.id, changes: { role: 'operator' } });

  const dialog = page.getByTestId('camera-dialog');
  await dialog.getByTestId('camera-name').fill('Back door');
  await dialog.getByTestId('camera-url').fill('rtsp://192.0.2.1/stream');
  await dialog.getByTestId('camera-save').click();
  await expect(dialog.getByTestId('camera-error')).toHaveText(
    'Your role (Operator) does not allow this. Only administrators can add, change or remove cameras.',
  );
  await expect(page.getByTestId('person-role')).toHaveText('Operator');
  await page.screenshot({ path: join(ARTIFACTS, 'refused-after-role-change.png') });
  await dialog.getByTestId('camera-cancel').click();
  await expect(page.getByTestId('add-camera')).toBeDisabled();
  await expect(page.locator('[data-testid="permission-hint"][data-permission="cameras.configure"]')).toBeVisible();
});

test('the ledger view lists the latest 200 entries and shows more on request', async ({ page }) => {
  for (let i = 0; i < 210; i++) await host.call('setIdleLock', { minutes: 30 + (i % 10) });
  await signIn(page, host);
  await page.getByTestId('person-menu').locator('summary').click();
  await page.getByTestId('open-ledger').click();
  const ledger = page.getByTestId('ledger-dialog');
  await expect(ledger.getByTestId('ledger-row')).toHaveCount(200);
  await expect(ledger.getByTestId('ledger-count')).toHaveText('200 of the latest 200 entries');
  await ledger.getByTestId('ledger-more').click();
  // The ledger holds more than 210 entries by now (and recording adds more as it goes): up to 200 more.
  const rows = ledger.getByTestId('ledger-row');
  await expect.poll(() => rows.count()).toBeGreaterThan(210);
  expect(await rows.count()).toBeLessThanOrEqual(400);
});
