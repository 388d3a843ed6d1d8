/**
 * Attacks on the accountability layer (issue 10), against a real core, host, cameras and ledger:
 * sockets that outlive their session, events that tell a role more than its permissions, locked
 * sessions that still act or come back to life, sign-in throttling and signed media links.
 * Each test is named after the attack and asserts that the defence holds.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CoreEvent } from '../../shared/events.js';
import { sessionProtocol, WS_PROTOCOL } from '../../shared/session-transport.js';
import { LiveClient } from '../fixtures/live-client.js';
import { TEST_PASSWORD } from '../fixtures/people.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';

/** An /events socket of a session, recording what arrives and how it closed. */
function eventsSocket(h: TestHost, token: string) {
  const ws = new WebSocket(`${h.baseUrl.replace(/^http/, 'ws')}/events`, [WS_PROTOCOL, sessionProtocol(token)]);
  const got = { events: [] as CoreEvent[], closeCode: null as number | null, open: new Promise((resolve) => ws.once('open', resolve)) };
  ws.on('message', (data) => got.events.push(JSON.parse(data.toString()) as CoreEvent));
  ws.on('close', (code) => (got.closeCode = code));
  return got;
}

describe('sockets and events against a recording camera', () => {
  let h: TestHost;
  let cameraId: string;

  beforeAll(async () => {
    h = await startTestHost({ segmentSeconds: 2 });
    cameraId = (await h.api.addDemoCameras())[0]!.id;
    await h.waitForState(cameraId, 'live', 0, 60_000);
  }, 90_000);
  afterAll(async () => h?.close());

  it.each(['disabled', 'signed-out'] as const)('a live socket and an events socket opened before the session ended (%s) close at once', async (how) => {
    const person = await h.as(`sock-${how}`, 'operator');
    const live = new LiveClient(h.baseUrl, cameraId, person.token, 'sub');
    const events = eventsSocket(h, person.token);
    await events.open;
    await waitFor('live fragments', () => live.fragmentsSinceInit().length > 0, 30_000);
    if (how === 'signed-out') await person.api.signOut();
    else await h.api.updatePerson({ id: (await h.api.listPeople()).find((p) => p.name === person.name)!.id, changes: { disabled: true } });
    await waitFor('the live socket to close', () => live.closeCode !== null, 10_000);
    await waitFor('the events socket to close', () => events.closeCode !== null, 10_000);
    expect([live.closeCode, events.closeCode]).toEqual([4401, 4401]);
  }, 60_000);

  it('an operator’s events socket hears nothing of exports (case reference, package path), an investigator’s does', async () => {
    const operator = await h.as('ev-operator', 'operator');
    const investigator = await h.as('ev-investigator', 'investigator');
    const [theirs, allowed] = [eventsSocket(h, operator.token), eventsSocket(h, investigator.token)];
    await Promise.all([theirs.open, allowed.open]);
    const range = await waitFor('four seconds of footage', async () => {
      const r = (await h.api.listRecordings({ cameraId, fromMs: Date.now() - 600_000, toMs: Date.now() + 60_000 })).at(-1);
      return r && r.endMs - r.startMs >= 4_000 ? { fromMs: r.startMs + 500, toMs: r.startMs + 2_500 } : undefined;
    }, 90_000);
    const job = await investigator.api.startExport({ cameraIds: [cameraId], ...range, reason: 'Secret', caseReference: 'SECRET-42', recipient: null, workingCopy: false });
    await waitFor('the export to end', () => allowed.events.some((e) => e.type === 'export.progress' && e.job.id === job.id && e.job.state !== 'running'), 120_000);
    // An event after the export's last one, so the operator's socket has had every event before it.
    await h.api.setWall({ wallId: 'wall-1', state: await h.api.getWall({ wallId: 'wall-1' }) });
    await waitFor('the wall change to reach the operator', () => theirs.events.some((e) => e.type === 'wall.changed'));
    expect(theirs.events.filter((e) => e.type === 'export.progress')).toEqual([]);
  }, 300_000);
});

describe('locked sessions', () => {
  let h: TestHost;
  beforeAll(async () => {
    h = await startTestHost({ idleLockMs: 1_000 });
  });
  afterAll(async () => h?.close());

  it('an administrator raising the idle-lock time does not unlock a session that already locked', async () => {
    const olive = await h.as('olive', 'operator');
    await waitFor('olive’s session to lock', async () => (await olive.api.getSession()).locked);
    const admin = h.core.api((await h.core.system.signIn({ name: 'tester', password: TEST_PASSWORD })).token);
    await admin.setIdleLock({ minutes: 240 });
    expect((await olive.api.getSession()).locked).toBe(true);
    await expect(olive.api.reportActivity()).rejects.toMatchObject({ code: 'auth.locked' });
    await expect(olive.api.setWall({ wallId: 'wall-1', state: await olive.api.getWall({ wallId: 'wall-1' }) })).rejects.toMatchObject({ code: 'auth.locked' });
    // A fresh session gets the new time.
    const fresh = h.core.api((await h.core.system.signIn({ name: 'olive', password: TEST_PASSWORD })).token);
    await fresh.reportActivity();
  });

  it('a locked session can neither upload package files nor use media links it was given before', async () => {
    // The fixture's administrator session has locked by now: a fresh one adds Ivy.
    const admin = h.core.api((await h.core.system.signIn({ name: 'tester', password: TEST_PASSWORD })).token);
    await admin.addPerson({ name: 'ivy', displayName: 'Ivy', role: 'investigator', password: TEST_PASSWORD });
    const { token } = await h.core.system.signIn({ name: 'ivy', password: TEST_PASSWORD });
    const ivy = h.core.api(token);
    const link = await ivy.mediaLink({ path: '/media/cam-any/recording.m3u8?fromMs=1000&toMs=2000' });
    await ivy.lockSession({ why: 'by-hand' });
    const upload = await fetch(`${h.baseUrl}/received/${randomUUID()}/pkg/manifest.json`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: '{}' });
    expect(upload.status).toBe(423);
    expect(((await upload.json()) as { error: { code: string } }).error.code).toBe('auth.locked');
    expect((await fetch(`${h.baseUrl}${link}`)).status).toBe(401);
  });
});

