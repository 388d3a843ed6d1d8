/**
 * Recorders share cameras through leases in a real PostgreSQL directory: each camera held by one
 * recorder at a time whatever races, a stopped recorder's cameras taken by a standby once its lease
 * runs out, handed back to their assigned recorder when it is up again, and a recorder whose camera
 * was taken stops recording it. Rounds are stepped by the test or run on short terms; every wait is
 * for a state.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Directory } from '../../electron/core/directory/directory.js';
import { openPostgresDirectory } from '../../electron/core/directory/postgres-directory.js';
import { LeaseKeeper, type LeaseTiming } from '../../electron/core/recorders/lease-keeper.js';
import type { GainedLease, LeaseStore } from '../../electron/core/recorders/lease-store.js';
import type { Logger } from '../../electron/core/logger.js';
import { startTestPostgres, type TestPostgres } from '../fixtures/postgres.js';
import { waitFor } from '../fixtures/wait-for.js';

let postgres: TestPostgres;
const directories: Directory[] = [];

beforeAll(async () => {
  postgres = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await Promise.all(directories.map((d) => d.close()));
  await postgres?.stop();
}, 120_000);

async function openLeases(url: string): Promise<{ directory: Directory; store: LeaseStore }> {
  const directory = openPostgresDirectory(url, quiet);
  directories.push(directory);
  await directory.ready;
  return { directory, store: directory.site!.leases };
}

async function freshStore(): Promise<{ url: string; store: LeaseStore }> {
  const url = await postgres.createDatabase();
  return { url, store: (await openLeases(url)).store };
}

const publicKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const quiet: Logger = { log: () => undefined };
/** Short enough for a test, long enough that a round on a busy machine still renews in time. */
const SHORT: LeaseTiming = { termMs: 3_000, roundMs: 300 };

interface Recorder {
  keeper: LeaseKeeper;
  gained: GainedLease[];
  lost: Array<{ cameraId: string; why: string }>;
}

function recorder(store: LeaseStore, id: string, cameras: () => Array<{ id: string; assignedTo: string | null }>, capacity = 100): Recorder {
  const r: Recorder = { gained: [], lost: [], keeper: undefined as unknown as LeaseKeeper };
  r.keeper = new LeaseKeeper({
    recorder: { id, role: 'recorder', name: `Recorder ${id}`, url: `http://127.0.0.1:1/${id}`, publicKey, sealingKey: '', sealingKeySignature: '' },
    store,
    cameras,
    capacity,
    timing: SHORT,
    onGained: (lease) => r.gained.push(lease),
    onLost: (cameraId, why) => r.lost.push({ cameraId, why }),
    logger: quiet,
  });
  return r;
}

const holders = async (store: LeaseStore) => Object.fromEntries((await store.current()).map((l) => [l.cameraId, l.recorderId]));

