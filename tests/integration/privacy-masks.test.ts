/**
 * Privacy masks in the core, against a real core, real SQLite and a real ledger: versions saved and
 * ledgered with their hash, refused shapes, who may draw and lift, a lift that is one person's own,
 * that ends by itself (a lift's minute is made short here, as the core's option allows) and by hand,
 * and one left open when the core stopped, re-applied on the record at the next start.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core.js';
import { canonicalJson } from '../../electron/core/canonical-json.js';
import { tempDataDir } from '../fixtures/host-process.js';
import { colleague, firstAdmin } from '../fixtures/people.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';

let h: TestHost | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

type Entry = { actor: string; role?: string; action: string; subject: string; details?: Record<string, unknown> };
const ledger = (dataDir: string): Entry[] => readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Entry);
const SQUARE: Array<[number, number]> = [[0.1, 0.1], [0.4, 0.1], [0.4, 0.4], [0.1, 0.4]];
const TRIANGLE: Array<[number, number]> = [[0.6, 0.6], [0.9, 0.6], [0.75, 0.9]];

async function hostWithCamera(options: Parameters<typeof startTestHost>[0] = {}) {
  h = await startTestHost(options);
  const { id } = await h.api.addCamera({ name: 'Street', url: 'rtsp://127.0.0.1:9/street', recording: false });
  return { h, cameraId: id };
}

describe('privacy masks in the core', () => {
  it('saves every change as a new version, ledgered with its polygon count and the hash of its canonical JSON', async () => {
    const { h, cameraId } = await hostWithCamera();
    expect(await h.api.listMasks()).toEqual([]);
    const first = await h.api.setMasks({ cameraId, polygons: [SQUARE] });
    const second = await h.api.setMasks({ cameraId, polygons: [SQUARE, TRIANGLE] });
    expect([first.version, second.version]).toEqual([1, 2]);
    const sha = createHash('sha256').update(canonicalJson([SQUARE, TRIANGLE])).digest('hex');
    expect(second).toMatchObject({ cameraId, polygons: [SQUARE, TRIANGLE], sha256: sha, setBy: 'tester', lift: null });
    const operator = await h.as('olga', 'operator');
    expect(await operator.api.listMasks()).toEqual([expect.objectContaining({ cameraId, version: 2, polygons: [SQUARE, TRIANGLE] })]);
    const sets = ledger(h.dataDir).filter((e) => e.action === 'mask.set');
    expect(sets.map((e) => [e.actor, e.role, e.subject, e.details])).toEqual([
      ['tester', 'admin', cameraId, { cameraId, version: 1, polygons: 1, sha256: first.sha256 }],
      ['tester', 'admin', cameraId, { cameraId, version: 2, polygons: 2, sha256: sha }],
    ]);
  });

  it('refuses a polygon with too few points or outside the picture, with a sentence, and keeps what was saved', async () => {
    const { h, cameraId } = await hostWithCamera();
    await h.api.setMasks({ cameraId, polygons: [SQUARE] });
    await expect(h.api.setMasks({ cameraId, polygons: [[[0, 0], [1, 1]]] })).rejects.toMatchObject({ code: 'api.invalid-argument', fields: [expect.objectContaining({ message: 'A mask needs at least 3 points.' })] });
    await expect(h.api.setMasks({ cameraId, polygons: [[[0, 0], [1.5, 1], [0, 1]]] })).rejects.toMatchObject({ code: 'api.invalid-argument', fields: [expect.objectContaining({ message: 'A mask point lies inside the picture (0 to 1).' })] });
    await expect(h.api.setMasks({ cameraId: 'no-such-camera', polygons: [SQUARE] })).rejects.toMatchObject({ code: 'camera.not-found' });
    expect((await h.api.listMasks())[0]).toMatchObject({ version: 1, polygons: [SQUARE] });
  });

  it('lets only administrators draw masks, and evidence officers and administrators lift them', async () => {
    const { h, cameraId } = await hostWithCamera();
    await h.api.setMasks({ cameraId, polygons: [SQUARE] });
    const operator = await h.as('otto', 'operator');
    const officer = await h.as('evie', 'evidence-officer');
    await expect(operator.api.setMasks({ cameraId, polygons: [] })).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(operator.api.liftMask({ cameraId, reason: 'Curious' })).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(officer.api.setMasks({ cameraId, polygons: [] })).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(officer.api.liftMask({ cameraId, reason: '' })).rejects.toMatchObject({ code: 'api.invalid-argument', fields: [expect.objectContaining({ message: 'Say why the mask is lifted.' })] });
    expect(await officer.api.liftMask({ cameraId, reason: 'Case 7: the door' })).toMatchObject({ lift: { reason: 'Case 7: the door' } });
    expect((await h.api.listMasks())[0]).toMatchObject({ version: 1, polygons: [SQUARE] });
  });

  it('lifts for the person who asked only, ends the lift by itself at its time, and ledgers both ends', async () => {
    // A lift's minute lasts 400 ms here.
    const { h, cameraId } = await hostWithCamera({ maskLiftMinuteMs: 400 });
    await h.api.setMasks({ cameraId, polygons: [SQUARE] });
    const officer = await h.as('evan', 'evidence-officer');
    const lifted = await officer.api.liftMask({ cameraId, reason: 'Checking the gate', minutes: 2 });
    expect(lifted.lift).toMatchObject({ reason: 'Checking the gate' });
    expect(lifted.lift!.untilMs - Date.now()).toBeLessThanOrEqual(800);
    // Not for the administrator, who did not lift it.
    expect((await h.api.listMasks())[0]!.lift).toBeNull();
    await expect(officer.api.liftMask({ cameraId, reason: 'Again' })).rejects.toMatchObject({ code: 'mask.already-lifted' });

    await waitFor('the lift to end by itself', async () => (await officer.api.listMasks())[0]!.lift === null, 20_000);
    const entries = ledger(h.dataDir);
    const lift = entries.find((e) => e.action === 'mask.lift')!;
    expect(lift).toMatchObject({ actor: 'evan', role: 'evidence-officer', subject: cameraId, details: { cameraId, person: 'evan', reason: 'Checking the gate', minutes: 2, version: 1 } });
    const reapply = await waitFor('the re-apply entry', () => ledger(h.dataDir).find((e) => e.action === 'mask.reapply'));
    expect(reapply).toMatchObject({ actor: 'system', subject: cameraId, details: { why: 'expired', person: 'evan', reason: 'Checking the gate', liftId: lift.details!.liftId, untilUtc: lift.details!.untilUtc } });
    expect(typeof reapply.details!.reappliedAtUtc).toBe('string');
  });

  it('lets the person end their lift early, and no one else', async () => {
    const { h, cameraId } = await hostWithCamera();
    await h.api.setMasks({ cameraId, polygons: [SQUARE] });
    const officer = await h.as('erin', 'evidence-officer');
    await officer.api.liftMask({ cameraId, reason: 'Looking at the porch' });
    await expect(h.api.restoreMask({ cameraId })).rejects.toMatchObject({ code: 'mask.not-lifted' });
    expect((await officer.api.restoreMask({ cameraId })).lift).toBeNull();
    expect(ledger(h.dataDir).filter((e) => e.action === 'mask.reapply')).toEqual([
      expect.objectContaining({ actor: 'erin', role: 'evidence-officer', details: expect.objectContaining({ why: 'by-hand', reason: 'Looking at the porch' }) }),
    ]);
  });

  it('re-applies a lift left open when the core stopped at the next start, on the record, never extending it', async () => {
    const dataDir = tempDataDir();
    let core = createCore({ dataDir, appVersion: 'test', shell: 'browser' });
    const admin = await firstAdmin(core);
    const { id: cameraId } = await admin.api.addCamera({ name: 'Yard', url: 'rtsp://127.0.0.1:9/yard', recording: false });
    await admin.api.setMasks({ cameraId, polygons: [SQUARE] });
    const officer = await colleague(core, admin.api, 'ezra', 'evidence-officer');
    await officer.api.liftMask({ cameraId, reason: 'Before the restart', minutes: 60 });
    await core.close();

    core = createCore({ dataDir, appVersion: 'test', shell: 'browser' });
    try {
      const reapplied = ledger(dataDir).filter((e) => e.action === 'mask.reapply');
      expect(reapplied).toEqual([expect.objectContaining({ actor: 'system', subject: cameraId, details: expect.objectContaining({ why: 'restart', person: 'ezra', reason: 'Before the restart' }) })]);
      const ezra = await core.system.signIn({ name: 'ezra', password: 'correct-horse-battery' });
      expect((await core.api(ezra.token).listMasks())[0]!.lift).toBeNull();
    } finally {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
