/**
 * Attacks on the privacy and oversight promises (issue 12) from outside the UI: colleagues with
 * valid sessions calling the API directly, against a real core (demo cameras recorded through real
 * ffmpeg, real SQLite, a real ledger). Each test is an attack that once got through, or a promise no
 * other test checks.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DisclosureRequestInput } from '../../shared/disclosures.js';
import type { ExportJob } from '../../shared/evidence.js';
import type { MaskPolygon } from '../../shared/masks.js';
import type { Role } from '../../shared/roles.js';
import type { SignedInPerson } from '../fixtures/people.js';
import { fileOlderFootage } from '../fixtures/older-footage.js';
import { recordedStretch } from '../fixtures/recorded-range.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';

let h: TestHost;
let cameraId: string;
let plainId: string;
let range: { fromMs: number; toMs: number };
let eve: SignedInPerson;
let n = 0;

const SQUARE: MaskPolygon = [[0.1, 0.1], [0.4, 0.1], [0.4, 0.4], [0.1, 0.4]];
type Entry = { seq: number; actor: string; role?: string; action: string; subject: string; details?: Record<string, any> };
const ledger = (): Entry[] => readFileSync(join(h.dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Entry);
const packages = () => (existsSync(join(h.dataDir, 'exports')) ? readdirSync(join(h.dataDir, 'exports')).filter((name) => !name.startsWith('.')) : []);

const disclosure = (over: Partial<DisclosureRequestInput['export']> = {}): DisclosureRequestInput => ({
  export: { cameraIds: [cameraId], ...range, reason: 'Assault outside block C', caseReference: `ATTACK-${++n}`, recipient: { person: 'DC Priya Shah', organisation: 'Metropolitan Police' }, workingCopy: false, ...over },
  legalBasis: { basis: 'police-investigation', text: 'Op Larch' },
});

async function setRole(name: string, role: Role): Promise<void> {
  const person = (await h.api.listPeople()).find((p) => p.name === name)!;
  await h.api.updatePerson({ id: person.id, changes: { role } });
}

beforeAll(async () => {
  h = await startTestHost({ segmentSeconds: 2 });
  [cameraId, plainId] = (await h.api.addDemoCameras()).map((c) => c.id) as [string, string];
  await h.api.setMasks({ cameraId, polygons: [SQUARE] });
  const recorded = await recordedStretch(h.api, cameraId, 6_000);
  range = { fromMs: recorded.startMs + 500, toMs: recorded.startMs + 3_500 };
  eve = await h.as('eve', 'evidence-officer');
}, 120_000);
afterAll(async () => h?.close());

describe('unmasked footage in a disclosure', () => {
  it('an investigator cannot even ask to disclose a masked camera unmasked', async () => {
    const ivy = await h.as('ivy', 'investigator');
    const asked = disclosure({ unmasked: { reason: 'They want to see the garden' } });
    await expect(ivy.api.requestDisclosure(asked)).rejects.toMatchObject({ code: 'auth.forbidden', permission: 'evidence.export-unmasked' });
    expect((await eve.api.listDisclosureRequests()).filter((r) => r.export.caseReference === asked.export.caseReference)).toEqual([]);
  });

  it('an administrator who asked for unmasked footage and is then made an investigator gets nothing out when the request is approved', async () => {
    const adam = await h.as('adam', 'admin');
    const asked = await adam.api.requestDisclosure(disclosure({ unmasked: { reason: 'Court order asks for the unmasked footage' } }));
    await setRole('adam', 'investigator'); // may still export, but no longer unmasked
    const before = packages();
    await expect(eve.api.approveDisclosure({ id: asked.id, note: 'Looks fine' })).rejects.toMatchObject({ code: 'disclosure.requester-cannot-export', message: expect.stringMatching(/unmasked/) });
    expect((await eve.api.listDisclosureRequests()).find((r) => r.id === asked.id)).toMatchObject({ state: 'pending', jobId: null });
    expect(ledger().filter((e) => e.details?.requestId === asked.id).map((e) => e.action)).toEqual(['disclosure.requested']);
    expect(packages()).toEqual(before);
    // It can still be refused.
    await expect(eve.api.refuseDisclosure({ id: asked.id, reason: 'Requester may no longer export unmasked footage' })).resolves.toMatchObject({ state: 'refused' });
  });
});

describe('a lift outlives its permission', () => {
  it('a lift stops counting once its person’s role may no longer lift masks: the picture and the overlay are masked again for them', async () => {
    const elle = await h.as('elle', 'evidence-officer');
    const picture = async (who: { api: TestHost['api'] }) => {
      const res = await fetch(`${h.baseUrl}${await who.api.mediaLink({ path: `/media/${cameraId}/thumb.jpg?atMs=${range.fromMs + 1_000}` })}`);
      expect(res.status, await res.clone().text()).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    const masked = await picture(h);
    await elle.api.liftMask({ cameraId, reason: 'Checking the gate', minutes: 240 });
    expect((await picture(elle)).equals(masked)).toBe(false); // the lift works while she may lift
    await setRole('elle', 'operator');
    expect((await elle.api.listMasks()).find((m) => m.cameraId === cameraId)!.lift).toBeNull();
    expect((await picture(elle)).equals(masked)).toBe(true);
  }, 60_000);
});

describe('a disclosure database edited behind Watchroom’s back', () => {
  it('an administrator who rewrites the requester of their own request in disclosures.db and approves it is named by the register', async () => {
    const abe = await h.as('abe', 'admin');
    const ian = await h.as('ian', 'investigator');
    const asked = await abe.api.requestDisclosure(disclosure({ caseReference: 'SELF-1' }));
    const ianPerson = (await h.api.listPeople()).find((p) => p.name === 'ian')!;
    const db = new Database(join(h.dataDir, 'disclosures.db'));
    db.prepare('UPDATE disclosure_requests SET requested_by = ?, requested_by_id = ? WHERE id = ?').run(JSON.stringify({ id: ianPerson.id, name: 'ian', displayName: 'Test ian', role: 'investigator' }), ianPerson.id, asked.id);
    db.close();
    await abe.api.approveDisclosure({ id: asked.id, note: 'Fine by me' });
    const done = await waitFor('the edited request to be built', async () => {
      const r = (await ian.api.listDisclosureRequests()).find((x) => x.id === asked.id);
      return r && (r.state === 'built' || r.state === 'failed') ? r : undefined;
    }, 120_000);
    expect(done.state, done.failure ?? '').toBe('built');
    // The ledger shows abe asked and abe approved: the register must say so, whoever the package names.
    const [row] = await eve.api.listDisclosures({ text: 'SELF-1' });
    expect(row!.problems).toEqual(expect.arrayContaining(['Approved by the person who asked for it.']));
    expect(row!.problems.join(' ')).toMatch(/someone other than the person who asked/);
  }, 300_000);
});

describe('looking back through a bookmark', () => {
  it('a bookmark cannot be made, or moved, at a moment older than instant replay without a playback session: its picture would be the footage without a reason', async () => {
    const { startMs } = fileOlderFootage(h.core.recordings, cameraId).old;
    const otto = await h.as('otto', 'operator');
    const picture = async (id: string) => (await fetch(`${h.baseUrl}${await otto.api.mediaLink({ path: `/media/bookmarks/${id}/thumb.jpg` })}`)).status;
    const moment = { cameraIds: [cameraId], beforeMs: 1_000, afterMs: 1_000, title: 'Nothing', notes: '', tags: [], caseReference: '' };

    await expect(otto.api.createBookmark({ ...moment, atMs: startMs + 1_000 })).rejects.toMatchObject({ code: 'playback.reason-required' });
    const now = await otto.api.createBookmark({ ...moment, atMs: Date.now() - 1_000 }); // instant replay: no question
    await expect(otto.api.updateBookmark({ id: now.id, changes: { atMs: startMs + 1_000 } })).rejects.toMatchObject({ code: 'playback.reason-required' });
    expect((await otto.api.listBookmarks({})).every((b) => b.atMs > startMs + 60_000)).toBe(true);

    // Under a playback session opened with a reason, the moment may be marked and its picture seen.
    const { id: viewing } = await otto.api.openPlayback({ reason: 'The hour before the alarm', caseReference: '' });
    const old = await otto.api.createBookmark({ ...moment, atMs: startMs + 1_000 });
    expect(await picture(old.id)).toBe(200);
    await otto.api.closePlayback({ id: viewing });
  }, 60_000);
});

describe('bad input over HTTP', () => {
  const post = async (token: string, method: string, body: unknown) => {
    const res = await fetch(`${h.baseUrl}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: typeof body === 'string' ? `{"arg":${body}}` : JSON.stringify({ arg: body }) });
    return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
  };

  it('malformed masks, lifts, reasons and disclosure requests each get a sentence, and nothing is saved or entered', async () => {
    const officer = await h.as('olga', 'evidence-officer');
    const ledgerBefore = ledger().length;
    const masksBefore = await h.api.listMasks();
    const requestsBefore = (await eve.api.listDisclosureRequests()).length;
    const point: [number, number] = [0.5, 0.5];
    const refusals: Array<[string, string, unknown, RegExp]> = [
      [h.token, 'setMasks', { cameraId, polygons: [Array.from({ length: 65 }, () => point)] }, /at most 64 points/],
      [h.token, 'setMasks', { cameraId, polygons: Array.from({ length: 33 }, () => SQUARE) }, /at most 32 masks/],
      [h.token, 'setMasks', `{"cameraId":"${cameraId}","polygons":[[[0.1,0.1],[1e999,0.2],[0.3,0.3]]]}`, /0 to 1/],
      [h.token, 'setMasks', { cameraId, polygons: [[['0.1', '0.1'], [0.2, 0.2], [0.3, 0.3]]] }, /number from 0 to 1/],
      [officer.token, 'liftMask', { cameraId, reason: 'Look', minutes: 241 }, /four hours/],
      [officer.token, 'liftMask', { cameraId, reason: 'Look', minutes: 0 }, /one minute/],
      [officer.token, 'liftMask', { cameraId, reason: 'Look', minutes: 1.5 }, /Whole minutes/],
      [officer.token, 'liftMask', { cameraId, reason: 'x'.repeat(100_000) }, /./],
      [officer.token, 'liftMask', { cameraId, reason: ' \t ' }, /Say why/],
      [officer.token, 'openPlayback', { reason: 'x'.repeat(100_000), caseReference: '' }, /500 characters/],
      [h.token, 'requestDisclosure', { ...disclosure(), legalBasis: { basis: 'other', text: '' } }, /./],
      [h.token, 'requestDisclosure', disclosure({ reason: 'x'.repeat(100_000) }), /./],
      [h.token, 'requestDisclosure', { ...disclosure(), legalBasis: { basis: 'because', text: '' } }, /legal basis/],
    ];
    for (const [token, method, body, message] of refusals) {
      const { status, body: answer } = await post(token, method, body);
      expect(status, `${method} ${JSON.stringify(body).slice(0, 120)}`).toBe(400);
      expect(answer.error?.code, method).toBe('api.invalid-argument');
      expect(JSON.stringify(answer.error), method).toMatch(message); // the sentence, or the field's own
    }
    expect(await h.api.listMasks()).toEqual(masksBefore);
    expect((await eve.api.listDisclosureRequests()).length).toBe(requestsBefore);
    expect(ledger().slice(ledgerBefore).filter((e) => /^(mask|disclosure|playback)\./.test(e.action))).toEqual([]);
  });
});

describe('a lift and what leaves', () => {
  it('an administrator holding a lift still exports the camera masked: a lift is for the screen, never for a package', async () => {
    const ann = await h.as('ann', 'admin');
    await ann.api.liftMask({ cameraId, reason: 'Checking the porch', minutes: 30 });
    const job = await ann.api.startExport({ cameraIds: [cameraId], ...range, reason: 'Porch', caseReference: 'LIFTED-1', recipient: null, workingCopy: false });
    const done = await waitFor('the export to end', async () => {
      const now: ExportJob = await ann.api.getExport({ id: job.id });
      return now.state === 'running' ? undefined : now;
    }, 120_000);
    expect(done.state, done.error?.message ?? '').toBe('done');
    const manifest = JSON.parse(readFileSync(join(done.packagePath!, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { role: string }) => f.role)).toEqual(['working']);
    expect(manifest.cameras[0].privacyMasks).toMatchObject({ version: 1, polygons: [SQUARE] });
    expect(manifest.withheldMasters).toHaveLength(1);
    expect(existsSync(join(done.packagePath!, 'master'))).toBe(false);
    await ann.api.restoreMask({ cameraId });
  }, 300_000);
});

describe('a bookmark picture’s cache', () => {
  it('a bookmark moved to another camera never shows the picture a lifter left of the first, unmasked', async () => {
    const atMs = range.fromMs + 1_000;
    await waitFor('the second camera to have footage at the moment', () => h.core.recordings.index.segments(plainId, atMs, atMs + 1).some((s) => s.startMs <= atMs && s.endMs > atMs), 30_000);
    const lee = await h.as('lee', 'evidence-officer');
    const oona = await h.as('oona', 'operator');
    const picture = async (who: SignedInPerson, id: string) => {
      const res = await fetch(`${h.baseUrl}${await who.api.mediaLink({ path: `/media/bookmarks/${id}/thumb.jpg` })}`);
      expect(res.status, await res.clone().text()).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    const mark = await h.api.createBookmark({ cameraIds: [cameraId], atMs, beforeMs: 1_000, afterMs: 1_000, title: 'Porch', notes: '', tags: [], caseReference: '' });
    await lee.api.liftMask({ cameraId, reason: 'Who is at the porch', minutes: 30 });
    const behindTheMask = await picture(lee, mark.id);
    await lee.api.restoreMask({ cameraId });
    await h.api.updateBookmark({ id: mark.id, changes: { cameraIds: [plainId] } });
    expect((await picture(oona, mark.id)).equals(behindTheMask)).toBe(false);
  }, 60_000);
});
