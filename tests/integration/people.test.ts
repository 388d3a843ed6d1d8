/**
 * People against a real core and a real data folder: the first administrator (once, in the page or
 * on the command line), sign-in slowed and recorded when it fails, disabled accounts, the last
 * administrator, passwords at rest, and the idle lock enforced by the core itself.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core.js';
import { createAdmin, tempDataDir } from '../fixtures/host-process.js';
import { TEST_PASSWORD } from '../fixtures/people.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';

let h: TestHost | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const ledger = (dataDir: string) => readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { actor: string; role?: string; action: string; subject: string; details?: Record<string, unknown> });
/** Every file of the data folder, as text: where a password must never appear. */
const everything = (dir: string): string =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => readFileSync(join(d.parentPath, d.name)).toString('latin1'))
    .join('\n');

describe('people', () => {
  it('makes exactly one first administrator, even when two ask at once, and stores no password', async () => {
    const dataDir = tempDataDir();
    const core = createCore({ dataDir, appVersion: 'test', shell: 'browser' });
    try {
      expect(await core.system.getSession()).toMatchObject({ person: null, needsFirstAdmin: true });
      const results = await Promise.allSettled([
        core.system.createFirstAdmin({ name: 'ada', displayName: 'Ada', password: 'first-password-1' }),
        core.system.createFirstAdmin({ name: 'eve', displayName: 'Eve', password: 'second-password-2' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'people.first-admin-exists' } });
      expect((await core.system.getSession()).needsFirstAdmin).toBe(false);
    } finally {
      await core.close();
    }
    const files = everything(dataDir);
    expect(files).not.toContain('first-password-1');
    expect(files).not.toContain('second-password-2');
    expect(files).toMatch(/scrypt\$32768\$8\$1\$/);
  });

  it('watchroom-host --create-admin reads the password from standard input, never its command line, and only once', async () => {
    const dataDir = tempDataDir();
    const made = await createAdmin(dataDir, 'ada', 'from-stdin-password', ['--display-name', 'Ada Lovelace']);
    expect(made).toMatchObject({ code: 0, stdout: expect.stringContaining('Created administrator ada') });
    const again = await createAdmin(dataDir, 'bob', 'another-password');
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('already has an administrator');
    const weak = await createAdmin(tempDataDir(), 'carl', 'short');
    expect([weak.code, weak.stderr]).toEqual([2, expect.stringContaining('at least 10 characters')]);
    const core = createCore({ dataDir, appVersion: 'test', shell: 'browser' });
    try {
      const { session } = await core.system.signIn({ name: 'ada', password: 'from-stdin-password' });
      expect(session.person).toMatchObject({ name: 'ada', displayName: 'Ada Lovelace', role: 'admin' });
    } finally {
      await core.close();
    }
    expect(ledger(dataDir).find((e) => e.action === 'people.first-admin')).toMatchObject({ actor: 'system', subject: 'ada', details: { via: 'command-line' } });
  });

  it('records every failed sign-in, slows guessing after three, and names no password', async () => {
    h = await startTestHost();
    await h.api.addPerson({ name: 'olive', displayName: 'Olive', role: 'operator', password: TEST_PASSWORD });
    const codes: string[] = [];
    // Each failure past the third doubles the wait (sign-in-throttle.test.ts has the schedule), so
    // however slow this machine, guessing soon meets a wait.
    for (let i = 0; i < 9; i++) codes.push(await h.core.system.signIn({ name: 'olive', password: `guess-${i}` }).then(() => 'ok', (e: { code: string }) => e.code));
    expect(codes.slice(0, 3)).toEqual(['auth.bad-credentials', 'auth.bad-credentials', 'auth.bad-credentials']);
    expect(codes).toContain('auth.slow-down');
    await expect(h.core.system.signIn({ name: 'olive', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'auth.slow-down' });
    await expect(h.core.system.signIn({ name: 'nobody', password: 'whatever-password' })).rejects.toMatchObject({ code: 'auth.bad-credentials' });
    const failures = ledger(h.dataDir).filter((e) => e.action === 'auth.sign-in-failed');
    const wrong = codes.filter((c) => c === 'auth.bad-credentials').length;
    expect(failures.map((e) => [e.actor, e.subject, e.details?.why])).toEqual([...Array(wrong).fill(['system', 'olive', 'wrong-password']), ['system', 'unknown name', 'unknown-name']]);
    // A name that is no account may be a password typed in the wrong field: only its hash is kept.
    expect(readFileSync(join(h.dataDir, 'audit.jsonl'), 'utf8')).not.toMatch(/guess-|whatever-password|correct-horse|nobody/);
  });

  it('disables an account without deleting it, keeps the last administrator, and ends sessions on a password reset', async () => {
    h = await startTestHost();
    const ivy = await h.as('ivy', 'investigator');
    const id = (name: string) => h!.api.listPeople().then((all) => all.find((p) => p.name === name)!.id);
    const tester = await id('tester');
    await expect(h.api.updatePerson({ id: tester, changes: { role: 'operator' } })).rejects.toMatchObject({ code: 'people.last-admin' });
    await expect(h.api.updatePerson({ id: tester, changes: { disabled: true } })).rejects.toMatchObject({ code: 'people.last-admin' });
    await h.api.resetPassword({ id: await id('ivy'), password: 'a-new-password' });
    await expect(ivy.api.listCameras()).rejects.toMatchObject({ code: 'auth.required' });
    const again = await h.core.system.signIn({ name: 'ivy', password: 'a-new-password' });
    await h.api.updatePerson({ id: await id('ivy'), changes: { disabled: true } });
    await expect(h.core.api(again.token).listCameras()).rejects.toMatchObject({ code: 'auth.required' });
    await expect(h.core.system.signIn({ name: 'ivy', password: 'a-new-password' })).rejects.toMatchObject({ code: 'auth.bad-credentials', message: expect.stringContaining('disabled') });
    // Still there, with its history: the name stays taken.
    expect((await h.api.listPeople()).find((p) => p.name === 'ivy')).toMatchObject({ disabled: true, role: 'investigator' });
    await expect(h.api.addPerson({ name: 'IVY', displayName: 'Another Ivy', role: 'operator', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'people.name-taken' });
    // A role changed by an administrator applies to a running session at once.
    const olive = await h.as('olive', 'operator');
    await expect(olive.api.startExport({ cameraIds: ['cam-x'], fromMs: 1, toMs: 2, reason: 'r', caseReference: 'c', recipient: null, workingCopy: false })).rejects.toMatchObject({ code: 'auth.forbidden' });
    await h.api.updatePerson({ id: await id('olive'), changes: { role: 'investigator' } });
    await expect(olive.api.startExport({ cameraIds: ['cam-x'], fromMs: 1, toMs: 2, reason: 'r', caseReference: 'c', recipient: null, workingCopy: false })).rejects.toMatchObject({ code: 'camera.not-found' });
  });

  it('changes a password only with the current one, and signs the person’s other sessions out', async () => {
    h = await startTestHost();
    const olive = await h.as('olive', 'operator');
    const elsewhere = await h.core.system.signIn({ name: 'olive', password: TEST_PASSWORD });
    await expect(olive.api.changePassword({ current: 'not-it-at-all', next: 'brand-new-password' })).rejects.toMatchObject({ code: 'auth.bad-credentials' });
    await expect(olive.api.changePassword({ current: TEST_PASSWORD, next: 'short' })).rejects.toMatchObject({ code: 'api.invalid-argument' });
    await olive.api.changePassword({ current: TEST_PASSWORD, next: 'brand-new-password' });
    expect((await olive.api.getSession()).person?.name).toBe('olive');
    await expect(h.core.api(elsewhere.token).listCameras()).rejects.toMatchObject({ code: 'auth.required' });
    await expect(h.core.system.signIn({ name: 'olive', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'auth.bad-credentials' });
    expect(everything(h.dataDir)).not.toContain('brand-new-password');
  });

  it('locks an idle session in the core: the wall stays readable, actions wait for a sign-in, the person’s own calls keep it awake', async () => {
    h = await startTestHost({ idleLockMs: 1_500 });
    const olive = await h.as('olive', 'operator');
    // Acting keeps it awake.
    for (let i = 0; i < 4; i++) {
      await olive.api.setWall({ wallId: 'wall-1', state: await olive.api.getWall({ wallId: 'wall-1' }) });
      await new Promise((r) => setTimeout(r, 500));
    }
    expect((await olive.api.getSession()).locked).toBe(false);
    // Left alone, it locks.
    await waitFor('the session to lock', async () => (await olive.api.getSession()).locked, 20_000);
    await expect(olive.api.setWall({ wallId: 'wall-1', state: await olive.api.getWall({ wallId: 'wall-1' }) })).rejects.toMatchObject({ code: 'auth.locked' });
    await expect(olive.api.reportActivity()).rejects.toMatchObject({ code: 'auth.locked' });
    expect((await olive.api.listCameras()).length).toBeGreaterThanOrEqual(0); // the wall stays on screen
    const again = await h.core.system.signIn({ name: 'olive', password: TEST_PASSWORD });
    const fresh = h.core.api(again.token);
    await fresh.setWall({ wallId: 'wall-1', state: await olive.api.getWall({ wallId: 'wall-1' }) });
    // Locked by hand ("Lock now", or the page's own idle timer): at once, and on the record.
    await fresh.lockSession({ why: 'by-hand' });
    await expect(fresh.setWall({ wallId: 'wall-1', state: await fresh.getWall({ wallId: 'wall-1' }) })).rejects.toMatchObject({ code: 'auth.locked' });
    expect(ledger(h.dataDir).filter((e) => e.action === 'auth.locked').map((e) => [e.actor, e.role, e.details?.why])).toEqual([['olive', 'operator', 'by-hand']]);
  });

  it('a sign-in replaces the caller’s session: the locked one it came from is worth nothing after it', async () => {
    h = await startTestHost();
    const olive = await h.as('olive', 'operator');
    await olive.api.lockSession({ why: 'idle' });
    expect((await olive.api.listCameras()).length).toBeGreaterThanOrEqual(0); // the wall stays while locked
    // The lock screen signs in with the locked session's token still attached, as the page does.
    const again = await h.core.call(olive.token, 'signIn', { name: 'olive', password: TEST_PASSWORD });
    expect(again.ok).toBe(true);
    await expect(olive.api.listCameras()).rejects.toMatchObject({ code: 'auth.required' });
    expect(ledger(h.dataDir).findLast((e) => e.action === 'auth.sign-in')).toMatchObject({ actor: 'olive', details: { replacedSessionOf: 'olive' } });
  });
});
