/**
 * The directory's behaviour, written once against the interface and run for both implementations:
 * the embedded SQLite directory of a data folder and a real PostgreSQL server (a throw-away cluster
 * this file starts). Then what only the PostgreSQL directory can meet at start: a database that is
 * not there, a server that is not there, a schema from a newer Watchroom, two processes migrating at once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bookmark } from '../../shared/incidents.js';
import type { DisclosureRequest } from '../../shared/disclosures.js';
import type { MaskPolygon } from '../../shared/masks.js';
import { masksSha256 } from '../../electron/core/masks/masks-module.js';
import type { Directory, DirectoryChange } from '../../electron/core/directory/directory.js';
import { removesLastAdmin, type AccountChanges } from '../../electron/core/people/people-store.js';
import type { Person } from '../../shared/api.js';
import type { Role } from '../../shared/roles.js';
import { openConfStore } from '../../electron/core/settings/settings-store.js';
import { settingsPresets, type PresetRepository } from '../../electron/core/wall/preset-store.js';
import type { WallEntry } from '../../electron/core/wall/wall-set.js';
import { openDirectory, type DirectoryOptions } from '../../electron/core/directory/open-directory.js';
import { DIRECTORY_MIGRATIONS } from '../../electron/core/directory/pg-migrations.js';
import type { Logger } from '../../electron/core/logger.js';
import { freePort } from '../fixtures/camera-server.js';
import { startTestPostgres, type TestPostgres } from '../fixtures/postgres.js';
import { waitFor } from '../fixtures/wait-for.js';

const logged: string[] = [];
const logger: Logger = { log: (level, msg) => void logged.push(`${level} ${msg}`) };

let cluster: TestPostgres;
const folders: string[] = [];

beforeAll(async () => {
  cluster = await startTestPostgres();
});

afterAll(async () => {
  await cluster?.stop();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** Where a fresh, empty directory of each kind lives. */
const implementations: Array<[string, () => Promise<DirectoryOptions>]> = [
  [
    'embedded (SQLite)',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'watchroom-directory-'));
      folders.push(dataDir);
      return { dataDir };
    },
  ],
  ['PostgreSQL', async () => ({ url: await cluster.createDatabase() })],
];

const T0 = Date.UTC(2026, 11, 1, 12);

const bookmark = (over: Partial<Bookmark> = {}): Bookmark => ({
  id: randomUUID(),
  cameraIds: ['cam-a'],
  atMs: T0,
  beforeMs: 5_000,
  afterMs: 10_000,
  title: 'Fight on the stairs',
  notes: 'Two men, one in a red jacket.',
  tags: ['assault', 'stairwell'],
  caseReference: 'CASE-77',
  createdBy: 'tester',
  createdAt: T0 + 60_000,
  updatedAt: T0 + 60_000,
  locked: false,
  ...over,
});

