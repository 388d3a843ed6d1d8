/**
 * Every method of the contract, called by a person in every role, against a real core (demo cameras
 * recording through real ffmpeg, a real ledger): what the role may do succeeds and leaves exactly the
 * contract's ledger entry naming that person and role; what it may not is refused with
 * auth.forbidden naming the permission, runs nothing, and leaves one denial entry.
 * The arguments are a complete table over the contract: a new method without them does not compile.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS, CONTRACT, type ApiArg, type ApiMethod, type WatchroomApi } from '../../shared/contract.js';
import type { ExportJob } from '../../shared/evidence.js';
import { allows, ROLES, type Role } from '../../shared/roles.js';
import { WatchroomError } from '../../shared/errors.js';
import { TEST_PASSWORD, type SignedInPerson } from '../fixtures/people.js';
import { recordedStretch } from '../fixtures/recorded-range.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';

let h: TestHost;
let system: WatchroomApi;
let cameraId: string;
let range: { fromMs: number; toMs: number };
let job: ExportJob;
let packagePath: string;
let n = 0;
const unique = (what: string) => `${what}-${++n}`;

async function finished(id: string): Promise<ExportJob> {
  return waitFor(`export ${id} to end`, async () => {
    const now = await system.getExport({ id });
    return now.state === 'running' ? undefined : now;
  }, 120_000);
}

beforeAll(async () => {
  h = await startTestHost({ segmentSeconds: 2 });
  system = h.core.system;
  const [demo] = await h.api.addDemoCameras();
  cameraId = demo!.id;
  // Real footage, for playback, bookmarks and exports.
  const recorded = await recordedStretch(system, cameraId, 6_000);
  range = { fromMs: recorded.startMs + 500, toMs: recorded.startMs + 3_500 };
  job = await finished((await system.startExport({ cameraIds: [cameraId], ...range, reason: 'Fixture', caseReference: 'FIX-1', recipient: null, workingCopy: false })).id);
  packagePath = job.packagePath!;
}, 180_000);
afterAll(async () => h?.close());

type Sample = { [M in ApiMethod]: (p: SignedInPerson) => Promise<ApiArg<M>> | ApiArg<M> };

/** Arguments that succeed for a role allowed to call each method; what they need is made by Watchroom itself. */
const SAMPLE: Sample = {
  getSession: () => undefined,
  createFirstAdmin: () => ({ name: unique('second-first'), displayName: 'Not first', password: TEST_PASSWORD }),
  signIn: (p) => ({ name: p.name, password: TEST_PASSWORD }),
  signOut: () => undefined,
  lockSession: () => ({ why: 'by-hand' }),
  reportActivity: () => undefined,
  changePassword: () => ({ current: TEST_PASSWORD, next: TEST_PASSWORD }),
  listPeople: () => undefined,
  addPerson: () => ({ name: unique('added'), displayName: 'Added', role: 'operator', password: TEST_PASSWORD }),
  updatePerson: async () => ({ id: (await system.addPerson({ name: unique('target'), displayName: 'Target', role: 'operator', password: TEST_PASSWORD })).id, changes: { displayName: 'Renamed' } }),
  resetPassword: async () => ({ id: (await system.addPerson({ name: unique('target'), displayName: 'Target', role: 'operator', password: TEST_PASSWORD })).id, password: TEST_PASSWORD }),
  setIdleLock: () => ({ minutes: 15 }),
  listCameras: () => undefined,
  addCamera: () => ({ name: unique('Added camera'), url: 'rtsp://127.0.0.1:9/added', recording: false }),
  updateCamera: async () => ({ id: (await system.addCamera({ name: unique('To edit'), url: 'rtsp://127.0.0.1:9/e', recording: false })).id, changes: { name: unique('Edited') } }),
  removeCamera: async () => ({ id: (await system.addCamera({ name: unique('To archive'), url: 'rtsp://127.0.0.1:9/r', recording: false })).id }),
  importCameras: () => ({ text: JSON.stringify([{ name: unique('Imported'), url: 'rtsp://127.0.0.1:9/i', recording: false }]), format: 'json' }),
  addDemoCameras: () => undefined,
  listStreams: () => undefined,
  listWalls: () => undefined,
  getWall: () => ({ wallId: 'wall-1' }),
  setWall: async () => ({ wallId: 'wall-1', state: await system.getWall({ wallId: 'wall-1' }) }),
  addWall: () => undefined,
  removeWall: async () => ({ wallId: (await system.addWall()).id }),
  listPresets: () => undefined,
  savePreset: () => ({ name: unique('Preset') }),
  recallPreset: () => ({ id: 'builtin-all-cameras' }),
  deletePreset: async () => ({ id: (await system.savePreset({ name: unique('Doomed') })).id }),
  listRecordings: () => ({ cameraId, ...range }),
  mediaLink: () => ({ path: `/media/${cameraId}/recording.m3u8?fromMs=${range.fromMs}&toMs=${range.toMs}` }),
  getRetention: () => undefined,
  setRetention: () => system.getRetention(),
  getStorageUsage: () => undefined,
  getRecordingCheck: () => undefined,
  getAuditStatus: () => undefined,
  listAudit: () => ({ limit: 10 }),
  getWallHistory: () => ({ atMs: Date.now() }),
  getViewingPolicy: () => undefined,
  setViewingPolicy: () => ({ reasonRequired: true }),
  openPlayback: () => ({ reason: 'Checking the table', caseReference: '' }),
  closePlayback: async (p) => ({ id: (await h.core.api(p.token).openPlayback({ reason: 'To close', caseReference: '' })).id }),
  createBookmark: () => ({ cameraIds: [cameraId], atMs: range.fromMs + 1_000, beforeMs: 1_000, afterMs: 1_000, title: unique('Bookmark'), notes: '', tags: [], caseReference: '' }),
  updateBookmark: async () => ({ id: (await system.createBookmark(bookmark())).id, changes: { title: unique('Retitled') } }),
  deleteBookmark: async () => ({ id: (await system.createBookmark(bookmark())).id }),
  listBookmarks: () => ({}),
  setBookmarkLock: async () => ({ id: (await system.createBookmark(bookmark())).id, locked: true, reason: 'Held for court' }),
  getSigningKey: () => undefined,
  startExport: () => ({ cameraIds: [cameraId], ...range, reason: 'Table test', caseReference: unique('CASE'), recipient: null, workingCopy: false }),
  getExport: () => ({ id: job.id }),
  cancelExport: () => ({ id: job.id }),
  listPackages: () => undefined,
  verifyPackage: () => ({ path: packagePath }),
  importTrustedKey: () => ({ pem: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString() }),
  listTrustedKeys: () => undefined,
  // Four-eyes disclosure and the disclosure register (issue 12, points 2 and 3): requests made by the system, decided by the role.
  requestDisclosure: () => disclosure(),
  listDisclosureRequests: () => undefined,
  approveDisclosure: async () => ({ id: (await system.requestDisclosure(disclosure())).id, note: 'Table approval' }),
  refuseDisclosure: async () => ({ id: (await system.requestDisclosure(disclosure())).id, reason: 'Table refusal' }),
  listDisclosures: () => ({}),
  disclosuresCsv: () => ({}),
  // Privacy masks (issue 12, point 1)
  listMasks: () => undefined,
  setMasks: () => ({ cameraId, polygons: [SQUARE] }),
  liftMask: async () => ({ cameraId: await maskedCamera(), reason: 'Table test', minutes: 5 }),
  restoreMask: async (p) => {
    const id = await maskedCamera();
    // The person's api may be of a session a sign-in replaced: call through the current token.
    if (allows(p.role, 'masks.lift')) await h.core.api(p.token).liftMask({ cameraId: id, reason: 'To restore', minutes: 5 });
    return { cameraId: id };
  },
  // The oversight report (issue 12, point 7): this month so far.
  createOversightReport: () => ({ month: new Date().toISOString().slice(0, 7) }),
  listOversightReports: () => undefined,
  listSiteNodes: () => undefined,
  admitSiteNode: () => ({ nodeId: 'rec-elsewhere', fingerprint: 'ab:cd' }),
  getSiteKey: () => undefined,
  confirmSiteKey: () => ({ fingerprint: 'ab:cd' }),
};
const disclosure = () => ({
  export: { cameraIds: [cameraId], ...range, reason: 'Table disclosure', caseReference: unique('DISC'), recipient: { person: 'DC Table', organisation: 'Table Police' }, workingCopy: false },
  legalBasis: { basis: 'police-investigation' as const, text: '' },
});
const SQUARE: Array<[number, number]> = [[0.1, 0.1], [0.4, 0.1], [0.4, 0.4], [0.1, 0.4]];
/** A camera of its own with one mask, so each lift starts from none. */
async function maskedCamera(): Promise<string> {
  const { id } = await system.addCamera({ name: unique('Masked'), url: 'rtsp://127.0.0.1:9/m', recording: false });
  await system.setMasks({ cameraId: id, polygons: [SQUARE] });
  return id;
}
const bookmark = () => ({ cameraIds: [cameraId], atMs: range.fromMs + 1_000, beforeMs: 1_000, afterMs: 1_000, title: unique('Fixture bookmark'), notes: '', tags: [], caseReference: '' });

