/**
 * A site (issue 13): a real PostgreSQL cluster, two watchroom-recorder processes, two workstation
 * cores (browser hosts) on the same directory, and real GStreamer cameras. Cameras added on one
 * workstation reach the other and the recorders; each camera has one recorder and one RTSP session
 * however many workstations watch it; the password is sealed to the recorders and found nowhere on
 * the workstations; a bookmark made on one workstation is listed on the other. Then the recorder
 * holding a camera is SIGKILLed: the other recorder takes it over, records it, ledgers the takeover,
 * and the workstations' live views follow the camera by themselves.
 * (The time a takeover takes is measured by bench/site-failover.ts, not asserted here.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSigningKey } from '../../electron/core/evidence/signing-key.js';
import { keysDir } from '../../electron/core/evidence/workstation-key.js';
import { NODE_TOKEN_HEADER, signNodeRequest } from '../../electron/core/recorders/node-signature.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tile } from '../fixtures/counting-tile.js';
import type { CoreEvent } from '../../shared/events.js';
import type { MaskPolygon } from '../../shared/masks.js';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { startTestPostgres, type TestPostgres } from '../fixtures/postgres.js';
import { ffmpegFor } from '../fixtures/process-table.js';
import { startRecorderProcess, type RecorderProcess } from '../fixtures/recorder-process.js';
import Database from 'better-sqlite3';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { TEST_PASSWORD } from '../fixtures/people.js';
import { admitProcesses, workstationFingerprint } from '../fixtures/site-admission.js';
import { signAdmission } from '../../electron/core/recorders/site-admission.js';
import { loadOrCreateSealingKey } from '../../electron/core/recorders/password-seal.js';
import { nodeFetch } from '../fixtures/node-fetch.js';
import { waitFor } from '../fixtures/wait-for.js';

const PASSWORD = 'Gate-pw-9931';


let cluster: TestPostgres;
let url: string;
let gate: TestCamera;
let yard: TestCamera;
const recorders: RecorderProcess[] = [];
let w1: TestHost;
let w2: TestHost;
const ids: Record<'gate' | 'yard', string> = { gate: '', yard: '' };

const holderOf = async (cameraId: string) => (await cluster.query<{ recorder_id: string; epoch: string }>(url, 'SELECT recorder_id, epoch FROM camera_leases WHERE camera_id = $1 AND expires_at > now()', [cameraId]))[0];
/** Files under `dir` holding `text` (grep: nothing found is exit 1). */
const filesContaining = (dir: string, text: string) => {
  try {
    return execFileSync('grep', ['-rlF', '--', text, dir], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};
const recorder = (id: string) => recorders.find((r) => r.id === id)!;

beforeAll(async () => {
  cluster = await startTestPostgres();
  url = await cluster.createDatabase();
  [gate, yard] = await Promise.all([startTestCamera({ codec: 'h264', label: 'Gate', username: 'viewer', password: PASSWORD }), startTestCamera({ codec: 'h264', label: 'Yard' })]);
  recorders.push(...(await Promise.all([startRecorderProcess(url, 'rec-a'), startRecorderProcess(url, 'rec-b')])));
  // A password is sealed to the recorders that have joined: wait until both have.
  await waitFor('both recorders to join the directory', async () => (await cluster.query(url, "SELECT id FROM nodes WHERE role = 'recorder' AND sealing_key <> ''")).length === 2, 60_000);
  const workstation = (nodeId: string) => startTestHost({ directory: { url }, site: { role: 'workstation', name: `Workstation ${nodeId}`, nodeId } });
  [w1, w2] = await Promise.all([workstation('ws-1'), workstation('ws-2')]);
  await Promise.all([w1.core.directoryReady, w2.core.directoryReady]);
  // An administrator admits every process, comparing the fingerprints they show (the first admission makes the site key on workstation 1).
  await admitProcesses(w1.api, [...recorders, { id: 'ws-1', fingerprint: workstationFingerprint(w1.dataDir) }, { id: 'ws-2', fingerprint: workstationFingerprint(w2.dataDir) }], [w2.api]);
}, 180_000);

afterAll(async () => {
  await w1?.close();
  await w2?.close();
  await Promise.all(recorders.map((r) => r.stop()));
  await stopAllTestCameras();
  await cluster?.stop();
});

describe('a site: two recorders and two workstations on one PostgreSQL directory', () => {
  it('records each camera added on one workstation exactly once, on one recorder, with one RTSP session', async () => {
    ids.gate = (await w1.api.addCamera({ name: 'Gate', url: gate.url, username: 'viewer', password: PASSWORD })).id;
    ids.yard = (await w1.api.addCamera({ name: 'Yard', url: yard.url })).id;
    await waitFor('workstation 2 to list both cameras', async () => (await w2.api.listCameras()).length === 2);
    expect((await w2.api.listCameras()).find((c) => c.id === ids.gate)).toMatchObject({ name: 'Gate', hasPassword: true, username: 'viewer' });

    for (const camera of ['gate', 'yard'] as const) {
      const id = ids[camera];
      const lease = await waitFor(`a recorder to hold ${camera}`, () => holderOf(id), 60_000);
      const holder = recorder(lease.recorder_id);
      const other = recorders.find((r) => r !== holder)!;
      await waitFor(`${holder.id} to record ${camera}`, () => holder.footage(id).length > 0, 60_000);
      expect(other.footage(id), `${other.id} records ${camera} too`).toEqual([]);
    }
    // The camera with a password is recorded: its recorder opened the password sealed for it.
    expect(ffmpegFor(gate.port)).toHaveLength(1);
    expect(ffmpegFor(yard.port)).toHaveLength(1);
    // A workstation records nothing itself, yet its REC mark is the recorder's word: recording.
    await waitFor('workstation 2 to show the gate recorded', async () => (await w2.api.listStreams()).some((s) => s.cameraId === ids.gate && s.stream === 'main' && s.recording?.state === 'recording'), 60_000);
  }, 300_000);

  it('keeps the password sealed: not in the directory, nor anywhere in either workstation’s data folder', async () => {
    const [row] = await cluster.query<{ secret: unknown }>(url, 'SELECT secret FROM cameras WHERE id = $1', [ids.gate]);
    expect(Object.keys(row!.secret as object).sort()).toEqual(['rec-a', 'rec-b']);
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    const dump = await cluster.query(url, "SELECT string_agg(t::text, '') AS all FROM (SELECT * FROM cameras) t");
    expect(JSON.stringify(dump)).not.toContain(PASSWORD);
    for (const w of [w1, w2]) expect(filesContaining(w.dataDir, PASSWORD)).toBe('');
  });

  it('lists on workstation 2 a bookmark made on workstation 1', async () => {
    const made = await w1.api.createBookmark({ cameraIds: [ids.gate], atMs: Date.now(), beforeMs: 5_000, afterMs: 5_000, title: 'Van at the gate', notes: '', tags: [], caseReference: '' });
    await waitFor('workstation 2 to list the bookmark', async () => (await w2.api.listBookmarks({ text: 'Van at the gate' })).some((b) => b.id === made.id));
  });

  it('refuses on a workstation an export or a disclosure request of a window no recorder holds footage of (the directory’s coverage), and asks nothing', async () => {
    // Exports from the recorders themselves: tests/integration/site-export.test.ts.
    const asked = { cameraIds: [ids.gate], fromMs: Date.now() - 3_600_000, toMs: Date.now() - 3_500_000, reason: 'Van at the gate', caseReference: 'SITE-1', workingCopy: false };
    await expect(w1.api.startExport({ ...asked, recipient: null })).rejects.toMatchObject({ code: 'export.no-recording' });
    await expect(w1.api.requestDisclosure({ export: { ...asked, recipient: { person: 'DC Shah', organisation: 'Met' } }, legalBasis: { basis: 'court', text: 'Order 7' } })).rejects.toMatchObject({ code: 'export.no-recording' });
    expect(await w2.api.listDisclosureRequests()).toEqual([]);
  });

  it('keeps the footage of a bookmark locked on a workstation out of every recorder’s retention, until the lock is lifted', async () => {
    const investigator = await w1.as('ivy', 'investigator');
    const mark = await investigator.api.createBookmark({ cameraIds: [ids.gate], atMs: Date.now() - 1_000, beforeMs: 5_000, afterMs: 5_000, title: 'Keep this', notes: '', tags: [], caseReference: 'CASE-9' });
    await investigator.api.setBookmarkLock({ id: mark.id, locked: true, reason: 'Evidence in CASE-9' });
    // Each recorder's own index, which its retention reads, holds the lock (read as retention would, from its file).
    const locksOf = (r: RecorderProcess) => {
      const db = new Database(join(r.dataDir, 'recordings.sqlite'), { readonly: true, fileMustExist: true });
      try {
        return db.prepare('SELECT camera_id, end_ms - start_ms AS span FROM locks WHERE reason = ?').all(`bookmark:${mark.id}`);
      } finally {
        db.close();
      }
    };
    for (const r of recorders) await waitFor(`${r.id} to hold the lock`, () => locksOf(r).length === 1);
    expect(locksOf(recorders[0]!)).toEqual([{ camera_id: ids.gate, span: 10_000 }]);
    await investigator.api.setBookmarkLock({ id: mark.id, locked: false, reason: 'Released by the court' });
    for (const r of recorders) await waitFor(`${r.id} to let it go`, () => locksOf(r).length === 0);
  });

  it('shows on workstation 2 the privacy masks saved on workstation 1 and tells its views; a lift stays with the person who made it', async () => {
    const told: CoreEvent[] = [];
    const stop = w2.core.onEvent((e) => void (e.type === 'masks.changed' && told.push(e)));
    const polygons: MaskPolygon[] = [[[0.1, 0.1], [0.6, 0.1], [0.6, 0.6]]];
    const saved = await w1.api.setMasks({ cameraId: ids.yard, polygons });
    await waitFor('workstation 2 to be told', () => told.some((e) => e.type === 'masks.changed' && e.cameraId === ids.yard));
    stop();
    const on = async (w: TestHost) => (await w.api.listMasks()).find((m) => m.cameraId === ids.yard);
    expect(await on(w2)).toEqual({ ...saved, lift: null });
    await w1.api.liftMask({ cameraId: ids.yard, reason: 'Read the van’s number plate', minutes: 5 });
    expect((await on(w1))?.lift).not.toBeNull();
    expect((await on(w2))?.lift).toBeNull(); // workstation 2's people still see the masks
    await w1.api.restoreMask({ cameraId: ids.yard });
    const cleared = await w2.api.setMasks({ cameraId: ids.yard, polygons: [] });
    expect(cleared.version).toBe(saved.version + 1); // numbered by the directory, whichever workstation saves
    await waitFor('workstation 1 to list the cleared set', async () => (await on(w1))?.version === cleared.version);
  });

  it('lets a person added on workstation 1 sign in on workstation 2; a role changed or an account disabled on one applies on the other', async () => {
    const olive = await w1.as('olive', 'operator');
    const there = await w2.core.system.signIn({ name: 'OLIVE', password: TEST_PASSWORD });
    const onW2 = w2.core.api(there.token);
    expect(there.session.person).toMatchObject({ name: 'olive', role: 'operator' });
    await expect(onW2.addCamera({ name: 'Not hers', url: 'rtsp://127.0.0.1:9/x' })).rejects.toMatchObject({ code: 'auth.forbidden' });
    const id = there.session.person!.id;
    await w1.api.updatePerson({ id, changes: { role: 'investigator' } });
    await waitFor('workstation 2 to know olive as an investigator', () => w2.core.person(there.token)?.role === 'investigator');
    // Disabled on workstation 1: her session on workstation 2 ends, and whatever watches it (her sockets) is told.
    let ended = false;
    w2.core.watchSession(there.token, () => void (ended = true));
    await w1.api.updatePerson({ id, changes: { disabled: true } });
    await waitFor('her session on workstation 2 to end', () => ended);
    expect(w2.core.person(there.token)).toBeNull();
    await expect(w2.core.system.signIn({ name: 'olive', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'auth.bad-credentials' });
    expect(w1.core.person(olive.token)).toBeNull();
  });

  it('ends a person’s sessions on every workstation when they change their password on one, except the one they changed it in', async () => {
    const here = await w1.as('paul', 'operator');
    const there = await w2.core.system.signIn({ name: 'paul', password: TEST_PASSWORD });
    await w2.core.api(there.token).changePassword({ current: TEST_PASSWORD, next: 'A-new-one-for-paul-7' });
    await waitFor('his session on workstation 1 to end', () => w1.core.person(here.token) === null);
    expect(w2.core.person(there.token)?.name).toBe('paul');
    await expect(w1.core.system.signIn({ name: 'paul', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'auth.bad-credentials' });
    expect((await w1.core.system.signIn({ name: 'paul', password: 'A-new-one-for-paul-7' })).session.person?.name).toBe('paul');
  });

  it('recalls on workstation 2 a preset saved on workstation 1, whose walls are told; each keeps its own walls', async () => {
    const told: CoreEvent[] = [];
    const stop = w2.core.onEvent((e) => void (e.type === 'wall.changed' && told.push(e)));
    await w1.api.setWall({ wallId: 'wall-1', state: { layout: '1', tiles: [ids.yard] } });
    const saved = await w1.api.savePreset({ name: 'Yard only' });
    await waitFor('workstation 2 to be told', () => told.length > 0);
    stop();
    expect((await w2.api.listPresets()).find((p) => p.id === saved.id)).toMatchObject({ name: 'Yard only', builtIn: false, wallCount: 1 });
    expect((await w2.api.getWall({ wallId: 'wall-1' })).layout).toBe('2x2'); // its own walls, until it recalls the preset
    await w2.api.recallPreset({ id: saved.id });
    expect(await w2.api.getWall({ wallId: 'wall-1' })).toMatchObject({ layout: '1', tiles: [ids.yard] });
    await w2.api.deletePreset({ id: saved.id });
    await waitFor('workstation 1 to list it no more', async () => !(await w1.api.listPresets()).some((p) => p.id === saved.id));
  });

  it('plays recorded footage on a workstation, fetched from the recorder that recorded it, byte for byte', async () => {
    const holder = recorder((await holderOf(ids.yard))!.recorder_id);
    // The timeline comes from the directory's coverage, which recorders bring up to date as they go.
    const [range] = await waitFor('the yard’s footage on workstation 1’s timeline', async () => {
      const ranges = await w1.api.listRecordings({ cameraId: ids.yard, fromMs: Date.now() - 600_000, toMs: Date.now() + 60_000 });
      return ranges.length ? ranges : undefined;
    }, 90_000);
    const path = `/media/${ids.yard}/recording.m3u8?fromMs=${range!.startMs}&toMs=${range!.endMs}`;
    const playlist = await (await fetch(new URL(await w1.api.mediaLink({ path }), w1.baseUrl))).text();
    const links = playlist.split('\n').filter((l) => l.startsWith('/media/site-segments/'));
    expect(links.length, playlist).toBeGreaterThan(0);
    expect(links.every((l) => l.startsWith(`/media/site-segments/${holder.id}/`))).toBe(true);
    const served = Buffer.from(await (await fetch(new URL(links[0]!, w1.baseUrl))).arrayBuffer());
    const onDisk = holder.footage(ids.yard).map((f) => readFileSync(f));
    expect(onDisk.some((bytes) => bytes.equals(served)), 'the segment served is one the recorder wrote').toBe(true);
    // A segment link is for the session it was signed for: without its signature, nothing.
    expect((await fetch(new URL(links[0]!.replace(/&sig=[^&]+/, ''), w1.baseUrl))).status).toBe(401);
  }, 180_000);

  it('shows on a workstation timeline and bookmark pictures taken from the recorder’s footage, and keeps no copy of it', async () => {
    // The timeline comes from the directory's coverage, which recorders bring up to date every 15 s.
    const [range] = await waitFor('the yard’s footage on workstation 2’s timeline', async () => {
      const ranges = await w2.api.listRecordings({ cameraId: ids.yard, fromMs: Date.now() - 600_000, toMs: Date.now() + 60_000 });
      return ranges.length ? ranges : undefined;
    }, 90_000);
    const at = Math.floor((range!.startMs + range!.endMs) / 2);
    const picture = async (path: string) => {
      const res = await fetch(new URL(await w2.api.mediaLink({ path }), w2.baseUrl));
      const bytes = Buffer.from(await res.arrayBuffer());
      return { status: res.status, type: res.headers.get('content-type'), jpeg: bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])), text: bytes.toString('utf8', 0, 200) };
    };
    expect(await picture(`/media/${ids.yard}/thumb.jpg?atMs=${at}`)).toMatchObject({ status: 200, type: 'image/jpeg', jpeg: true });
    const mark = await w1.api.createBookmark({ cameraIds: [ids.yard], atMs: at, beforeMs: 2_000, afterMs: 2_000, title: 'Yard picture', notes: '', tags: [], caseReference: '' });
    await waitFor('workstation 2 to list the bookmark', async () => (await w2.api.listBookmarks({ text: 'Yard picture' })).length === 1);
    expect(await picture(`/media/bookmarks/${mark.id}/thumb.jpg`)).toMatchObject({ status: 200, type: 'image/jpeg', jpeg: true });
    // Before the camera was added (within instant replay's reach): nothing recorded, said so.
    expect(await picture(`/media/${ids.yard}/thumb.jpg?atMs=${range!.startMs - 20_000}`)).toMatchObject({ status: 404, jpeg: false });
    // The segment was copied only while the picture was taken; workstations keep no footage.
    expect(readdirSync(join(w2.dataDir, 'footage-copies'))).toEqual([]);
    expect(readdirSync(w2.dataDir, { recursive: true }).filter((f) => String(f).endsWith('.ts'))).toEqual([]);
  }, 120_000);

  it('serves a recorder’s footage only to a registered process, for the one path its token was signed for, once', async () => {
    const holder = recorder((await holderOf(ids.yard))!.recorder_id);
    const list = `/footage/${ids.yard}?fromMs=0&toMs=${Date.now() + 60_000}`;
    const get = (path: string, token?: string) => nodeFetch(holder.url + path, token ? { headers: { [NODE_TOKEN_HEADER]: token } } : {});
    const key = loadOrCreateSigningKey(keysDir(w1.dataDir)); // workstation 1's own, registered in the directory
    expect((await get(list)).status).toBe(401);
    const token = signNodeRequest(key, 'ws-1', holder.id, list);
    const listed = await get(list, token);
    expect(listed.status).toBe(200);
    const [first] = listed.json() as Array<{ id: number }>;
    expect((await get(list, token)).status, 'a token is accepted once').toBe(401);
    expect((await get(`/footage/segments/${first!.id}.ts`, signNodeRequest(key, 'ws-1', holder.id, list))).status, 'a token opens only its own path').toBe(401);
    expect((await get(`/footage/segments/${first!.id}.ts`, signNodeRequest(key, 'ws-9', holder.id, `/footage/segments/${first!.id}.ts`))).status, 'an unregistered process').toBe(401);
    expect((await get(`/footage/segments/${first!.id}.ts`, signNodeRequest(key, 'ws-1', holder.id, `/footage/segments/${first!.id}.ts`))).status).toBe(200);
    expect((await get('/footage/../../etc/passwd', signNodeRequest(key, 'ws-1', holder.id, '/footage/../../etc/passwd'))).status).not.toBe(200);
  });

  it('gives a process someone wrote into the directory, admitted by nobody, no camera password and no footage; its own admission row counts for nothing', async () => {
    // Someone with the directory's login, not the site key: a "recorder" with keys of their own.
    const dir = mkdtempSync(join(tmpdir(), 'watchroom-rogue-'));
    const rogueKey = loadOrCreateSigningKey(join(dir, 'keys'));
    const rogueSealing = loadOrCreateSealingKey(join(dir, 'keys'));
    // A whole process of theirs: its sealing key signed by its own signing key, as a real recorder's is.
    await cluster.query(url, "INSERT INTO nodes (id, role, name, url, public_key, sealing_key, sealing_key_signature, up_since, seen_at) VALUES ('rec-rogue', 'recorder', 'Recorder rogue', 'http://127.0.0.1:9', $1, $2, $3, now(), now())", [
      rogueKey.publicKeyPem,
      rogueSealing.publicKeyPem,
      rogueKey.sign(Buffer.from(rogueSealing.publicKeyPem)).toString('base64'),
    ]);
    // …and an admission signed with their own key, announced as a real one would be.
    const forged = signAdmission(rogueKey, { nodeId: 'rec-rogue', role: 'recorder', publicKey: rogueKey.publicKeyPem, sealingKey: rogueSealing.publicKeyPem, admittedBy: 'tester', admittedAt: Date.now() });
    await cluster.query(url, 'INSERT INTO node_admissions (node_id, role, public_key, sealing_key, admitted_by, admitted_at, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      forged.nodeId, forged.role, forged.publicKey, forged.sealingKey, forged.admittedBy, forged.admittedAt, forged.signature,
    ]);
    await cluster.query(url, `SELECT pg_notify('watchroom', '{"topic":"nodes","id":"rec-rogue"}'), pg_notify('watchroom', '{"topic":"admissions","id":"rec-rogue"}')`);
    expect((await w1.api.listSiteNodes()).find((n) => n.id === 'rec-rogue')).toMatchObject({ admitted: false, fingerprint: rogueKey.fingerprint });

    // A password entered now is sealed to the admitted recorders only.
    const door = await w1.api.addCamera({ name: 'Door', url: 'rtsp://127.0.0.1:9/door', username: 'viewer', password: 'Door-pw-1', recording: false });
    const sealedFor = async (id: string) => Object.keys(((await cluster.query<{ secret: object }>(url, 'SELECT secret FROM cameras WHERE id = $1', [id]))[0]!.secret)).sort();
    expect(await sealedFor(door.id)).toEqual(['rec-a', 'rec-b']);
    // A recorder re-sealing for those that lack a password (here rec-b, its envelope removed) seals for admitted ones only.
    await cluster.query(url, `WITH cut AS (UPDATE cameras SET secret = secret - 'rec-b' WHERE id = $1 RETURNING id) SELECT pg_notify('watchroom', '{"topic":"cameras"}') FROM cut`, [ids.gate]);
    // Each look tells of the rogue's row again: the recorders re-seal on it once they have reloaded the cut seal.
    await waitFor('a recorder to seal the gate’s password for rec-b again', async () => {
      await cluster.query(url, `SELECT pg_notify('watchroom', '{"topic":"nodes","id":"rec-rogue"}')`);
      return (await sealedFor(ids.gate)).includes('rec-b');
    }, 30_000);
    expect(await sealedFor(ids.gate)).toEqual(['rec-a', 'rec-b']);

    // Its requests are refused by the recorders; it cannot be admitted without its owner's fingerprint, nor where the site key is not.
    const holder = recorder((await holderOf(ids.yard))!.recorder_id);
    const list = `/footage/${ids.yard}?fromMs=0&toMs=${Date.now() + 60_000}`;
    expect((await nodeFetch(holder.url + list, { headers: { [NODE_TOKEN_HEADER]: signNodeRequest(rogueKey, 'rec-rogue', holder.id, list) } })).status).toBe(401);
    await expect(w1.api.admitSiteNode({ nodeId: 'rec-rogue', fingerprint: recorders[0]!.fingerprint })).rejects.toMatchObject({ code: 'site.fingerprint-mismatch' });
    await expect(w2.api.admitSiteNode({ nodeId: 'rec-rogue', fingerprint: rogueKey.fingerprint })).rejects.toMatchObject({ code: 'site.key-elsewhere' });
    // Nor can the site key be swapped for one of theirs: the table keeps the first.
    await expect(cluster.query(url, "UPDATE site_key SET public_key = $1 WHERE id = 'site'", [rogueKey.publicKeyPem])).rejects.toThrow(/never changed or removed/);
    await cluster.query(url, "UPDATE nodes SET seen_at = now() - interval '1 hour' WHERE id = 'rec-rogue'");
    await w1.api.removeCamera({ id: door.id });
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves a camera to the other recorder when its recorder is SIGKILLed: recorded on, ledgered, and the workstations’ live views follow', async () => {
    const tiles = [new Tile(), new Tile()];
    const closers = [w1, w2].map((w, i) => w.core.openLive(w.token, ids.gate, tiles[i]!, 'main'));
    try {
      await waitFor('both workstations to play the gate', () => tiles.every((t) => t.fragments > 5), 60_000);
      // Two workstations watching, one RTSP session: the recorder's.
      expect(ffmpegFor(gate.port)).toHaveLength(1);

      const before = (await holderOf(ids.gate))!;
      const victim = recorder(before.recorder_id);
      const survivor = recorders.find((r) => r !== victim)!;
      const footageBefore = survivor.footage(ids.gate).length;
      const killedAt = Date.now();
      await victim.stop('SIGKILL');
      const seen = tiles.map((t) => ({ inits: t.inits, fragments: t.fragments }));

      const after = await waitFor('the survivor to hold the gate', async () => {
        const lease = await holderOf(ids.gate);
        return lease?.recorder_id === survivor.id ? lease : undefined;
      }, 60_000);
      expect(Number(after.epoch)).toBeGreaterThan(Number(before.epoch));
      await waitFor('the survivor to record the gate', () => survivor.footage(ids.gate).length > footageBefore, 60_000);
      const [takeover] = survivor.ledger('recording.takeover').filter((e) => e.subject === ids.gate);
      expect(takeover?.details).toMatchObject({ from: victim.id, epoch: Number(after.epoch) });
      expect(Number(takeover!.details.takenAt)).toBeGreaterThanOrEqual(Number(takeover!.details.leaseRanOutAt));

      // Each live view started again from the new recorder and plays on.
      await waitFor('both views to play from the survivor', () => tiles.every((t, i) => t.inits > seen[i]!.inits && t.fragments > seen[i]!.fragments + 5), 60_000);
      // A workstation's timeline: both recorders' footage (from the directory's coverage), and the
      // unrecorded stretch between them a hole, not papered over.
      const timeline = await waitFor('the survivor’s footage on workstation 2’s timeline', async () => {
        const ranges = await w2.api.listRecordings({ cameraId: ids.gate, fromMs: killedAt - 600_000, toMs: Date.now() + 60_000 });
        return ranges.some((r) => r.startMs > killedAt - 1_000) && ranges.some((r) => r.endMs <= killedAt) ? ranges : undefined;
      }, 90_000);
      const lastBefore = timeline.filter((r) => r.endMs <= killedAt).at(-1)!;
      const firstAfter = timeline.find((r) => r.startMs > lastBefore.endMs)!;
      expect(firstAfter.startMs).toBeGreaterThan(lastBefore.endMs + 1_000);
      expect(firstAfter.startMs).toBeGreaterThanOrEqual(Number(takeover!.details.leaseRanOutAt) - 1_000);

      // The killed recorder's ffmpeg went with it: one session again.
      await waitFor('one RTSP session for the gate', () => ffmpegFor(gate.port).length === 1, 30_000);
    } finally {
      closers.forEach((close) => close());
    }
  }, 400_000);
});