describe('sign-in and signed links', () => {
  let h: TestHost;
  beforeAll(async () => {
    h = await startTestHost();
  });
  afterAll(async () => h?.close());

  it('case, whitespace and look-alike variants of a name share its sign-in throttle', async () => {
    await h.api.addPerson({ name: 'olive', displayName: 'Olive', role: 'operator', password: TEST_PASSWORD });
    const variants = ['olive', 'Olive', ' OLIVE ', 'olIve', 'oLive\t', 'OlivE'];
    const codes: string[] = [];
    for (const name of [...variants, ...variants]) codes.push(await h.core.system.signIn({ name, password: 'wrong-guess' }).then(() => 'ok', (e: { code: string }) => e.code));
    expect(codes).toContain('auth.slow-down');
    // A look-alike (dotless ı) is no account name at all: refused before any hashing.
    await expect(h.core.system.signIn({ name: 'olıve', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'api.invalid-argument' });
  });

  it('a signed media link cannot be extended, re-scoped or given a second signature', async () => {
    const path = '/media/cam-a/recording.m3u8?fromMs=1000&toMs=2000';
    const link = new URL(await h.api.mediaLink({ path }), h.baseUrl);
    const variant = (edit: (q: URLSearchParams) => void, pathname = link.pathname) => {
      const u = new URL(link);
      u.pathname = pathname;
      edit(u.searchParams);
      return fetch(u).then((r) => r.status);
    };
    const exp = link.searchParams.get('exp')!;
    expect(await variant(() => undefined)).not.toBe(401); // 404: no such camera, but the link is good
    expect(await variant((q) => q.set('exp', String(Number(exp) + 3_600_000)))).toBe(401);
    expect(await variant((q) => q.append('exp', String(Number(exp) + 3_600_000)))).toBe(401);
    expect(await variant((q) => q.append('toMs', '99999999'))).toBe(401);
    expect(await variant((q) => q.set('sid', 'x'.repeat(22)))).toBe(401);
    expect(await variant(() => undefined, '/media/cam-b/recording.m3u8')).toBe(401);
    expect(await variant(() => undefined, '/media/cam-a%2F..%2Fcam-b/recording.m3u8')).toBe(401);
    // An operator asking for a link with its own sid/exp/sig gets them replaced.
    const forged = new URL(await h.api.mediaLink({ path: `${path}&exp=99999999999999&sid=abc&sig=abc` }), h.baseUrl);
    expect(forged.searchParams.getAll('exp')).toEqual([expect.not.stringMatching(/^99999999999999$/)]);
    expect(forged.searchParams.getAll('sig')).toHaveLength(1);
  });

  it('no account can be named system, so no person’s ledger entries pass for Watchroom’s own', async () => {
    for (const name of ['system', ' SYSTEM ', 'System'])
      await expect(h.api.addPerson({ name, displayName: 'Watchroom', role: 'operator', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'api.invalid-argument' });
    expect((await h.api.listPeople()).map((p) => p.name)).not.toContain('system');
  });

  it('another local user cannot read the password hashes, even in a data folder they may list', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'watchroom-open-'));
    const dataDir = join(parent, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    const open = await startTestHost({ dataDir });
    try {
      // The password hashes, and what was recorded and bookmarked.
      const files = readdirSync(dataDir).filter((f) => /^(people|recordings|incidents)\.sqlite/.test(f));
      expect(files).toEqual(expect.arrayContaining(['people.sqlite-wal', 'recordings.sqlite', 'incidents.sqlite']));
      expect(files.map((f) => [f, statSync(join(dataDir, f)).mode & 0o077])).toEqual(files.map((f) => [f, 0]));
    } finally {
      await open.close();
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('listPeople and getSession carry no password hash', async () => {
    const text = JSON.stringify([await h.api.listPeople(), await h.api.getSession()]);
    expect(text).not.toMatch(/scrypt|passwordHash|password_hash/);
  });

  it('a huge password is refused before any hashing (no scrypt work to exhaust)', async () => {
    await expect(h.core.system.signIn({ name: 'olive', password: 'x'.repeat(1_000_000) })).rejects.toMatchObject({ code: 'api.invalid-argument' });
    await expect(h.api.changePassword({ current: 'x'.repeat(100_000), next: TEST_PASSWORD })).rejects.toMatchObject({ code: 'api.invalid-argument' });
  });

  // Last: it leaves one of the two administrators an operator.
  it('two administrators demoting each other at once leave one administrator', async () => {
    const adam = await h.as('adam', 'admin');
    const ids = Object.fromEntries((await h.api.listPeople()).map((p) => [p.name, p.id]));
    const outcomes = await Promise.allSettled([h.api.updatePerson({ id: ids.adam!, changes: { role: 'operator' } }), adam.api.updatePerson({ id: ids.tester!, changes: { role: 'operator' } })]);
    // The one demoted first is no administrator by the time the other call is checked (or the check says last admin).
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as { code: string }).code);
    expect(refused).toHaveLength(1);
    expect(['auth.forbidden', 'people.last-admin']).toContain(refused[0]);
    const people = await h.api.listPeople().catch(() => adam.api.listPeople());
    expect(people.filter((p) => p.role === 'admin' && !p.disabled)).toHaveLength(1);
  });
});