describe.each(implementations)('the %s directory', (_kind, where) => {
  let options: DirectoryOptions;
  let directory: Directory;
  const changes: DirectoryChange[] = [];

  beforeAll(async () => {
    options = await where();
    directory = openDirectory(options, logger);
    await directory.ready;
    directory.onChange('bookmarks', (change) => void changes.push(change));
  });

  afterAll(async () => {
    await directory?.close();
  });

  /** Waits for the notice of a change to `id`: notices arrive in commit order, so any before it arrived first. */
  const noticeOf = (id: string) => waitFor(`the notice of ${id}`, () => changes.findIndex((c) => c.id === id) >= 0 && changes.splice(0, changes.findIndex((c) => c.id === id) + 1));

  it('keeps every field of a bookmark as written, and tells of the change', async () => {
    const b = bookmark({ title: 'Rangée 3 — vélo volé 🚲', tags: ['Theft', 'vélo'], cameraIds: ['cam-a', 'cam-b'], atMs: 4_102_444_800_000, locked: true });
    await directory.bookmarks.insert(b);
    expect(await noticeOf(b.id)).toEqual([{ topic: 'bookmarks', id: b.id }]);
    expect(await directory.bookmarks.get(b.id)).toEqual(b);
    expect(await directory.bookmarks.get(randomUUID())).toBeNull();
    await directory.bookmarks.delete(b.id);
    await noticeOf(b.id);
  });

  it('updates only the fields given, stamps the time, and answers null for a bookmark that is not there', async () => {
    const b = bookmark();
    await directory.bookmarks.insert(b);
    await noticeOf(b.id);
    const updated = await directory.bookmarks.update(b.id, { notes: 'Blue bike, bolt cutters', tags: ['theft'], locked: true }, T0 + 120_000);
    const expected = { ...b, notes: 'Blue bike, bolt cutters', tags: ['theft'], locked: true, updatedAt: T0 + 120_000 };
    expect(updated).toEqual(expected);
    expect(await directory.bookmarks.get(b.id)).toEqual(expected);
    expect(await noticeOf(b.id)).toEqual([{ topic: 'bookmarks', id: b.id }]);
    // Nothing to change, nothing announced: the next notice is the delete's.
    expect(await directory.bookmarks.update(randomUUID(), { title: 'x' }, T0)).toBeNull();
    await directory.bookmarks.delete(randomUUID());
    await directory.bookmarks.delete(b.id);
    expect(await noticeOf(b.id)).toEqual([{ topic: 'bookmarks', id: b.id }]);
    expect(await directory.bookmarks.get(b.id)).toBeNull();
  });

  it('checks a write against the bookmark as stored when written; a refusal writes and announces nothing', async () => {
    const b = bookmark();
    await directory.bookmarks.insert(b);
    await directory.bookmarks.update(b.id, { locked: true }, T0 + 1);
    expect([...(await noticeOf(b.id)), ...(await noticeOf(b.id))]).toHaveLength(2);
    const stored = { ...b, locked: true, updatedAt: T0 + 1 };
    const seen: Bookmark[] = [];
    const unlocked = (current: Bookmark) => {
      seen.push(current);
      if (current.locked) throw new Error('locked meanwhile');
    };
    await expect(directory.bookmarks.update(b.id, { atMs: T0 + 99 }, T0 + 2, unlocked)).rejects.toThrow('locked meanwhile');
    await expect(directory.bookmarks.delete(b.id, unlocked)).rejects.toThrow('locked meanwhile');
    expect(seen).toEqual([stored, stored]);
    expect(await directory.bookmarks.get(b.id)).toEqual(stored);
    await directory.bookmarks.update(b.id, { locked: false }, T0 + 3);
    await directory.bookmarks.delete(b.id, unlocked);
    expect(await directory.bookmarks.get(b.id)).toBeNull();
    const marker = bookmark();
    await directory.bookmarks.insert(marker);
    // The unlock's notice, the delete's, the marker's: the refusals announced nothing.
    expect(await noticeOf(marker.id)).toEqual([b.id, b.id, marker.id].map((id) => ({ topic: 'bookmarks', id })));
    await directory.bookmarks.delete(marker.id);
    await noticeOf(marker.id);
  });

  describe('privacy mask versions', () => {
    const square: MaskPolygon[] = [[[0.1, 0.1], [0.5, 0.1], [0.5, 0.5], [0.1, 0.5]]];
    const save = (on: Directory, cameraId: string, polygons: MaskPolygon[], setAt = T0) =>
      on.masks.add({ cameraId, polygons, sha256: masksSha256(polygons), setBy: 'Ann Admin', setAt });

    it('numbers each camera’s versions from 1, lists each camera’s newest (a cleared set too), and tells of every save by camera', async () => {
      const heard: DirectoryChange[] = [];
      const stop = directory.onChange('masks', (change) => void heard.push(change));
      const [gate, yard] = [`gate-${randomUUID()}`, `yard-${randomUUID()}`];
      const first = await save(directory, gate, square);
      expect(first).toEqual({ cameraId: gate, version: 1, polygons: square, sha256: masksSha256(square), setBy: 'Ann Admin', setAt: T0 });
      const cleared = await save(directory, gate, [], T0 + 1);
      const other = await save(directory, yard, square, T0 + 2);
      expect([cleared.version, other.version]).toEqual([2, 1]);
      expect(await directory.masks.latest(gate)).toEqual(cleared);
      expect(await directory.masks.latest(`none-${randomUUID()}`)).toBeNull();
      const newest = (await directory.masks.current()).filter((v) => v.cameraId === gate || v.cameraId === yard);
      expect(newest).toEqual([cleared, other]); // by camera id: gate- before yard-
      await waitFor('three notices', () => heard.length >= 3);
      stop();
      expect(heard).toEqual([gate, gate, yard].map((id) => ({ topic: 'masks', id })));
    });

    it('gives saves made at once through two connections a number each, none lost', async () => {
      const second = openDirectory(options, logger);
      await second.ready;
      const camera = `door-${randomUUID()}`;
      const saved = await Promise.all(Array.from({ length: 6 }, (_, i) => save(i % 2 ? second : directory, camera, square, T0 + i)));
      await second.close();
      expect(saved.map((v) => v.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await directory.masks.latest(camera))?.version).toBe(6);
    });
  });

  describe('people', () => {
    const account = (name: string, role: Role = 'operator') => ({ name, displayName: name.toUpperCase(), role, passwordHash: `hash-of-${name}` });
    const refuseLastAdmin = (changes: AccountChanges) => (before: Person, activeAdmins: number) => {
      if (removesLastAdmin(before, changes, activeAdmins)) throw new Error('last admin');
    };

    it('adds an account once per name whatever its case, finds it by name for signing in, and tells of every change by account', async () => {
      const heard: DirectoryChange[] = [];
      const stop = directory.onChange('people', (change) => void heard.push(change));
      const name = `olive-${randomUUID().slice(0, 8)}`;
      const olive = (await directory.people.add(account(name), { now: T0 }))!;
      expect(olive).toEqual({ person: { id: olive.person.id, name, displayName: name.toUpperCase(), role: 'operator', disabled: false, createdAt: T0 }, sessionEpoch: 0, revision: 0 });
      expect(await directory.people.add(account(name.toUpperCase()))).toBeNull();
      expect(await directory.people.signInRecord(name.toUpperCase())).toEqual({ account: olive, passwordHash: `hash-of-${name}` });
      expect(await directory.people.signInRecord(`${name}-nobody`)).toBeNull();
      expect(await directory.people.get(olive.person.id)).toEqual(olive);
      expect((await directory.people.list()).map((a) => a.person.name)).toContain(name);
      // Every change moves the revision on; disabling and a new password move the session epoch on too.
      const renamed = await directory.people.update(olive.person.id, { displayName: 'Olive Operator', role: 'investigator' });
      expect(renamed).toMatchObject({ person: { displayName: 'Olive Operator', role: 'investigator', disabled: false }, sessionEpoch: 0, revision: 1 });
      expect(await directory.people.update(olive.person.id, { disabled: true })).toMatchObject({ person: { disabled: true }, sessionEpoch: 1, revision: 2 });
      expect(await directory.people.setPasswordHash(olive.person.id, 'new-hash')).toMatchObject({ sessionEpoch: 2, revision: 3 });
      expect(await directory.people.passwordHash(olive.person.id)).toBe('new-hash');
      expect(await directory.people.update(`nobody-${randomUUID()}`, { disabled: true })).toBeNull();
      await waitFor('four notices', () => heard.length >= 4);
      stop();
      expect(heard).toEqual(Array.from({ length: 4 }, () => ({ topic: 'people', id: olive.person.id })));
    });

    it('checks a change against the account and the active administrators as they are when written; a refusal writes nothing', async () => {
      const admin = (await directory.people.add(account(`ann-${randomUUID().slice(0, 8)}`, 'admin')))!;
      const before = (await directory.people.list()).filter((a) => a.person.role === 'admin' && !a.person.disabled).length;
      let seen: [Person, number] | undefined;
      await expect(
        directory.people.update(admin.person.id, { role: 'operator' }, (person, activeAdmins) => {
          seen = [person, activeAdmins];
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(seen).toEqual([admin.person, before]);
      expect(await directory.people.get(admin.person.id)).toEqual(admin);
    });

    it('lets two connections at once demote each of the last two administrators only one at a time: one is refused', async () => {
      const second = openDirectory(options, logger);
      await second.ready;
      // Every other administrator disabled, so exactly these two are active.
      for (const a of await directory.people.list()) if (a.person.role === 'admin' && !a.person.disabled) await directory.people.update(a.person.id, { disabled: true });
      const [ann, bob] = [(await directory.people.add(account(`ann-${randomUUID().slice(0, 8)}`, 'admin')))!, (await directory.people.add(account(`bob-${randomUUID().slice(0, 8)}`, 'admin')))!];
      const demote = (on: Directory, id: string) => on.people.update(id, { role: 'operator' }, refuseLastAdmin({ role: 'operator' }));
      const results = await Promise.allSettled([demote(directory, ann.person.id), demote(second, bob.person.id)]);
      await second.close();
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const admins = (await directory.people.list()).filter((a) => a.person.role === 'admin' && !a.person.disabled);
      expect(admins).toHaveLength(1);
    });

    it('makes one first administrator when two connections ask at once, and none once there is any account', async () => {
      const fresh = await where();
      const [one, two] = [openDirectory(fresh, logger), openDirectory(fresh, logger)];
      await Promise.all([one.ready, two.ready]);
      const results = await Promise.all([one.people.add(account('first-a', 'admin'), { first: true }), two.people.add(account('first-b', 'admin'), { first: true })]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await one.people.add(account('first-c', 'admin'), { first: true })).toBeNull();
      expect(await one.people.list()).toHaveLength(1);
      await Promise.all([one.close(), two.close()]);
    });
  });

  describe('disclosure requests', () => {
    const site = () => 'url' in options;
    const person = (name: string, role: Role = 'investigator') => ({ id: `id-${name}-${randomUUID().slice(0, 8)}`, name, displayName: name.toUpperCase(), role });
    const request = (by = person('ivy'), on = 'ws-1'): DisclosureRequest => ({
      id: randomUUID(),
      requestedBy: by,
      requestedAt: T0,
      requestedOn: on,
      export: { cameraIds: ['cam-a'], fromMs: T0 - 60_000, toMs: T0, reason: 'Assault outside block C', caseReference: 'DISC-1', recipient: { person: 'DC Priya Shah', organisation: 'Metropolitan Police' }, workingCopy: false },
      legalBasis: { basis: 'police-investigation', text: 'Op Larch' },
      state: 'pending',
      decidedBy: null,
      decidedAt: null,
      note: null,
      jobId: null,
      packageName: null,
      failure: null,
    });
    /** Made and stored; what the directory gives back for it (one machine keeps no workstation). */
    const asked = async (r = request()) => {
      await directory.disclosures.insert(r);
      return { ...r, requestedOn: site() ? r.requestedOn : null };
    };
    const eve = person('eve', 'evidence-officer');

    it('keeps a request whole, lists it, and decides it once when two connections decide at once', async () => {
      const heard: DirectoryChange[] = [];
      const stop = directory.onChange('disclosures', (change) => void heard.push(change));
      const r = await asked();
      expect(await directory.disclosures.get(r.id)).toEqual(r);
      expect((await directory.disclosures.list(T0)).map((x) => x.id)).toContain(r.id);
      expect((await directory.disclosures.list(T0, 'someone-else')).map((x) => x.id)).not.toContain(r.id);
      const second = openDirectory(options, logger);
      await second.ready;
      const results = await Promise.allSettled([directory.disclosures.decide(r.id, 'approved', eve, T0 + 1, 'Approved.'), second.disclosures.decide(r.id, 'refused', person('ada', 'admin'), T0 + 2, 'No.')]);
      await second.close();
      expect(results.map((x) => x.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(results.find((x) => x.status === 'rejected')).toMatchObject({ reason: { code: 'disclosure.not-pending' } });
      const won = (results.find((x) => x.status === 'fulfilled') as PromiseFulfilledResult<DisclosureRequest>).value;
      expect(await directory.disclosures.get(r.id)).toEqual(won);
      expect(won.state === 'approved' ? [won.decidedBy, won.note] : [won.decidedBy?.name, won.note]).toEqual(won.state === 'approved' ? [eve, 'Approved.'] : ['ada', 'No.']);
      await waitFor('the notice of the request and of its decision', () => heard.filter((c) => c.id === r.id).length >= 2);
      stop();
    });

    it('refuses a decision by the requester, and an approval its check refuses with the requester’s account as it is then; both write nothing', async () => {
      const ivy = (await directory.people.add({ name: `ivy-${randomUUID().slice(0, 8)}`, displayName: 'Ivy', role: 'investigator', passwordHash: 'x' }))!;
      const r = await asked(request({ id: ivy.person.id, name: ivy.person.name, displayName: 'Ivy', role: 'investigator' }));
      await expect(directory.disclosures.decide(r.id, 'approved', r.requestedBy, T0, 'Mine.')).rejects.toMatchObject({ code: 'disclosure.own-request' });
      await directory.people.update(ivy.person.id, { disabled: true });
      let seen: unknown;
      await expect(
        directory.disclosures.decide(r.id, 'approved', eve, T0, 'Fine.', (_request, now) => {
          seen = now;
          throw new Error('disabled since');
        }),
      ).rejects.toThrow('disabled since');
      expect(seen).toEqual({ role: 'investigator', disabled: true });
      expect(await directory.disclosures.get(r.id)).toEqual(r);
      await expect(directory.disclosures.decide(randomUUID(), 'refused', eve, T0, 'No.')).rejects.toMatchObject({ code: 'disclosure.not-found' });
    });

    it('builds an approved request once, on the workstation it was asked on; fails a build that never ended, and no refused request is built', async () => {
      const [one, two, refused] = [await asked(), await asked(), await asked(request(person('ivy'), 'ws-2'))];
      expect(await directory.disclosures.claimBuild(one.id, 'ws-1', 'job-0')).toBe(false); // pending
      await directory.disclosures.decide(refused.id, 'refused', eve, T0, 'No.');
      expect(await directory.disclosures.claimBuild(refused.id, 'ws-2', 'job-0')).toBe(false);
      for (const r of [one, two]) await directory.disclosures.decide(r.id, 'approved', eve, T0, 'Yes.');
      const toBuild = async (node: string) => (await directory.disclosures.approvedToBuild(node)).map((r) => r.id);
      expect(await toBuild('ws-1')).toEqual(expect.arrayContaining([one.id, two.id]));
      // Each workstation builds what was asked on it (one machine builds everything).
      expect(await toBuild('ws-2')).toEqual(site() ? [] : expect.arrayContaining([one.id]));
      expect(await Promise.all([directory.disclosures.claimBuild(one.id, 'ws-1', 'job-1'), directory.disclosures.claimBuild(one.id, 'ws-1', 'job-2')])).toEqual(expect.arrayContaining([true, false]));
      expect(await toBuild('ws-1')).not.toContain(one.id);
      await directory.disclosures.ended(one.id, { state: 'built', packageName: 'WR-DISC-1' });
      await directory.disclosures.ended(one.id, { state: 'failed', failure: 'too late' }); // once
      expect(await directory.disclosures.get(one.id)).toMatchObject({ state: 'built', packageName: 'WR-DISC-1', failure: null });
      expect(await directory.disclosures.claimBuild(two.id, 'ws-1', 'job-3')).toBe(true);
      expect(await directory.disclosures.failInterrupted('ws-1')).toBeGreaterThanOrEqual(1);
      expect(await directory.disclosures.get(two.id)).toMatchObject({ state: 'failed', jobId: 'job-3', failure: expect.stringContaining('Ask for the disclosure again') });
      expect(await directory.disclosures.get(refused.id)).toMatchObject({ state: 'refused', jobId: null });
    });
  });

  describe('search', () => {
    const titles = async (q: Parameters<Directory['bookmarks']['search']>[0]) => (await directory.bookmarks.search(q)).map((b) => b.title);

    beforeAll(async () => {
      for (const b of await directory.bookmarks.search({})) await directory.bookmarks.delete(b.id);
      await directory.bookmarks.insert(bookmark({ title: 'Fight on the stairs', atMs: T0 }));
      await directory.bookmarks.insert(bookmark({ title: 'Bike theft', notes: 'Blue bike, bolt cutters', tags: ['Theft', 'bike'], caseReference: '', cameraIds: ['cam-b'], atMs: T0 + 3_000 }));
      await directory.bookmarks.insert(bookmark({ title: 'Discount sign', notes: '100% off_today', tags: [], caseReference: 'C:\\cases\\12', cameraIds: ['cam-a', 'cam-c'], atMs: T0 - 3_000 }));
    });

    it('finds text in title, notes or case reference, whatever its case, with % _ and \\ meaning themselves', async () => {
      expect(await titles({})).toEqual(['Bike theft', 'Fight on the stairs', 'Discount sign']); // newest moment first
      expect(await titles({ text: 'RED JACKET' })).toEqual(['Fight on the stairs']);
      expect(await titles({ text: 'bolt' })).toEqual(['Bike theft']);
      expect(await titles({ text: 'case-77' })).toEqual(['Fight on the stairs']);
      expect(await titles({ text: '  stairs  ' })).toEqual(['Fight on the stairs']);
      expect(await titles({ text: '   ' })).toHaveLength(3);
      expect(await titles({ text: '100%' })).toEqual(['Discount sign']);
      expect(await titles({ text: '1%0' })).toEqual([]);
      expect(await titles({ text: 'f_today' })).toEqual(['Discount sign']);
      expect(await titles({ text: 'o_f' })).toEqual([]); // as a wildcard, it would match “off”
      expect(await titles({ text: 'off today' })).toEqual([]);
      expect(await titles({ text: 'c:\\CASES\\1' })).toEqual(['Discount sign']);
      expect(await titles({ text: 'c:cases' })).toEqual([]);
    });

    it('finds a tag whatever its case, only whole tags', async () => {
      expect(await titles({ tag: 'THEFT' })).toEqual(['Bike theft']);
      expect(await titles({ tag: 'bike' })).toEqual(['Bike theft']);
      expect(await titles({ tag: 'bik' })).toEqual([]);
      expect(await titles({ tag: 'assault' })).toEqual(['Fight on the stairs']);
    });

    it('finds by camera among several, and by time from (inclusive) to (exclusive), combined with the rest', async () => {
      expect(await titles({ cameraId: 'cam-a' })).toEqual(['Fight on the stairs', 'Discount sign']);
      expect(await titles({ cameraId: 'cam-c' })).toEqual(['Discount sign']);
      expect(await titles({ cameraId: 'cam' })).toEqual([]);
      expect(await titles({ fromMs: T0, toMs: T0 + 3_000 })).toEqual(['Fight on the stairs']);
      expect(await titles({ fromMs: T0 + 1 })).toEqual(['Bike theft']);
      expect(await titles({ toMs: T0 + 1 })).toEqual(['Fight on the stairs', 'Discount sign']);
      expect(await titles({ cameraId: 'cam-a', text: 'sign', fromMs: T0 - 3_000, toMs: T0 })).toEqual(['Discount sign']);
      expect(await titles({ cameraId: 'cam-b', tag: 'assault' })).toEqual([]);
    });

    it('answers the newest 500 when more match', async () => {
      for (let i = 0; i < 510; i++) await directory.bookmarks.insert(bookmark({ title: `Patrol ${i}`, tags: ['patrol'], atMs: T0 + 10_000 + i }));
      const found = await titles({ tag: 'patrol' });
      expect(found).toHaveLength(500);
      expect(found[0]).toBe('Patrol 509');
      expect(found[499]).toBe('Patrol 10');
    });
  });

  it('keeps its bookmarks and mask versions when closed and opened again', async () => {
    const b = bookmark({ title: 'Kept' });
    await directory.bookmarks.insert(b);
    const masks = await directory.masks.add({ cameraId: 'kept-cam', polygons: [[[0, 0], [1, 0], [1, 1]]], sha256: 'kept', setBy: 'Ann Admin', setAt: T0 });
    await directory.close();
    directory = openDirectory(options, logger);
    await directory.ready;
    expect(await directory.bookmarks.get(b.id)).toEqual(b);
    expect(await directory.masks.latest('kept-cam')).toEqual(masks);
  });
});

/** Presets: one machine's settings, or the site's directory; the same behaviour from both. */
const presetStores: Array<[string, () => Promise<{ presets: PresetRepository; second: PresetRepository; spoil(): Promise<void>; close(): Promise<void> }>]> = [
  [
    'settings',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'watchroom-presets-'));
      folders.push(dir);
      const settings = openConfStore(dir, 'settings');
      return {
        presets: settingsPresets(settings),
        second: settingsPresets(settings),
        spoil: async () => settings.set('presets', [...((settings.get('presets') as unknown[]) ?? []), { id: 'not-a-uuid', name: '', walls: 'none' }]),
        close: async () => undefined,
      };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const url = await cluster.createDatabase();
      const [one, two] = [openDirectory({ url }, logger), openDirectory({ url }, logger)];
      await Promise.all([one.ready, two.ready]);
      return {
        presets: one.site!.presets,
        second: two.site!.presets,
        spoil: async () => void (await cluster.query(url, `INSERT INTO presets (id, name, walls, saved_at) VALUES ('${randomUUID()}', 'Spoilt', '[{"id": "nowhere"}]', 9e15)`)),
        close: async () => void (await Promise.all([one.close(), two.close()])),
      };
    },
  ],
];

describe.each(presetStores)('presets kept in %s', (_kind, open) => {
  const walls = (camera: string): WallEntry[] => [{ id: 'wall-1', name: 'Wall 1', layout: '2x2', tiles: [camera, null, null, null] }];

  it('saves, replaces by name whatever its case (keeping id and place), lists in the order first saved, deletes once', async () => {
    const { presets, close } = await open();
    const night = await presets.save('Night shift', walls('gate'));
    const day = await presets.save('Day shift', walls('yard'));
    const again = await presets.save('NIGHT SHIFT', walls('door'));
    expect(again).toEqual({ id: night.id, name: 'NIGHT SHIFT', walls: walls('door') });
    expect(await presets.list()).toEqual([again, day]);
    expect(await presets.delete(day.id)).toEqual(day);
    expect(await presets.delete(day.id)).toBeNull();
    expect(await presets.list()).toEqual([again]);
    await close();
  });

  it('keeps both of two presets saved at once from two places, and leaves out one that does not parse', async () => {
    const { presets, second, spoil, close } = await open();
    await Promise.all([presets.save('Desk A', walls('gate')), second.save('Desk B', walls('yard'))]);
    await spoil();
    expect((await second.list()).map((p) => p.name).sort()).toEqual(['Desk A', 'Desk B']);
    await close();
  });
});

describe('the PostgreSQL directory’s mask versions', () => {
  it('refuse every update, delete and truncate: a saved set stays as it was, so an export’s version names what it burned in', async () => {
    const url = await cluster.createDatabase();
    const directory = openDirectory({ url }, logger);
    await directory.masks.add({ cameraId: 'gate', polygons: [[[0, 0], [1, 0], [1, 1]]], sha256: 'x', setBy: 'Ann Admin', setAt: T0 });
    await directory.close();
    await expect(cluster.query(url, "UPDATE mask_versions SET polygons = '[]'")).rejects.toThrow(/append-only/);
    await expect(cluster.query(url, 'DELETE FROM mask_versions')).rejects.toThrow(/append-only/);
    await expect(cluster.query(url, 'TRUNCATE mask_versions')).rejects.toThrow(/append-only/);
    expect(await cluster.query(url, 'SELECT version, set_by FROM mask_versions')).toEqual([{ version: 1, set_by: 'Ann Admin' }]);
  });
});

describe('the PostgreSQL directory’s people', () => {
  it('are never deleted, one by one or all at once: the ledgers name them', async () => {
    const url = await cluster.createDatabase();
    const directory = openDirectory({ url }, logger);
    await directory.people.add({ name: 'olive', displayName: 'Olive', role: 'operator', passwordHash: 'x' });
    await directory.close();
    await expect(cluster.query(url, 'DELETE FROM people')).rejects.toThrow(/never deleted/);
    await expect(cluster.query(url, 'TRUNCATE people')).rejects.toThrow(/never deleted/);
    await expect(cluster.query(url, "UPDATE people SET role = 'superuser'")).rejects.toThrow(/check constraint/);
    expect(await cluster.query(url, 'SELECT name FROM people')).toEqual([{ name: 'olive' }]);
  });
});

describe('the PostgreSQL directory’s site key and admissions', () => {
  it('refuse every update, delete and truncate: an admission stays as the site key signed it', async () => {
    const url = await cluster.createDatabase();
    const directory = openDirectory({ url }, logger);
    await directory.site!.admissions.publishSiteKey({ publicKey: 'SITE-PEM', madeBy: 'ann', madeAt: T0 });
    expect(await directory.site!.admissions.publishSiteKey({ publicKey: 'OTHER-PEM', madeBy: 'eve', madeAt: T0 + 1 })).toEqual({ publicKey: 'SITE-PEM', madeBy: 'ann', madeAt: T0 });
    await directory.site!.admissions.add({ nodeId: 'rec-a', role: 'recorder', publicKey: 'P', sealingKey: 'S', admittedBy: 'ann', admittedAt: T0, signature: 'sig' });
    await directory.close();
    for (const table of ['site_key', 'node_admissions']) {
      await expect(cluster.query(url, `UPDATE ${table} SET public_key = 'mine'`)).rejects.toThrow(/never changed or removed/);
      await expect(cluster.query(url, `DELETE FROM ${table}`)).rejects.toThrow(/never changed or removed/);
      await expect(cluster.query(url, `TRUNCATE ${table}`)).rejects.toThrow(/never changed or removed/);
    }
    expect(await cluster.query(url, 'SELECT node_id, public_key FROM node_admissions')).toEqual([{ node_id: 'rec-a', public_key: 'P' }]);
  });
});

describe('the PostgreSQL directory’s disclosure requests', () => {
  it('refuse every update, delete and truncate, a decision by the requester or about another request written straight into the table, and a build without an approval', async () => {
    const url = await cluster.createDatabase();
    const directory = openDirectory({ url }, logger);
    await directory.ready;
    await directory.close();
    const request = "INSERT INTO disclosure_requests VALUES ('00000000-0000-4000-8000-000000000001', 'ivy', '{}', 'ws-1', 1, '{}', repeat('a', 64))";
    await cluster.query(url, request);
    await expect(cluster.query(url, "INSERT INTO disclosure_builds (request_id, built_on, job_id) VALUES ('00000000-0000-4000-8000-000000000001', 'ws-1', 'j')")).rejects.toThrow(/not-approved/);
    const decide = (by: string, sha: string) => cluster.query(url, `INSERT INTO disclosure_decisions VALUES ('00000000-0000-4000-8000-000000000001', 'approved', '${by}', '{}', 1, 'ok', ${sha})`);
    await expect(decide('ivy', "repeat('a', 64)")).rejects.toThrow(/own-request/);
    await expect(decide('eve', "repeat('b', 64)")).rejects.toThrow(/request-changed/);
    await decide('eve', "repeat('a', 64)");
    for (const table of ['disclosure_requests', 'disclosure_decisions']) {
      await expect(cluster.query(url, `UPDATE ${table} SET ${table === 'disclosure_requests' ? 'requested_by_id' : 'decided_by_id'} = 'mallory'`)).rejects.toThrow(/append-only/);
      await expect(cluster.query(url, `DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
      await expect(cluster.query(url, `TRUNCATE ${table} CASCADE`)).rejects.toThrow(/append-only/);
    }
    expect(await cluster.query(url, 'SELECT state, decided_by FROM disclosure_state')).toEqual([{ state: 'approved', decided_by: {} }]);
  });
});

describe('the PostgreSQL directory at start', () => {
  const opened: Directory[] = [];
  const open = (url: string) => {
    const directory = openDirectory({ url }, logger);
    opened.push(directory);
    return directory;
  };

  afterAll(async () => {
    for (const directory of opened) await directory.close();
  });

  it('migrates a new database once when two processes start at the same moment, and records the version', async () => {
    const url = await cluster.createDatabase();
    const [a, b] = [open(url), open(url)];
    await Promise.all([a.ready, b.ready]);
    const rows = await cluster.query<{ version: number; name: string }>(url, 'SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(DIRECTORY_MIGRATIONS.map(({ version, name }) => ({ version, name })));
    const kept = bookmark();
    await a.bookmarks.insert(kept);
    expect(await b.bookmarks.get(kept.id)).toEqual(kept);
  });

  it('refuses a directory whose schema is newer than this build, and says so', async () => {
    const url = await cluster.createDatabase();
    await open(url).ready;
    const newer = DIRECTORY_MIGRATIONS.length + 1;
    await cluster.query(url, "INSERT INTO schema_migrations (version, name) VALUES ($1, 'from a newer Watchroom')", [newer]);
    const directory = open(url);
    await expect(directory.ready).rejects.toMatchObject({ code: 'directory.too-new', message: expect.stringContaining(`version ${newer}, newer than this Watchroom knows (${newer - 1})`) });
    await expect(directory.bookmarks.search({})).rejects.toMatchObject({ code: 'directory.too-new' });
  });

  it('names a database that is not there, and a server that is not there', async () => {
    const missing = open(`postgres://watchroom@127.0.0.1:${cluster.port}/no_such_directory`);
    await expect(missing.ready).rejects.toMatchObject({ code: 'directory.no-database', message: expect.stringContaining('There is no database “no_such_directory”') });
    const port = await freePort();
    const nobody = open(`postgres://watchroom@127.0.0.1:${port}/watchroom`);
    await expect(nobody.ready).rejects.toMatchObject({ code: 'directory.unreachable', message: expect.stringContaining(`The directory at 127.0.0.1:${port} cannot be reached`) });
  });

  it('takes the password from PGPASSFILE, and names the user it refused when that file has none that fits', async () => {
    const user = await cluster.createPasswordUser('correct horse battery');
    const url = (await cluster.createDatabase()).replace('//watchroom@', `//${user}@`);
    const folder = mkdtempSync(join(tmpdir(), 'watchroom-pgpass-'));
    folders.push(folder);
    const passfile = join(folder, 'pgpass');
    const passwordIs = (password: string) => writeFileSync(passfile, `# host:port:database:user:password\n127.0.0.1:${cluster.port}:*:${user}:${password}\n`, { mode: 0o600 });
    const before = process.env.PGPASSFILE;
    process.env.PGPASSFILE = passfile;
    try {
      passwordIs('correct horse battery');
      const directory = open(url);
      await directory.ready;
      expect(await directory.bookmarks.search({})).toEqual([]);
      passwordIs('wrong');
      await expect(open(url).ready).rejects.toMatchObject({ code: 'directory.refused', message: expect.stringContaining(`refused user “${user}”`) });
      rmSync(passfile);
      await expect(open(url).ready).rejects.toMatchObject({ code: 'directory.refused', message: expect.stringContaining('~/.pgpass') });
    } finally {
      if (before === undefined) delete process.env.PGPASSFILE;
      else process.env.PGPASSFILE = before;
    }
  });

  it('refuses an address with a password in it, or with no database, before connecting', () => {
    expect(() => open(`postgres://watchroom:secret@127.0.0.1:${cluster.port}/x`)).toThrow(/PGPASSFILE/);
    expect(() => open(`postgres://watchroom@127.0.0.1:${cluster.port}/x?password=secret`)).toThrow(/PGPASSFILE/);
    expect(() => open(`postgres://watchroom@127.0.0.1:${cluster.port}/`)).toThrow(/names no database/);
    expect(() => open('mysql://watchroom@127.0.0.1/x')).toThrow(/is a PostgreSQL address/);
  });
});