describe('camera leases in the PostgreSQL directory', () => {
  it('gives each camera to its assigned recorder and never to two recorders, however many race for it', async () => {
    const { store } = await freshStore();
    const cameras = [
      { id: 'cam-1', assignedTo: 'rec-a' },
      { id: 'cam-2', assignedTo: 'rec-b' },
      { id: 'cam-3', assignedTo: null },
    ];
    const a = recorder(store, 'rec-a', () => cameras);
    const b = recorder(store, 'rec-b', () => cameras);
    await Promise.all([a.keeper.runRound(), b.keeper.runRound()]);
    // Each its own at once; the unassigned camera once they have been up a term (shared out, below).
    expect(await holders(store)).toEqual({ 'cam-1': 'rec-a', 'cam-2': 'rec-b' });
    a.keeper.start();
    b.keeper.start();
    await waitFor('someone to take cam-3', async () => (await holders(store))['cam-3']);
    await Promise.all([a.keeper.stop(false), b.keeper.stop(false)]);
    const held = await holders(store);
    expect(held['cam-1']).toBe('rec-a');
    expect(held['cam-2']).toBe('rec-b');
    expect(['rec-a', 'rec-b']).toContain(held['cam-3']);
    // Each camera was gained exactly once, by one of them.
    expect([...a.gained, ...b.gained].map((g) => g.cameraId).sort()).toEqual(['cam-1', 'cam-2', 'cam-3']);

    // Twenty takers at once for one free camera: one wins.
    await store.release(held['cam-3']!, ['cam-3']);
    const takers = Array.from({ length: 20 }, (_, i) => `rec-${i}`);
    for (const id of takers) await store.heartbeat({ id, role: 'recorder', name: id, url: '', publicKey, sealingKey: '', sealingKeySignature: '' }, SHORT.termMs);
    const results = await Promise.all(takers.map((id) => store.acquire(id, 'cam-3', 60_000, null)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('shares cameras assigned to nobody out evenly among the recorders up, and the survivor takes them all when the other stops', async () => {
    const { store } = await freshStore();
    const cameras = Array.from({ length: 6 }, (_, i) => ({ id: `cam-${i + 1}`, assignedTo: null }));
    const a = recorder(store, 'rec-a', () => cameras);
    const b = recorder(store, 'rec-b', () => cameras);
    a.keeper.start();
    b.keeper.start();
    await waitFor('all six cameras held', async () => Object.keys(await holders(store)).length === 6);
    const count = async (id: string) => Object.values(await holders(store)).filter((r) => r === id).length;
    // Both came up together: neither took everything before the other was counted.
    expect([await count('rec-a'), await count('rec-b')]).toEqual([3, 3]);
    await b.keeper.stop(false); // dies without a word: its leases run out
    await waitFor('rec-a holding all six', async () => (await count('rec-a')) === 6);
    await a.keeper.stop(false);
    expect(a.gained.filter((g) => g.previous?.recorderId === 'rec-b')).toHaveLength(3);
  });

  it('moves a stopped recorder’s cameras to a standby once its lease runs out, and records where they came from', async () => {
    const { store } = await freshStore();
    const cameras = [
      { id: 'cam-1', assignedTo: 'rec-a' },
      { id: 'cam-2', assignedTo: 'rec-a' },
      { id: 'cam-3', assignedTo: 'rec-b' },
    ];
    const a = recorder(store, 'rec-a', () => cameras);
    const b = recorder(store, 'rec-b', () => cameras);
    // rec-b first: a recorder takes the cameras of one that is not up (yet) as a standby.
    await b.keeper.runRound();
    await a.keeper.runRound();
    expect(b.gained.map((g) => g.cameraId)).toEqual(['cam-3']);
    // rec-a dies without a word (its rounds stop, its leases stay until they run out).
    b.keeper.start();
    await waitFor('rec-b holding rec-a’s cameras', async () => {
      const held = await holders(store);
      return held['cam-1'] === 'rec-b' && held['cam-2'] === 'rec-b';
    });
    await b.keeper.stop(false);
    const takeover = b.gained.find((g) => g.cameraId === 'cam-1')!;
    expect(takeover.epoch).toBe(2);
    expect(takeover.previous?.recorderId).toBe('rec-a');
    // The old lease ran out before the new one began: the gap is measurable from the directory's clock.
    expect(takeover.acquiredAt).toBeGreaterThanOrEqual(takeover.previous!.expiredAt);
  });

  it('hands cameras back to their assigned recorder once it has been up a full term, and the standby stops recording them', async () => {
    const { store } = await freshStore();
    const cameras = [{ id: 'cam-1', assignedTo: 'rec-a' }];
    const b = recorder(store, 'rec-b', () => cameras);
    await b.keeper.runRound();
    // A standby just started waits a term before it takes another recorder's cameras.
    expect(b.keeper.cameras.size).toBe(0);
    b.keeper.start();
    // rec-a is not up: rec-b takes cam-1 as a standby.
    await waitFor('rec-b standing in for rec-a', () => b.keeper.cameras.has('cam-1'));
    const a = recorder(store, 'rec-a', () => cameras);
    a.keeper.start();
    await waitFor('cam-1 back with rec-a', async () => (await holders(store))['cam-1'] === 'rec-a' && a.keeper.cameras.has('cam-1'));
    await Promise.all([a.keeper.stop(true), b.keeper.stop(true)]);
    expect(b.lost).toEqual([{ cameraId: 'cam-1', why: 'handed-back' }]);
    expect(a.gained[0]?.previous?.recorderId).toBe('rec-b');
  });

  it('stops recording a camera another recorder took, keeps one whose renewal was merely late, and gives up removed cameras', async () => {
    const { url, store } = await freshStore();
    let cameras = [
      { id: 'cam-1', assignedTo: 'rec-a' },
      { id: 'cam-2', assignedTo: 'rec-a' },
      { id: 'cam-3', assignedTo: 'rec-a' },
    ];
    const a = recorder(store, 'rec-a', () => cameras);
    await a.keeper.runRound();
    expect([...a.keeper.cameras].sort()).toEqual(['cam-1', 'cam-2', 'cam-3']);

    // A slow round: cam-1's lease ran out but nobody took it.
    await postgres.query(url, `UPDATE camera_leases SET expires_at = now() - interval '1 second' WHERE camera_id = 'cam-1'`);
    // Another recorder holds cam-2 now (a newer epoch).
    await store.heartbeat({ id: 'rec-x', role: 'recorder', name: 'x', url: '', publicKey, sealingKey: '', sealingKeySignature: '' }, SHORT.termMs);
    await postgres.query(url, `UPDATE camera_leases SET recorder_id = 'rec-x', epoch = epoch + 1, expires_at = now() + interval '1 hour' WHERE camera_id = 'cam-2'`);
    // cam-3 is no longer to be recorded.
    cameras = cameras.filter((c) => c.id !== 'cam-3');
    await a.keeper.runRound();

    expect(a.lost).toEqual([
      { cameraId: 'cam-2', why: 'taken' },
      { cameraId: 'cam-3', why: 'removed' },
    ]);
    expect([...a.keeper.cameras]).toEqual(['cam-1']);
    const held = await holders(store);
    expect(held).toEqual({ 'cam-1': 'rec-a', 'cam-2': 'rec-x' });
  });

  it('takes no more than its capacity as a standby, and keeps recording what it holds while the directory is out of reach', async () => {
    const { url, store } = await freshStore();
    const cameras = Array.from({ length: 5 }, (_, i) => ({ id: `cam-${i + 1}`, assignedTo: 'rec-gone' }));
    const b = recorder(store, 'rec-b', () => cameras, 3);
    b.keeper.start();
    await waitFor('rec-b standing in for three cameras', () => b.keeper.cameras.size === 3);
    await b.keeper.stop(false);
    expect(b.keeper.cameras.size).toBe(0);
    // Three leases, run out or not by now: never five.
    expect(await postgres.query(url, `SELECT camera_id FROM camera_leases WHERE recorder_id = 'rec-b'`)).toHaveLength(3);

    // A recorder whose own connection to the directory breaks after it took its cameras.
    const own = await openLeases(url);
    const logged: string[] = [];
    const lost: string[] = [];
    const c = new LeaseKeeper({
      recorder: { id: 'rec-c', role: 'recorder', name: 'c', url: '', publicKey, sealingKey: '', sealingKeySignature: '' },
      store: own.store,
      cameras: () => [{ id: 'cam-9', assignedTo: 'rec-c' }],
      capacity: 3,
      timing: SHORT,
      onGained: () => undefined,
      onLost: (id) => lost.push(id),
      logger: { log: (_level, msg) => logged.push(msg) },
    });
    await c.runRound();
    expect([...c.cameras]).toEqual(['cam-9']);
    await own.directory.close();
    // A second close (afterAll closes it again) waits for the first rather than failing.
    await expect(own.directory.close()).resolves.toBeUndefined();
    c.start();
    await waitFor('a failed round logged', () => logged.includes('leases.round-failed'));
    await c.stop(false);
    expect(lost).toEqual([]);
  });
});
