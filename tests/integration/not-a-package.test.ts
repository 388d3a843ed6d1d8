/**
 * A folder that is no evidence package (/etc, an empty folder, a file, nothing at all) is refused
 * with a sentence that says so, in the app and in watchroom-verify alike, never as an internal error
 * or a report of empty fields.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';

const VERIFY_CLI = join(import.meta.dirname, '..', '..', 'dist', 'electron', 'cli', 'watchroom-verify.js');

let h: TestHost;
beforeAll(async () => {
  h = await startTestHost();
});
afterAll(async () => {
  await h.close();
});

const refusal = (path: string) => h.api.verifyPackage({ path }).then(
  (report) => ({ code: 'verified anyway', message: JSON.stringify(report) }),
  (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
);

describe('verifying something that is not an evidence package', () => {
  it('says so in the app, naming the folder as the person chose it, and enters nothing in the ledger', async () => {
    const usb = mkdtempSync(join(tmpdir(), 'watchroom-usb-'));
    writeFileSync(join(usb, 'notes.txt'), 'not a package');
    for (const chosen of ['/etc', usb, join(usb, 'notes.txt'), join(usb, 'gone')]) h.core.grantPackageFolder(chosen);
    const before = (await h.api.listAudit({ limit: 1000 })).length;

    expect(await refusal('/etc')).toEqual({ code: 'evidence.not-a-package', message: '“/etc” is not an evidence package: it has no manifest.json.' });
    expect(await refusal(usb)).toEqual({ code: 'evidence.not-a-package', message: `“${usb}” is not an evidence package: it has no manifest.json.` });
    expect(await refusal(join(usb, 'notes.txt'))).toEqual({ code: 'evidence.not-a-package', message: `“${join(usb, 'notes.txt')}” is a file, not an evidence package: choose the package’s folder (the one named WR-…).` });
    expect(await refusal(join(usb, 'gone'))).toEqual({ code: 'evidence.not-a-package', message: `There is no folder “${join(usb, 'gone')}”.` });
    // A folder the browser shell received goes by the name it had, not by where the copy lies.
    const copy = join(h.dataDir, 'received', '0b8c3c5e-8f0e-4a59-9d7e-2f7f5a0f3c11', 'holiday-photos');
    mkdirSync(copy, { recursive: true });
    writeFileSync(join(copy, 'a.jpg'), 'x');
    expect(await refusal(copy)).toEqual({ code: 'evidence.not-a-package', message: '“holiday-photos” is not an evidence package: it has no manifest.json.' });

    expect((await h.api.listAudit({ limit: 1000 })).length).toBe(before);
  });

  it('says the same in watchroom-verify, with nothing else to read', () => {
    const r = spawnSync(process.execPath, [VERIFY_CLI, '/etc'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, WATCHROOM_DATA: '', HOME: mkdtempSync(join(tmpdir(), 'watchroom-home-')) } });
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['“/etc” is not an evidence package: it has no manifest.json.', 'RESULT:  FAILED — nothing was checked.']);
    expect(r.stdout).not.toMatch(/Signer|Case:|internal/);
  });
});