/** Calls that cannot succeed however permitted, and what they answer instead. */
const REFUSED_FOR_ALL: Partial<Record<ApiMethod, string>> = { createFirstAdmin: 'people.first-admin-exists' };
/** Calls a permitted role makes that one machine, which is no site, cannot carry out: what they answer (site.test.ts carries them out). */
const NOT_ON_ONE_MACHINE: Partial<Record<ApiMethod, string>> = { listSiteNodes: 'site.not-a-site', admitSiteNode: 'site.not-a-site', getSiteKey: 'site.not-a-site', confirmSiteKey: 'site.not-a-site' };

function ledger(): Array<{ actor: string; role?: string; action: string; subject: string; details?: Record<string, unknown> }> {
  return readFileSync(join(h.dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

/** The method's outcome, and the ledger entries naming `name` that the call left. */
async function callAs(person: SignedInPerson, method: ApiMethod, arg: unknown) {
  const before = ledger().length;
  const result = await h.core.call(person.token, method, arg);
  const entries = ledger().slice(before).filter((e) => e.actor === person.name);
  return { result, entries };
}

// Locking and signing out end what the session may do, so they go last.
const LAST = ['lockSession', 'signOut'] as const;
const ORDER = [...API_METHODS.filter((m) => !(LAST as readonly string[]).includes(m)), ...LAST];

describe.each(ROLES)('every method of the contract, as %s', (role: Role) => {
  let person: SignedInPerson;
  beforeAll(async () => {
    person = await h.as(`table-${role}`, role);
  });

  it.each(ORDER)('%s', async (method) => {
    const spec = CONTRACT[method];
    const arg = await SAMPLE[method](person);
    const { result, entries } = await callAs(person, method, arg);
    if (REFUSED_FOR_ALL[method]) {
      expect(result).toMatchObject({ ok: false, error: { code: REFUSED_FOR_ALL[method] } });
      expect(entries).toEqual([]);
    } else if (allows(role, spec.access) && NOT_ON_ONE_MACHINE[method]) {
      expect(result).toMatchObject({ ok: false, error: { code: NOT_ON_ONE_MACHINE[method] } });
    } else if (allows(role, spec.access)) {
      expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
      expect(entries.map((e) => [e.action, e.role])).toEqual(spec.audit ? [[spec.audit, role]] : []);
    } else {
      expect(result).toMatchObject({ ok: false, status: 403, error: { code: 'auth.forbidden', permission: spec.access } });
      expect(entries).toEqual([expect.objectContaining({ action: 'auth.forbidden', role, subject: method, details: { method, permission: spec.access } })]);
    }
    // A sign-in replaces the session it was made from: the person goes on in the new one.
    if (method === 'signIn' && result.ok) person = { ...person, token: (result.result as { token: string }).token };
    // A playback session left open would close (and be entered) when the person signs out.
    if (method === 'openPlayback' && result.ok) await h.core.call(person.token, 'closePlayback', { id: (result.result as { id: string }).id });
    // An export runs on: let it finish, so its entries do not land in the next call's.
    if (method === 'startExport' && result.ok) expect((await finished((result.result as ExportJob).id)).state).toBe('done');
    if (method === 'approveDisclosure' && result.ok) expect((await finished((result.result as { jobId: string }).jobId)).state).toBe('done');
  }, 120_000);
});

describe('what the issue asks of the roles, spelt out', () => {
  it('gives camera and recording configuration and accounts to administrators only, and exports to investigators and administrators', () => {
    const only = (method: ApiMethod) => ROLES.filter((r) => allows(r, CONTRACT[method].access));
    for (const m of ['addCamera', 'updateCamera', 'removeCamera', 'importCameras', 'addDemoCameras', 'setRetention', 'addPerson', 'updatePerson', 'resetPassword', 'setIdleLock'] as const) expect(only(m), m).toEqual(['admin']);
    expect(only('startExport')).toEqual(['investigator', 'admin']);
    expect(only('importTrustedKey')).toEqual(['evidence-officer', 'admin']);
    expect(only('listCameras')).toEqual([...ROLES]);
    // Four-eyes disclosure (issue 12): investigators and administrators ask, evidence officers and administrators decide and read the register.
    expect(only('requestDisclosure')).toEqual(['investigator', 'admin']);
    for (const m of ['approveDisclosure', 'refuseDisclosure', 'listDisclosures', 'disclosuresCsv'] as const) expect(only(m), m).toEqual(['evidence-officer', 'admin']);
    // Privacy masks: drawn by administrators, lifted by evidence officers and administrators, seen by all.
    expect(only('setMasks')).toEqual(['admin']);
    expect(only('liftMask')).toEqual(['evidence-officer', 'admin']);
    expect(only('restoreMask')).toEqual(['evidence-officer', 'admin']);
    expect(only('listMasks')).toEqual([...ROLES]);
    expect(CONTRACT.listMasks.whileLocked).toBe(true);
    // The oversight report (issue 12, point 7): evidence officers and administrators.
    for (const m of ['createOversightReport', 'listOversightReports'] as const) expect(only(m), m).toEqual(['evidence-officer', 'admin']);
  });

  it('keeps an archived camera’s footage playable and exportable, and its locked footage locked', async () => {
    const admin = h.api;
    const b = await admin.createBookmark(bookmark());
    await admin.setBookmarkLock({ id: b.id, locked: true, reason: 'Court' });
    await admin.removeCamera({ id: cameraId });
    expect((await admin.listCameras()).map((c) => c.id)).not.toContain(cameraId);
    expect((await admin.listCameras({ archived: true })).map((c) => c.id)).toContain(cameraId);
    expect((await admin.listRecordings({ cameraId, ...range })).length).toBeGreaterThan(0);
    const viewing = await admin.openPlayback({ reason: 'After archiving', caseReference: 'ARCH-1' });
    const link = await admin.mediaLink({ path: `/media/${cameraId}/recording.m3u8?fromMs=${range.fromMs}&toMs=${range.toMs}&viewing=${viewing.id}` });
    const playlist = await (await fetch(`${h.baseUrl}${link}`)).text();
    expect(playlist).toMatch(/#EXTINF/);
    const exported = await finished((await admin.startExport({ cameraIds: [cameraId], ...range, reason: 'After archiving', caseReference: 'ARCH-1', recipient: null, workingCopy: false })).id);
    expect(exported.state, exported.error?.message).toBe('done');
    expect((await admin.listBookmarks({})).find((x) => x.id === b.id)?.locked).toBe(true);
    await expect(admin.updateCamera({ id: cameraId, changes: { name: 'Back again' } })).rejects.toMatchObject({ code: 'camera.not-found' });
    const archived = ledger().filter((e) => e.action === 'camera.archive' && e.subject === cameraId);
    expect(archived).toEqual([expect.objectContaining({ actor: 'tester', role: 'admin' })]);
  }, 120_000);

  it('refuses a session that was signed out, and a disabled person at once', async () => {
    const olive = await h.as('table-disabled', 'operator');
    expect((await olive.api.listCameras()).length).toBeGreaterThan(0);
    await h.api.updatePerson({ id: (await h.api.listPeople()).find((p) => p.name === 'table-disabled')!.id, changes: { disabled: true } });
    await expect(olive.api.listCameras()).rejects.toMatchObject({ code: 'auth.required' });
    await expect(system.signIn({ name: 'table-disabled', password: TEST_PASSWORD })).rejects.toBeInstanceOf(WatchroomError);
  });
});
