/**
 * Smoke test of the Electron shell with Playwright's _electron. The Electron binary cannot be
 * downloaded on machines without internet beyond the npm registry; there this test reports itself
 * skipped, with the reason, instead of passing.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';

const binary = findElectronBinary();
const skipReason = `the Electron binary is not on this machine (${binary.why}); the browser-shell e2e tests cover the same renderer and API`;
if (!binary.path) process.stdout.write(`electron-shell: SKIPPED: ${skipReason}\n`);

test(`electron shell: wall window opens with the secure preload API and live demo tiles${binary.path ? '' : ' [skipped: no Electron binary]'}`, async () => {
  test.skip(binary.path === null, skipReason);
  const app = await electron.launch({
    executablePath: binary.path!,
    args: ['.', `--user-data-dir=${mkdtempSync(join(tmpdir(), 'watchroom-electron-'))}`],
  });
  const win = await app.firstWindow();
  await expect(win).toHaveTitle('Watchroom');
  // The renderer sees the typed bridge and nothing of Node.
  expect(await win.evaluate(() => typeof (window as unknown as { watchroom?: unknown }).watchroom)).toBe('object');
  expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  expect(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
  // Navigation away from the app and new windows are refused.
  await win.evaluate(() => window.open('https://example.org'));
  expect(app.windows()).toHaveLength(1);
  await expect(win.getByTestId('tile-state').first()).toHaveText('live', { timeout: 30_000 });
  await app.close();
});
