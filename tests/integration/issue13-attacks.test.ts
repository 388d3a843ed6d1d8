/**
 * Issue 13 attacks: a site's admission, people, data folders, evidence locks and malformed rows, as an
 * outsider would try them (someone with the directory's login, a curious operator, someone with a
 * workstation's files). Each test asserts the correct behaviour: a failing test is a hole.
 *
 * One PostgreSQL cluster; the main site is one real recorder process (rec-a) and two workstation
 * cores (ws-1, ws-2), all admitted; a second, fresh database is a site before its first admission.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import WebSocket, { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tile } from '../fixtures/counting-tile.js';
import { loadOrCreateSigningKey, type SigningKey } from '../../electron/core/evidence/signing-key.js';
import { keysDir } from '../../electron/core/evidence/workstation-key.js';
import { NODE_TOKEN_HEADER, signNodeRequest } from '../../electron/core/recorders/node-signature.js';
import { loadOrCreateSealingKey, type SealingKey } from '../../electron/core/recorders/password-seal.js';
import { signAdmission } from '../../electron/core/recorders/site-admission.js';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { TEST_PASSWORD } from '../fixtures/people.js';
import { startTestPostgres, type TestPostgres } from '../fixtures/postgres.js';
import { startRecorderProcess, type RecorderProcess } from '../fixtures/recorder-process.js';
import { createAdmin, startHostProcess, tempDataDir, type HostProcess } from '../fixtures/host-process.js';
import { LiveClient } from '../fixtures/live-client.js';
import { createCore } from '../../electron/core/core.js';
import { admitProcesses, workstationFingerprint } from '../fixtures/site-admission.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { nodeFetch, standInTls, tlsOfKeys } from '../fixtures/node-fetch.js';
import { waitFor } from '../fixtures/wait-for.js';

const PASSWORD = 'Attack13-gate-pw-4471';

let cluster: TestPostgres;
let url: string;
let gate: TestCamera;
let recA: RecorderProcess;
let w1: TestHost;
let w2: TestHost;
let gateId = '';
const extraHosts: TestHost[] = [];
const hostProcesses: HostProcess[] = [];
const servers: Server[] = [];
const tempDirs: string[] = [];

const sql = <R extends Record<string, unknown> = Record<string, unknown>>(q: string, values: unknown[] = []) => cluster.query<R>(url, q, values);
const notify = (topic: string, id = '') => sql(`SELECT pg_notify('watchroom', $1)`, [JSON.stringify({ topic, id })]);
const tempDir = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), `watchroom-attack13-${name}-`));
  tempDirs.push(d);
  return d;
};
/** A stranger's keys: someone with the directory's login, not the site key. */
const strangerKeys = (name: string): { signing: SigningKey; sealing: SealingKey } => {
  const d = tempDir(name);
  return { signing: loadOrCreateSigningKey(join(d, 'keys')), sealing: loadOrCreateSealingKey(join(d, 'keys')) };
};
const filesContaining = (dir: string, text: string) => {
  try {
    return execFileSync('grep', ['-rlF', '--', text, dir], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};
/** The bookmark locks a recorder's own index holds (read as its retention would, from its file). */
const locksOf = (r: RecorderProcess, bookmarkId: string) => {
  const db = new Database(join(r.dataDir, 'recordings.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT camera_id FROM locks WHERE reason = ?').all(`bookmark:${bookmarkId}`);
  } finally {
    db.close();
  }
};
const sealedEnvelopes = async () => (await sql<{ id: string; secret: Record<string, unknown> | null }>('SELECT id, secret FROM cameras')).filter((r) => r.secret);
const listen = async (server: Server) => {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
/** A stand-in's HTTPS identity: a certificate of its own (the writer has rec-a's address, not its keys). */
const asStranger = () => standInTls(strangerKeys(`tls-${servers.length}`).signing);
/** rec-a's HTTPS identity, as someone with its disk (a recorder gone bad) could show it. */
const asRecA = () => tlsOfKeys(keysDir(recA.dataDir));

/** The directory writer points rec-a's address at `to`, and keeps it there through rec-a's heartbeats (a trigger: the login owns the tables). */
const redirectRecA = async (to: string) => {
  await sql('DROP TRIGGER IF EXISTS attack13_url ON nodes');
  await sql(`CREATE OR REPLACE FUNCTION attack13_url() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN IF NEW.id = 'rec-a' THEN NEW.url := '${to}'; END IF; RETURN NEW; END $f$`);
  await sql('CREATE TRIGGER attack13_url BEFORE INSERT OR UPDATE ON nodes FOR EACH ROW EXECUTE FUNCTION attack13_url()');
  await sql("UPDATE nodes SET url = url WHERE id = 'rec-a'");
  await notify('nodes', 'rec-a');
  return async () => {
    await sql('DROP TRIGGER IF EXISTS attack13_url ON nodes');
    await sql('DROP FUNCTION IF EXISTS attack13_url()');
    await waitFor('rec-a’s own address back', async () => (await sql<{ url: string }>("SELECT url FROM nodes WHERE id = 'rec-a'"))[0]?.url === recA.url);
    await notify('nodes', 'rec-a');
  };
};

/** Waits until ws-1 comes to `server` (its playlist asks for the gate's footage at rec-a's address as the directory now says it). */
const followed = async (server: Server) => {
  let asked = 0;
  // A connection: the workstation came to the address (whether it then asks depends on the certificate it is shown).
  server.on('connection', () => void asked++);
  const [range] = await waitFor('the gate’s footage on ws-1’s timeline', async () => {
    const ranges = await w1.api.listRecordings({ cameraId: gateId, fromMs: Date.now() - 600_000, toMs: Date.now() + 60_000 });
    return ranges.length ? ranges : undefined;
  }, 90_000);
  let last = '';
  await waitFor('ws-1 to follow rec-a’s new address', async () => {
    const path = `/media/${gateId}/recording.m3u8?fromMs=${range!.startMs}&toMs=${range!.endMs}`;
    const res = await fetch(new URL(await w1.api.mediaLink({ path }), w1.baseUrl));
    last = `${res.status} ${(await res.text()).slice(0, 200)}`;
    return asked > 0;
  }, 30_000).catch((error: Error) => {
    throw new Error(`${error.message}; the playlist said ${last}`);
  });
};

/** The last lines of a process's log that say `level` (to show why an API call hit an internal error). */
const logSays = (dataDir: string, level = 'error') =>
  existsSync(join(dataDir, 'watchroom.log'))
    ? readFileSync(join(dataDir, 'watchroom.log'), 'utf8').split('\n').filter((l) => l.includes(`"level":"${level}"`)).slice(-2).join('\n')
    : '';
const explained = (dataDir: string) => (error: Error) => {
  throw new Error(`${error.message}\n${logSays(dataDir)}`);
};


beforeAll(async () => {
  cluster = await startTestPostgres();
  url = await cluster.createDatabase();
  gate = await startTestCamera({ codec: 'h264', label: 'Gate13', username: 'viewer', password: PASSWORD });
  recA = await startRecorderProcess(url, 'rec-a');
  await waitFor('rec-a to join the directory', async () => (await sql("SELECT id FROM nodes WHERE id = 'rec-a' AND sealing_key <> ''")).length === 1, 60_000);
  const workstation = (nodeId: string) => startTestHost({ directory: { url }, site: { role: 'workstation', name: `Workstation ${nodeId}`, nodeId } });
  [w1, w2] = await Promise.all([workstation('ws-1'), workstation('ws-2')]);
  await Promise.all([w1.core.directoryReady, w2.core.directoryReady]);
  await admitProcesses(w1.api, [recA, { id: 'ws-1', fingerprint: workstationFingerprint(w1.dataDir) }, { id: 'ws-2', fingerprint: workstationFingerprint(w2.dataDir) }], [w2.api]);
  gateId = (await w1.api.addCamera({ name: 'Gate13', url: gate.url, username: 'viewer', password: PASSWORD })).id;
  await waitFor('rec-a to record the gate', () => recA.footage(gateId).length > 0, 90_000);
}, 240_000);

afterAll(async () => {
  for (const s of servers) s.closeAllConnections?.(), s.close();
  for (const h of extraHosts) await h.close().catch(() => undefined);
  for (const h of hostProcesses) await h.stop().catch(() => undefined);
  await w1?.close();
  await w2?.close();
  if (recA) {
    try {
      process.kill(recA.child.pid!, 'SIGCONT');
    } catch {
      /* gone */
    }
    await recA.stop();
  }
  await stopAllTestCameras();
  await cluster?.stop();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

describe('issue 13 attacks: admission', () => {
  it('refuses the Site processes list and admissions to a non-administrator', async () => {
    const op = await w1.as('oscar13', 'operator');
    const inv = await w1.as('ines13', 'investigator');
    for (const p of [op, inv]) {
      await expect(p.api.listSiteNodes()).rejects.toMatchObject({ code: 'auth.forbidden' });
      await expect(p.api.admitSiteNode({ nodeId: 'rec-a', fingerprint: recA.fingerprint })).rejects.toMatchObject({ code: 'auth.forbidden' });
    }
  });

  it('refuses a node request with no token, a skewed or expired one, a replay, a borrowed name, and one from a registered but unadmitted process', async () => {
    const path = `/footage/${gateId}?fromMs=0&toMs=${Date.now() + 60_000}`;
    const get = (token?: string) => nodeFetch(recA.url + path, token ? { headers: { [NODE_TOKEN_HEADER]: token } } : {}).then((r) => r.status);
    const ws1 = loadOrCreateSigningKey(keysDir(w1.dataDir));
    expect(await get()).toBe(401);
    expect(await get('garbage')).toBe(401);
    expect(await get('a.b.c.d')).toBe(401);
    expect(await get(signNodeRequest(ws1, 'ws-1', 'rec-a', path, Date.now() + 10 * 60_000)), 'a token dated ten minutes ahead').toBe(401);
    expect(await get(signNodeRequest(ws1, 'ws-1', 'rec-a', path, Date.now() - 2 * 60_000)), 'an expired token').toBe(401);
    const token = signNodeRequest(ws1, 'ws-1', 'rec-a', path);
    expect(await get(token)).toBe(200);
    expect(await get(token), 'a replay').toBe(401);
    expect(await get(signNodeRequest(ws1, 'rec-a', 'rec-a', path)), 'ws-1’s key under rec-a’s name').toBe(401);
    // A process the writer registered (alive, heartbeating) but nobody admitted.
    const stray = strangerKeys('stray');
    await sql("INSERT INTO nodes (id, role, name, url, public_key, sealing_key, up_since, seen_at) VALUES ('ws-stray', 'workstation', 'Stray', '', $1, '', now(), now())", [stray.signing.publicKeyPem]);
    await notify('nodes', 'ws-stray');
    expect(await get(signNodeRequest(stray.signing, 'ws-stray', 'rec-a', path))).toBe(401);
    // The writer puts the stray key under admitted ws-2's name: still not ws-2's admitted key.
    await sql("UPDATE nodes SET public_key = $1 WHERE id = 'ws-2'", [stray.signing.publicKeyPem]);
    await notify('nodes', 'ws-2');
    expect(await get(signNodeRequest(stray.signing, 'ws-2', 'rec-a', path))).toBe(401);
    await sql("DELETE FROM nodes WHERE id = 'ws-stray'");
    // ws-2's own heartbeat puts its key back.
    await waitFor('ws-2 to register its own key again', async () => (await sql<{ public_key: string }>("SELECT public_key FROM nodes WHERE id = 'ws-2'"))[0]?.public_key === loadOrCreateSigningKey(keysDir(w2.dataDir)).publicKeyPem);
  });

  it('ignores admissions the site key did not sign: a bad signature, garbage, one for other keys; and a later genuine admission still counts', async () => {
    const rogue = strangerKeys('rogue13');
    await sql("INSERT INTO nodes (id, role, name, url, public_key, sealing_key, up_since, seen_at) VALUES ('rec-rogue13', 'recorder', 'Rogue', 'http://127.0.0.1:9', $1, $2, now(), now())", [rogue.signing.publicKeyPem, rogue.sealing.publicKeyPem]);
    const row = (a: { nodeId: string; role: string; publicKey: string; sealingKey: string; admittedBy: string; admittedAt: number; signature: string }) =>
      sql('INSERT INTO node_admissions (node_id, role, public_key, sealing_key, admitted_by, admitted_at, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)', [a.nodeId, a.role, a.publicKey, a.sealingKey, a.admittedBy, a.admittedAt, a.signature]);
    const body = { nodeId: 'rec-rogue13', role: 'recorder' as const, publicKey: rogue.signing.publicKeyPem, sealingKey: rogue.sealing.publicKeyPem, admittedBy: 'tester', admittedAt: Date.now() };
    await row({ ...body, signature: '!!!not base64 at all!!!' });
    await row({ ...body, admittedAt: body.admittedAt + 1, signature: '' });
    await row({ ...body, admittedAt: body.admittedAt + 2, publicKey: 'not a key', signature: signAdmission(rogue.signing, body).signature });
    await row({ ...signAdmission(rogue.signing, { ...body, admittedAt: body.admittedAt + 3 }) });
    // A genuine admission's signature copied onto rogue keys under rec-a's name.
    const [genuine] = await sql<{ signature: string; admitted_at: string }>("SELECT signature, admitted_at FROM node_admissions WHERE node_id = 'rec-a'");
    await row({ nodeId: 'rec-a', role: 'recorder', publicKey: rogue.signing.publicKeyPem, sealingKey: rogue.sealing.publicKeyPem, admittedBy: 'tester', admittedAt: Number(genuine!.admitted_at) + 1, signature: genuine!.signature });
    await notify('admissions', 'rec-rogue13');
    // Nor can the writer change or remove the genuine admissions or the site key (the tables refuse).
    for (const q of ["UPDATE node_admissions SET public_key = 'x' WHERE node_id = 'rec-a'", "DELETE FROM node_admissions WHERE node_id = 'rec-a'", 'TRUNCATE node_admissions', "DELETE FROM site_key", 'TRUNCATE site_key']) {
      await expect(sql(q), q).rejects.toThrow(/never changed or removed/);
    }
    const listed = await w1.api.listSiteNodes();
    expect(listed.find((n) => n.id === 'rec-rogue13')).toMatchObject({ admitted: false });
    expect(listed.find((n) => n.id === 'rec-a')).toMatchObject({ admitted: true });
    // A new workstation admitted after all that junk is admitted (the junk did not stop the reload).
    const w3 = await startTestHost({ directory: { url }, site: { role: 'workstation', name: 'Workstation ws-3', nodeId: 'ws-3' } });
    extraHosts.push(w3);
    await w3.core.directoryReady;
    await admitProcesses(w1.api, [{ id: 'ws-3', fingerprint: workstationFingerprint(w3.dataDir) }], [w3.api]);
    expect((await w1.api.listSiteNodes()).find((n) => n.id === 'ws-3')).toMatchObject({ admitted: true });
    const path = `/footage/${gateId}?fromMs=0&toMs=${Date.now() + 60_000}`;
    await waitFor('rec-a to serve ws-3 once admitted', async () => (await nodeFetch(recA.url + path, { headers: { [NODE_TOKEN_HEADER]: signNodeRequest(loadOrCreateSigningKey(keysDir(w3.dataDir)), 'ws-3', 'rec-a', path) } })).status === 200);
    // …and rec-rogue13's requests are still refused.
    expect((await nodeFetch(recA.url + path, { headers: { [NODE_TOKEN_HEADER]: signNodeRequest(rogue.signing, 'rec-rogue13', 'rec-a', path) } })).status).toBe(401);
    await sql("UPDATE nodes SET seen_at = now() - interval '1 hour' WHERE id = 'rec-rogue13'");
  }, 120_000);

  it('keeps a camera password from a sealing key the directory writer put beside a recorder’s genuine signing key (the fingerprint an administrator compares)', async () => {
    // A new recorder registers: its signing key is its own, and it prints that key's fingerprint.
    const recC = strangerKeys('rec-c');
    await sql("INSERT INTO nodes (id, role, name, url, public_key, sealing_key, up_since, seen_at) VALUES ('rec-c', 'recorder', 'Recorder c', 'http://127.0.0.1:9', $1, $2, now(), now())", [recC.signing.publicKeyPem, recC.sealing.publicKeyPem]);
    // The writer swaps only the sealing key beside it (against a real recorder's heartbeats, a BEFORE UPDATE trigger on nodes keeps it so).
    const writer = strangerKeys('writer-sealing');
    await sql("UPDATE nodes SET sealing_key = $1 WHERE id = 'rec-c'", [writer.sealing.publicKeyPem]);
    await notify('nodes', 'rec-c');
    // The administrator compares the fingerprint rec-c printed, which matches, and admits it.
    await w1.api.admitSiteNode({ nodeId: 'rec-c', fingerprint: recC.signing.fingerprint }).catch(() => null);
    // A password entered now, and the gate's (re-sealed by rec-a for a recorder just admitted).
    await w1.api.addCamera({ name: 'Door13', url: 'rtsp://127.0.0.1:9/door13', username: 'viewer', password: 'Door13-pw-77', recording: false }).catch(() => null);
    await notify('nodes', 'rec-c');
    // Wait a little for rec-a's reseal to land, if it does (rec-a seals for an admitted recorder lacking an envelope).
    await waitFor('rec-a to have sealed for any recorder it counts as admitted', async () => {
      const rows = await sealedEnvelopes();
      return rows.every((r) => Object.keys(r.secret!).includes('rec-c')) || rows.every((r) => !Object.keys(r.secret!).includes('rec-c')) ? true : undefined;
    }, 15_000).catch(() => undefined);
    const opened: string[] = [];
    for (const r of await sealedEnvelopes()) {
      const envelope = (r.secret as Record<string, never>)['rec-c'];
      if (!envelope) continue;
      try {
        opened.push(writer.sealing.open(r.id, envelope));
      } catch {
        /* not for the writer */
      }
    }
    expect(opened, 'camera passwords the directory writer can open').toEqual([]);
  }, 60_000);

  // Was an open hole until TLS between processes: a server the directory's writer put at a recorder's address passed a
  // workstation's request on to the real recorder and read the answer. Now a workstation sends a request only to a process
  // whose certificate the admitted key issued.
  it('gives the directory writer no footage by pointing an admitted recorder’s address at a relay of theirs: the workstation sends it nothing', async () => {
    const real = recA.url;
    const got: Array<{ path: string; status: number; bytes: number }> = [];
    let requests = 0;
    // The writer's server: passes each request on to the real recorder with the workstation's token, keeps what comes back.
    const proxy = createServer(asStranger(), (req, res) => {
      requests++;
      void (async () => {
        const token = req.headers[NODE_TOKEN_HEADER];
        const answer = await nodeFetch(real + req.url, { headers: typeof token === 'string' ? { [NODE_TOKEN_HEADER]: token } : {} });
        got.push({ path: req.url!, status: answer.status, bytes: answer.body.length });
        res.writeHead(answer.status, { 'content-type': String(answer.headers['content-type'] ?? 'application/octet-stream') });
        res.end(answer.body);
      })().catch(() => res.destroy());
    });
    const undo = await redirectRecA(await listen(proxy));
    try {
      await followed(proxy);
      expect({ requests, got }, 'what the writer’s server was asked, and obtained with the workstation’s tokens').toEqual({ requests: 0, got: [] });
    } finally {
      await undo();
    }
  }, 150_000);

  it('gives the directory writer no live video by pointing an admitted recorder’s address at a relay of theirs, and the tile says why', async () => {
    let frames = 0;
    let upgrades = 0;
    const server = createServer(asStranger(), (_req, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      upgrades++;
      const token = req.headers[NODE_TOKEN_HEADER];
      // The writer asks the real recorder with the workstation's token, and keeps (and passes on) what comes.
      const upstream = new WebSocket(`${recA.url.replace(/^https/, 'wss')}${req.url}`, { rejectUnauthorized: false, headers: typeof token === 'string' ? { [NODE_TOKEN_HEADER]: token } : {} });
      upstream.on('error', () => undefined);
      wss.handleUpgrade(req, socket, head, (ws) => {
        upstream.on('message', (data, isBinary) => {
          if (isBinary) frames++;
          if (ws.readyState === ws.OPEN) ws.send(data, { binary: isBinary });
        });
        upstream.on('close', () => ws.close());
        ws.on('close', () => upstream.terminate());
      });
    });
    const undo = await redirectRecA(await listen(server));
    const tile = new Tile();
    let close: (() => void) | undefined;
    const after = w1.statuses.length;
    try {
      await followed(server);
      close = w1.core.openLive(w1.token, gateId, tile, 'main');
      await waitFor('ws-1’s tile to say the process at rec-a’s address is not the admitted recorder', () => w1.statuses.slice(after).some((st) => st.cameraId === gateId && (st.reason ?? '').includes('not the recorder the site admitted')), 60_000);
      expect({ upgrades, framesTheWriterGot: frames, framesShown: tile.fragments }).toEqual({ upgrades: 0, framesTheWriterGot: 0, framesShown: 0 });
    } finally {
      close?.();
      wss.close();
      await undo();
    }
  }, 120_000);

  it('refuses an admission whose typed fingerprint is empty, cut short or another key’s; takes one typed in capitals without colons', async () => {
    const desk = strangerKeys('fp13');
    await sql("INSERT INTO nodes (id, role, name, url, public_key, sealing_key, up_since, seen_at) VALUES ('ws-fp13', 'workstation', 'FP desk', '', $1, '', now(), now())", [desk.signing.publicKeyPem]);
    const fpr = desk.signing.fingerprint;
    for (const typed of ['', '::', fpr.slice(0, 47), `${fpr}:00`, recA.fingerprint]) {
      await expect(w1.api.admitSiteNode({ nodeId: 'ws-fp13', fingerprint: typed }), `typed ${JSON.stringify(typed)}`).rejects.toMatchObject({ code: expect.stringMatching(/^(site\.fingerprint-mismatch|api\.invalid|.*invalid.*)$/) });
    }
    expect((await w1.api.listSiteNodes()).find((n) => n.id === 'ws-fp13')).toMatchObject({ admitted: false });
    expect(await w1.api.admitSiteNode({ nodeId: 'ws-fp13', fingerprint: fpr.replaceAll(':', '').toUpperCase() })).toMatchObject({ admitted: true });
    await sql("UPDATE nodes SET seen_at = now() - interval '1 hour' WHERE id = 'ws-fp13'");
  });

  it('plays nothing from a recorder nobody admitted, when the writer hands it the camera’s lease', async () => {
    let asked = 0;
    const server = createServer(asStranger(), (_req, res) => res.writeHead(404).end());
    server.on('request', () => void asked++);
    server.on('upgrade', (_req, socket) => void (asked++, socket.destroy()));
    const fake = await listen(server);
    const rogue = strangerKeys('lease-rogue');
    await sql("INSERT INTO nodes (id, role, name, url, public_key, sealing_key, up_since, seen_at) VALUES ('rec-lease13', 'recorder', 'Recorder 9', $1, $2, $3, now(), now() + interval '1 hour')", [fake, rogue.signing.publicKeyPem, rogue.sealing.publicKeyPem]);
    await notify('nodes', 'rec-lease13');
    const tile = new Tile();
    let close: (() => void) | undefined;
    const after = w1.statuses.length;
    try {
      // The writer gives the gate's lease to their recorder (a new epoch: workstations follow the camera to it).
      await sql("UPDATE camera_leases SET recorder_id = 'rec-lease13', epoch = epoch + 1, expires_at = now() + interval '1 hour' WHERE camera_id = $1", [gateId]);
      await notify('leases', gateId);
      close = w1.core.openLive(w1.token, gateId, tile, 'main');
      await waitFor('ws-1 to say no recorder serves the gate', () => w1.statuses.slice(after).some((st) => st.cameraId === gateId && JSON.stringify(st).includes('No recorder serves this camera')), 30_000);
      expect({ asked, fragments: tile.fragments }).toEqual({ asked: 0, fragments: 0 });
    } finally {
      close?.();
      // Handed back: the lease runs out now, and rec-a takes the gate again.
      await sql("UPDATE camera_leases SET expires_at = now() WHERE camera_id = $1", [gateId]);
      await sql("UPDATE nodes SET seen_at = now() - interval '1 hour' WHERE id = 'rec-lease13'");
      await waitFor('rec-a to hold the gate again', async () => (await sql<{ recorder_id: string }>('SELECT recorder_id FROM camera_leases WHERE camera_id = $1 AND expires_at > now()', [gateId]))[0]?.recorder_id === 'rec-a', 60_000);
    }
  }, 120_000);

  it('still lists the site’s processes when the writer registers one with a key that is not a key', async () => {
    await sql("INSERT INTO nodes (id, role, name, url, public_key, sealing_key, up_since, seen_at) VALUES ('rec-junk', 'recorder', 'Junk', 'http://127.0.0.1:9', 'not a key', 'not a key either', now(), now())");
    await notify('nodes', 'rec-junk');
    try {
      const listed = await w1.api.listSiteNodes().catch(explained(w1.dataDir));
      expect(listed.find((n) => n.id === 'rec-a')).toMatchObject({ admitted: true });
      // And a password entered meanwhile is still sealed for rec-a.
      const cam = await w1.api.addCamera({ name: 'Junk13', url: 'rtsp://127.0.0.1:9/junk13', username: 'v', password: 'Junk13-pw', recording: false });
      expect(Object.keys((await sql<{ secret: object }>('SELECT secret FROM cameras WHERE id = $1', [cam.id]))[0]!.secret)).toContain('rec-a');
    } finally {
      await sql("DELETE FROM nodes WHERE id = 'rec-junk'");
      await notify('nodes', 'rec-junk');
    }
  });
});

describe('issue 13 attacks: people across workstations', () => {
  it('ends a session on ws-2 whose account was disabled while ws-2’s directory notice was lost (its listening connection dropped)', async () => {
    await w1.as('lena13', 'operator');
    const there = await w2.core.system.signIn({ name: 'lena13', password: TEST_PASSWORD });
    let ended = false;
    w2.core.watchSession(there.token, () => void (ended = true));
    // Another workstation's write whose notice never arrives: written without one, then every listening connection dropped.
    await sql("UPDATE people SET disabled = true, session_epoch = session_epoch + 1, revision = revision + 1 WHERE lower(name) = 'lena13'");
    await sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'watchroom' AND query ILIKE 'LISTEN%'");
    await waitFor('ws-2 to end her session once it listens again', () => ended && w2.core.person(there.token) === null, 30_000);
    await expect(w2.core.system.signIn({ name: 'lena13', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'auth.bad-credentials' });
  });

  it('ends a person’s sessions on ws-2 when an administrator resets their password on ws-1, and the old password no longer signs in there', async () => {
    await w1.as('rita13', 'investigator');
    const there = await w2.core.system.signIn({ name: 'rita13', password: TEST_PASSWORD });
    let ended = false;
    w2.core.watchSession(there.token, () => void (ended = true));
    const id = (await w1.api.listPeople()).find((p) => p.name === 'rita13')!.id;
    await w1.api.resetPassword({ id, password: 'Reset-by-admin-913' });
    await waitFor('her session on ws-2 to end', () => ended && w2.core.person(there.token) === null);
    await expect(w2.core.system.signIn({ name: 'rita13', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'auth.bad-credentials' });
    expect((await w2.core.system.signIn({ name: 'rita13', password: 'Reset-by-admin-913' })).session.person?.name).toBe('rita13');
  });

  it('keeps a lock lifted while the recorder was cut off until the recorder hears of the lift, then lets it go', async () => {
    const ivy = await w1.as('ivy13-lift', 'investigator');
    const mark = await ivy.api.createBookmark({ cameraIds: [gateId], atMs: Date.now() - 1_000, beforeMs: 5_000, afterMs: 5_000, title: 'Lift while away', notes: '', tags: [], caseReference: 'CASE-13L' });
    await ivy.api.setBookmarkLock({ id: mark.id, locked: true, reason: 'Evidence' });
    await waitFor('rec-a to hold the lock', () => locksOf(recA, mark.id).length === 1);
    const pid = recA.child.pid!;
    const ports = execFileSync('ss', ['-tnpH'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[4]?.endsWith(`:${cluster.port}`) && (f[5] ?? '').includes(`pid=${pid},`))
      .map((f) => Number(f[3]!.split(':').at(-1)));
    process.kill(pid, 'SIGSTOP');
    try {
      await sql('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE client_port = ANY($1)', [ports]);
      await ivy.api.setBookmarkLock({ id: mark.id, locked: false, reason: 'Released' });
      expect(locksOf(recA, mark.id)).toHaveLength(1); // a recorder that heard nothing keeps it
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitFor('rec-a to let the lifted lock go once back', () => locksOf(recA, mark.id).length === 0, 60_000);
  }, 90_000);

  it('refuses a second first administrator (--create-admin when one exists) on another workstation', async () => {
    await expect(w2.core.system.createFirstAdmin({ name: 'mallory13', displayName: 'Mallory', password: 'Mallory-pw-123456' })).rejects.toMatchObject({ code: 'people.first-admin-exists' });
    expect(await sql("SELECT id FROM people WHERE name = 'mallory13'")).toEqual([]);
  });

  it('leaves an active administrator when the last two demote each other from two workstations at once', async () => {
    const active = async () => (await sql<{ n: number }>("SELECT count(*)::int AS n FROM people WHERE role = 'admin' AND NOT disabled"))[0]!.n;
    expect(await active()).toBe(1);
    await w1.api.addPerson({ name: 'adam13', displayName: 'Adam', role: 'admin', password: TEST_PASSWORD });
    const adam = w2.core.api((await w2.core.system.signIn({ name: 'adam13', password: TEST_PASSWORD })).token);
    const people = await w1.api.listPeople();
    const id = (name: string) => people.find((p) => p.name === name)!.id;
    await Promise.allSettled([w1.api.updatePerson({ id: id('adam13'), changes: { role: 'operator' } }), adam.updatePerson({ id: id('tester'), changes: { role: 'operator' } })]);
    const left = await active();
    // Put the tester back in charge for the tests after this one, whoever won.
    const [tester] = await sql<{ role: string }>("SELECT role FROM people WHERE name = 'tester'");
    if (tester?.role !== 'admin' && left > 0) await adam.updatePerson({ id: id('tester'), changes: { role: 'admin' } });
    expect(left).toBeGreaterThanOrEqual(1);
  });
});

describe('issue 13 attacks: evidence locks', () => {
  let investigators = 0;
  const lockOn = async (title: string) => {
    const ivy = await w1.as(`ivy13-${++investigators}`, 'investigator');
    const mark = await ivy.api.createBookmark({ cameraIds: [gateId], atMs: Date.now() - 1_000, beforeMs: 5_000, afterMs: 5_000, title, notes: '', tags: [], caseReference: 'CASE-13' });
    await ivy.api.setBookmarkLock({ id: mark.id, locked: true, reason: 'Evidence in CASE-13' });
    return mark.id;
  };

  it('honours a lock placed while the recorder was cut off from the directory, once it is back', async () => {
    const pid = recA.child.pid!;
    // rec-a's directory connections, by their client ports.
    const ports = execFileSync('ss', ['-tnpH'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[4]?.endsWith(`:${cluster.port}`) && (f[5] ?? '').includes(`pid=${pid},`))
      .map((f) => Number(f[3]!.split(':').at(-1)));
    expect(ports.length).toBeGreaterThan(0);
    process.kill(pid, 'SIGSTOP');
    let id = '';
    try {
      await sql('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE client_port = ANY($1)', [ports]);
      id = await lockOn('Locked while rec-a was away');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitFor('rec-a to hold the lock placed while it was away', () => locksOf(recA, id).length === 1, 60_000);
  }, 90_000);

  it.each([
    ['a malformed locked bookmark (camera_ids not a list)', 'bm-junk13', `'"not-a-list"', 0, 0, 0`],
    ['a locked bookmark with a null camera and a negative range', 'bm-junk13b', `'[null, 42]', 1000, -50000, -50000`],
  ])('still takes a new lock to the recorder after the writer leaves %s', async (_what, junkId, junk) => {
    await sql(`INSERT INTO bookmarks (id, camera_ids, at_ms, before_ms, after_ms, title, notes, tags, case_reference, created_by, created_at, updated_at, locked)
               VALUES ('${junkId}', ${junk}, 'junk', '', '[]', '', 'x', 0, 0, true)`);
    await notify('bookmarks', junkId);
    try {
      const id = await lockOn(`Locked after ${junkId}`);
      await waitFor('rec-a to hold the lock placed after the junk row', () => locksOf(recA, id).length === 1, 20_000).catch((error: Error) => {
        throw new Error(`${error.message}; rec-a's log: ${readFileSync(join(recA.dataDir, 'watchroom.log'), 'utf8').split('\n').filter((l) => l.includes('evidence locks')).slice(-1).join('')}`);
      });
    } finally {
      await sql(`DELETE FROM bookmarks WHERE id = '${junkId}'`);
      await notify('bookmarks', junkId);
    }
  }, 60_000);
});

describe('issue 13 attacks: junk from a "recorder" and malformed directory rows', () => {
  it('keeps a workstation up, and its view of the camera honest, when the recorder it plays sends junk on the relay', async () => {
    let sent = 0;
    let connections = 0;
    const server = createServer(asRecA(), (_req, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ server });
    wss.on('connection', (ws) => {
      connections++;
      ws.send(JSON.stringify({ type: 'init', codec: 'avc1.nonsense' }));
      const junk = [
        Buffer.from([0xff, 0xff, 0xff, 0xff, 0x6d, 0x6f, 0x6f, 0x66]), // a moof claiming 4 GB
        Buffer.from([0, 0, 0, 0, 0x6d, 0x6f, 0x6f, 0x76]), // a zero-size moov
        Buffer.from([0, 0, 0, 1, 0x6d, 0x64, 0x61, 0x74, 0, 0, 0, 0, 0, 0, 0, 0]), // a 64-bit size of 0
        Buffer.alloc(1 << 20, 0xab), // a megabyte of nothing
      ];
      for (const j of junk) ws.send(j, { binary: true }, () => void sent++);
    });
    const fake = await listen(server);
    const undo = await redirectRecA(fake);
    const tile = new Tile();
    let close: (() => void) | undefined;
    try {
      await followed(server);
      close = w1.core.openLive(w1.token, gateId, tile, 'main');
      await waitFor('the fake recorder to have sent its junk', () => connections > 0 && sent >= 4, 30_000);
      // The workstation still answers, and its process was not brought down by the junk.
      expect((await w1.api.listCameras()).some((c) => c.id === gateId)).toBe(true);
      expect(tile.fragments, 'junk shown as video').toBe(0);
    } finally {
      close?.();
      wss.close();
      await undo();
    }
  }, 90_000);

  it('stops copying a footage segment a "recorder" sends without end, rather than filling the workstation’s disk', async () => {
    const [range] = await waitFor('the gate’s footage on ws-1’s timeline', async () => {
      const ranges = await w1.api.listRecordings({ cameraId: gateId, fromMs: Date.now() - 600_000, toMs: Date.now() + 60_000 });
      return ranges.length ? ranges : undefined;
    }, 90_000);
    const LIMIT = 300 * 1024 * 1024; // the fake stops here; a real segment is a few MB
    let sent = 0;
    let ended: 'client' | 'limit' | null = null;
    const chunk = Buffer.alloc(1 << 20, 0x47);
    const server13 = createServer(asRecA(), (req, res) => {
        if (req.url!.startsWith('/footage/segments/')) {
          res.writeHead(200, { 'content-type': 'video/mp2t' });
          res.on('close', () => void (ended ??= 'client'));
          const pump = () => {
            while (sent < LIMIT) {
              sent += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            ended ??= 'limit';
            res.end();
          };
          return pump();
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify([{ id: 7, startMs: range!.startMs, endMs: range!.endMs }]));
      });
    const fake = await listen(server13);
    const undo = await redirectRecA(fake);
    try {
      // The workstation follows the new address once it reads the list of processes (on the notice): its playlist asks the fake.
      let asked = 0;
      const seen = () => asked;
      server13.on('request', () => void asked++);
      await waitFor('ws-1 to ask the fake recorder', async () => {
        const path = `/media/${gateId}/recording.m3u8?fromMs=${range!.startMs}&toMs=${range!.endMs}`;
        await (await fetch(new URL(await w1.api.mediaLink({ path }), w1.baseUrl))).text();
        return seen() > 0;
      }, 30_000);
      const res = await fetch(new URL(await w1.api.mediaLink({ path: `/media/${gateId}/thumb.jpg?atMs=${range!.endMs - 1_000}` }), w1.baseUrl));
      await res.arrayBuffer();
      await waitFor('the copy to stop', () => ended !== null, 120_000);
      expect({ ended, mbCopied: Math.round(sent / 2 ** 20) }).toMatchObject({ ended: 'client' });
      expect(sent, 'bytes the workstation took in before it stopped').toBeLessThan(100 * 1024 * 1024);
    } finally {
      await undo();
      rmSync(join(w1.dataDir, 'footage-copies'), { recursive: true, force: true });
    }
  }, 180_000);

  it('leaves out a camera row the writer filled with junk and keeps recording and listing the others', async () => {
    await sql(`INSERT INTO cameras (id, record, secret) VALUES ('cam-junk13', '{"id": "cam-junk13", "name": 42, "url": null}', '"nope"'), ('cam-huge13', $1, NULL)`, [
      JSON.stringify({ id: 'cam-huge13', name: 'Huge13', url: `rtsp://127.0.0.1:9/${'x'.repeat(5_000_000)}` }),
    ]);
    await notify('cameras');
    try {
      await waitFor('ws-2 to have reloaded', async () => (await w2.api.listCameras()).some((c) => c.id === gateId));
      const listed = await w2.api.listCameras();
      expect(listed.some((c) => c.id === 'cam-junk13')).toBe(false);
      // rec-a keeps recording the gate.
      const before = recA.footage(gateId).length;
      await waitFor('rec-a to record on', () => recA.footage(gateId).length > before, 60_000);
      expect(recA.child.exitCode).toBeNull();
    } finally {
      await sql("DELETE FROM cameras WHERE id IN ('cam-junk13', 'cam-huge13')");
      await notify('cameras');
    }
  }, 90_000);

  it('keeps a workstation up when the writer gives an admitted recorder an address that is not one, and a view it shows restarts', async () => {
    const thrown: unknown[] = [];
    const onError = (error: unknown) => void thrown.push(error);
    process.on('unhandledRejection', onError);
    process.on('uncaughtException', onError);
    const tile = new Tile();
    let close: (() => void) | undefined;
    let undo: (() => Promise<void>) | undefined;
    try {
      // ws-1 shows the gate from rec-a.
      close = w1.core.openLive(w1.token, gateId, tile, 'main');
      await waitFor('ws-1 to play the gate', () => tile.fragments > 3, 60_000);
      undo = await redirectRecA('not a url at all');
      // ws-1 has read the new address once its playlist of the gate lists nothing it can reach.
      const [range] = await w1.api.listRecordings({ cameraId: gateId, fromMs: Date.now() - 600_000, toMs: Date.now() + 60_000 });
      await waitFor('ws-1 to read rec-a’s new address', async () => {
        const path = `/media/${gateId}/recording.m3u8?fromMs=${range!.startMs}&toMs=${range!.endMs}`;
        const res = await fetch(new URL(await w1.api.mediaLink({ path }), w1.baseUrl));
        const text = await res.text();
        return res.status === 200 && !text.includes('/media/site-segments/') ? true : undefined;
      }, 30_000);
      // The writer moves the lease's epoch on (rec-a renews it all the same): ws-1 restarts the view from the holder's address.
      const after = w1.statuses.length;
      await sql('UPDATE camera_leases SET epoch = epoch + 1 WHERE camera_id = $1', [gateId]);
      await notify('leases', gateId);
      await waitFor('ws-1 to say the gate is not live', () => w1.statuses.slice(after).some((st) => st.cameraId === gateId && st.state !== 'live') || thrown.length > 0, 30_000);
      expect(thrown.map(String), 'errors nobody caught in the workstation').toEqual([]);
      expect((await w1.api.listCameras()).some((c) => c.id === gateId)).toBe(true);
    } finally {
      close?.();
      await undo?.();
      process.off('unhandledRejection', onError);
      process.off('uncaughtException', onError);
    }
  }, 120_000);

  it('keeps a watchroom-host workstation process running when the writer gives the recorder it plays an address that is not one', async () => {
    const dataDir = tempDataDir();
    tempDirs.push(dataDir);
    const hp = await startHostProcess(['--data', dataDir, '--directory', url, '--name', 'Desk P13', '--no-demo']);
    hostProcesses.push(hp);
    const [me] = await waitFor('the desk to register', async () => {
      const rows = await sql<{ id: string }>("SELECT id FROM nodes WHERE name = 'Desk P13'");
      return rows.length ? rows : undefined;
    });
    await w1.api.admitSiteNode({ nodeId: me!.id, fingerprint: workstationFingerprint(dataDir) });
    await hp.call('confirmSiteKey', { fingerprint: (await w1.api.getSiteKey())!.fingerprint });
    let exited: string | null = null;
    hp.child.once('exit', (code, signal) => void (exited = `exit ${code} ${signal ?? ''}`));
    const live = new LiveClient(hp.url.origin, gateId, hp.token);
    let undo: (() => Promise<void>) | undefined;
    try {
      await waitFor('the desk to play the gate', () => live.fragments.length > 3, 60_000);
      undo = await redirectRecA('not a url at all');
      const [range] = await w1.api.listRecordings({ cameraId: gateId, fromMs: Date.now() - 600_000, toMs: Date.now() + 60_000 });
      await waitFor('the desk to read rec-a’s new address', async () => {
        const link = (await hp.call('mediaLink', { path: `/media/${gateId}/recording.m3u8?fromMs=${range!.startMs}&toMs=${range!.endMs}` })) as string;
        const res = await fetch(new URL(link, hp.url));
        const text = await res.text();
        return res.status === 200 && !text.includes('/media/site-segments/') ? true : undefined;
      }, 30_000);
      await sql('UPDATE camera_leases SET epoch = epoch + 1 WHERE camera_id = $1', [gateId]);
      await notify('leases', gateId);
      // The view restarts toward an address that is none: the camera is unserved, and the desk says so.
      const gate = async () => ((await hp.call('listStreams', undefined)) as Array<{ cameraId: string; stream: string; state: string }>).find((st) => st.cameraId === gateId && st.stream === 'main');
      await waitFor('the desk to restart the view (or die)', async () => exited !== null || ((await gate().catch(() => undefined))?.state ?? 'live') !== 'live', 30_000);
      expect({ exited, stderr: exited ? hp.stderr().split('\n').filter((l) => /Error|URL/.test(l)).slice(0, 2).join(' | ') : '' }).toEqual({ exited: null, stderr: '' });
    } finally {
      await live.close();
      await undo?.();
    }
  }, 180_000);

  it('keeps showing the cameras when the writer puts junk in a lease’s recording word and a coverage row spanning all time', async () => {
    await sql(`UPDATE camera_leases SET recording = '{"state": "recording", "reason": 42, "extra": "${'x'.repeat(1000)}"}' WHERE camera_id = $1`, [gateId]);
    await notify('leases', gateId);
    await sql("INSERT INTO coverage (camera_id, recorder_id, start_ms, end_ms) VALUES ($1, 'rec-a', -9223372036854775808, 9223372036854775807), ($1, 'nobody13', 0, 1)", [gateId]);
    try {
      const streams = await w1.api.listStreams().catch(explained(w1.dataDir));
      expect(Array.isArray(streams)).toBe(true);
      const ranges = await w1.api.listRecordings({ cameraId: gateId, fromMs: Date.now() - 60_000, toMs: Date.now() }).catch(explained(w1.dataDir));
      expect(ranges.every((r) => Number.isFinite(r.startMs) && Number.isFinite(r.endMs) && r.endMs >= r.startMs)).toBe(true);
      expect(recA.child.exitCode).toBeNull();
    } finally {
      await sql("DELETE FROM coverage WHERE camera_id = $1 AND (recorder_id = 'nobody13' OR start_ms = -9223372036854775808)", [gateId]);
      await sql('UPDATE camera_leases SET recording = NULL WHERE camera_id = $1', [gateId]);
      await notify('leases', gateId);
    }
  });

  it('still lists the masks of every camera when the writer adds a mask version that is junk', async () => {
    const saved = await w1.api.setMasks({ cameraId: gateId, polygons: [[[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]]] });
    await sql(`INSERT INTO mask_versions (camera_id, version, polygons, sha256, set_by, set_at) VALUES ('cam-nothing13', 1, '"junk"', 'x', 'x', 0), ('cam-nothing14', 1, '[[["a", null]]]', 'x', 'x', 0)`);
    await notify('masks', 'cam-nothing13');
    try {
      const listed = await w2.api.listMasks().catch(explained(w2.dataDir));
      expect(listed.find((m) => m.cameraId === gateId)).toMatchObject({ version: saved.version });
    } finally {
      await sql('ALTER TABLE mask_versions DISABLE TRIGGER USER');
      await sql("DELETE FROM mask_versions WHERE camera_id IN ('cam-nothing13', 'cam-nothing14')");
      await sql('ALTER TABLE mask_versions ENABLE TRIGGER USER');
      await w1.api.setMasks({ cameraId: gateId, polygons: [] });
    }
  });
});

describe('issue 13 attacks: a workstation’s data folder after a site run', () => {
  it('holds no camera password and no footage, and no footage copies are left', async () => {
    // A picture taken on ws-2 (a segment copied from rec-a, then deleted).
    const [range] = await waitFor('the gate’s footage on ws-2’s timeline', async () => {
      const ranges = await w2.api.listRecordings({ cameraId: gateId, fromMs: Date.now() - 600_000, toMs: Date.now() + 60_000 });
      return ranges.length ? ranges : undefined;
    }, 90_000);
    const res = await fetch(new URL(await w2.api.mediaLink({ path: `/media/${gateId}/thumb.jpg?atMs=${Math.round((range!.startMs + range!.endMs) / 2)}` }), w2.baseUrl));
    await res.arrayBuffer();
    for (const w of [w1, w2, ...extraHosts]) {
      expect(filesContaining(w.dataDir, PASSWORD), `${w.dataDir} holds the gate's password`).toBe('');
      expect(filesContaining(w.dataDir, 'Door13-pw-77')).toBe('');
      const files = readdirSync(w.dataDir, { recursive: true }).map(String);
      expect(files.filter((f) => /\.(ts|mp4|m4s)$/.test(f))).toEqual([]);
      expect(files.filter((f) => f.startsWith('footage-copies/'))).toEqual([]);
    }
  }, 120_000);

  it('keeps the site key and the workstation key readable by their user alone', () => {
    for (const file of [join(keysDir(w1.dataDir), 'site', 'signing-key.pem'), join(keysDir(w1.dataDir), 'signing-key.pem'), join(keysDir(w2.dataDir), 'signing-key.pem')]) {
      expect(existsSync(file), file).toBe(true);
      expect((statSync(file).mode & 0o077).toString(8), `${file} is readable by others`).toBe('0');
    }
    expect(existsSync(join(keysDir(w2.dataDir), 'site')), 'the site key on a workstation that made no admission').toBe(false);
  });

  it('refuses watchroom-host --create-admin on a workstation of a site that has an administrator', async () => {
    const dir = tempDir('create-admin');
    const run = await createAdmin(dir, 'eve13', 'Eve13-password-123', ['--directory', url, '--no-demo']);
    expect({ code: run.code, made: (await sql("SELECT id FROM people WHERE name = 'eve13'")).length }).toEqual({ code: 3, made: 0 });
    expect(run.stderr).toMatch(/already has an administrator/);
  }, 60_000);

  it('ledgers, on the recorder, the raw footage it serves to whoever holds a workstation’s key file', async () => {
    // A curious operator copies ws-1's key from its data folder (the desktop app runs as their own user) and asks rec-a directly:
    // no session, no reason, no looking-back limit, no masks.
    const key = loadOrCreateSigningKey(keysDir(w1.dataDir));
    const since = Date.now();
    const list = `/footage/${gateId}?fromMs=0&toMs=${Date.now() + 60_000}`;
    const listed = await nodeFetch(recA.url + list, { headers: { [NODE_TOKEN_HEADER]: signNodeRequest(key, 'ws-1', 'rec-a', list) } });
    expect(listed.status).toBe(200);
    const [first] = (await listed.json()) as Array<{ id: number }>;
    const seg = `/footage/segments/${first!.id}.ts`;
    const bytes = (await nodeFetch(recA.url + seg, { headers: { [NODE_TOKEN_HEADER]: signNodeRequest(key, 'ws-1', 'rec-a', seg) } })).body;
    expect(bytes.length).toBeGreaterThan(0);
    // Somewhere, that footage left a recorder for ws-1: the recorder's ledger says so.
    const entries = readFileSync(join(recA.dataDir, 'audit.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { at?: string; ts?: string; action: string; subject: string; details?: unknown })
      .filter((e) => JSON.stringify(e).includes('ws-1') && Date.parse(e.at ?? e.ts ?? '') >= since - 1_000);
    expect(entries.map((e) => e.action), 'rec-a’s ledger entries naming ws-1 since the fetch').not.toEqual([]);
  });
});

describe('issue 13 attacks: two workstations of a new site at once', () => {
  it('makes one first administrator when two workstations each make one at the same moment', async () => {
    const url3 = await cluster.createDatabase();
    const mk = (id: string) => createCore({ dataDir: tempDir(id), appVersion: 'test', shell: 'browser', graceMs: 300, directory: { url: url3 }, site: { role: 'workstation', name: id, nodeId: id } });
    const cores = [mk('ws-r1'), mk('ws-r2')];
    try {
      await Promise.all(cores.map((c) => c.directoryReady));
      const results = await Promise.allSettled(cores.map((c, i) => c.system.createFirstAdmin({ name: `first${i}`, displayName: `First ${i}`, password: TEST_PASSWORD })));
      const admins = await cluster.query<{ n: number }>(url3, "SELECT count(*)::int AS n FROM people WHERE role = 'admin'");
      expect({ admins: admins[0]!.n, made: results.filter((r) => r.status === 'fulfilled').length }).toEqual({ admins: 1, made: 1 });
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'people.first-admin-exists' } });
    } finally {
      for (const c of cores) await c.close();
    }
  }, 60_000);
});

describe('issue 13 attacks: the site key swapped behind the append-only triggers', () => {
  it('admits nobody under a site key the writer swapped in after disabling the table’s triggers, and seals no password to their recorder', async () => {
    const evil = strangerKeys('swap-site');
    const [original] = await sql<{ public_key: string }>("SELECT public_key FROM site_key WHERE id = 'site'");
    await sql('ALTER TABLE site_key DISABLE TRIGGER USER');
    await sql('ALTER TABLE node_admissions DISABLE TRIGGER USER');
    try {
      await sql("UPDATE site_key SET public_key = $1 WHERE id = 'site'", [evil.signing.publicKeyPem]);
      await sql("INSERT INTO nodes (id, role, name, url, public_key, sealing_key, up_since, seen_at) VALUES ('rec-swap13', 'recorder', 'Swap', 'http://127.0.0.1:9', $1, $2, now(), now())", [evil.signing.publicKeyPem, evil.sealing.publicKeyPem]);
      const a = signAdmission(evil.signing, { nodeId: 'rec-swap13', role: 'recorder', publicKey: evil.signing.publicKeyPem, sealingKey: evil.sealing.publicKeyPem, admittedBy: 'tester', admittedAt: Date.now() });
      await sql('INSERT INTO node_admissions (node_id, role, public_key, sealing_key, admitted_by, admitted_at, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)', [a.nodeId, a.role, a.publicKey, a.sealingKey, a.admittedBy, a.admittedAt, a.signature]);
      await notify('admissions');
      await notify('nodes', 'rec-swap13');
      expect((await w1.api.listSiteNodes()).find((n) => n.id === 'rec-swap13')).toMatchObject({ admitted: false });
      const cam = await w1.api.addCamera({ name: 'Swap13', url: 'rtsp://127.0.0.1:9/swap13', username: 'v', password: 'Swap13-pw', recording: false }).catch((e: { code?: string }) => e);
      const [row] = await sql<{ secret: Record<string, unknown> | null }>("SELECT secret FROM cameras WHERE record->>'name' = 'Swap13'");
      expect(Object.keys(row?.secret ?? {})).not.toContain('rec-swap13');
      expect((cam as { code?: string }).code ?? 'added').toBeDefined();
      // And rec-a, which pinned the first key, serves the swapped-in recorder nothing.
      const path = `/footage/${gateId}?fromMs=0&toMs=${Date.now() + 60_000}`;
      expect((await nodeFetch(recA.url + path, { headers: { [NODE_TOKEN_HEADER]: signNodeRequest(evil.signing, 'rec-swap13', 'rec-a', path) } })).status).toBe(401);
    } finally {
      await sql("UPDATE site_key SET public_key = $1 WHERE id = 'site'", [original!.public_key]);
      await sql('ALTER TABLE site_key ENABLE TRIGGER USER');
      await sql('ALTER TABLE node_admissions ENABLE TRIGGER USER');
      await sql("UPDATE nodes SET seen_at = now() - interval '1 hour' WHERE id = 'rec-swap13'");
      await notify('admissions');
    }
  });
});

describe('issue 13 attacks: a site before its first admission', () => {
  // Was an open hole until processes stopped trusting the first site key they saw: a writer who published one before the first
  // admission was trusted. Now a process trusts only a key it made or a person confirmed (docs/design/site-key-confirmation.md).
  it('seals no camera password to a recorder "admitted" under a site key the directory writer published before the first admission, and says the key is unconfirmed', async () => {
    const url2 = await cluster.createDatabase();
    const wx = await startTestHost({ directory: { url: url2 }, site: { role: 'workstation', name: 'Desk X', nodeId: 'ws-x' } });
    extraHosts.push(wx);
    await wx.core.directoryReady;
    const q = (text: string, values: unknown[] = []) => cluster.query(url2, text, values);
    // The writer publishes a site key of their own, named after the administrator, a recorder of theirs, and its admission.
    const evil = strangerKeys('evil-site');
    await q("INSERT INTO site_key (id, public_key, made_by, made_at) VALUES ('site', $1, 'tester', $2)", [evil.signing.publicKeyPem, Date.now()]);
    await q("INSERT INTO nodes (id, role, name, url, public_key, sealing_key, up_since, seen_at) VALUES ('rec-evil', 'recorder', 'Recorder 1', 'http://127.0.0.1:9', $1, $2, now(), now())", [evil.signing.publicKeyPem, evil.sealing.publicKeyPem]);
    const a = signAdmission(evil.signing, { nodeId: 'rec-evil', role: 'recorder', publicKey: evil.signing.publicKeyPem, sealingKey: evil.sealing.publicKeyPem, admittedBy: 'tester', admittedAt: Date.now() });
    await q('INSERT INTO node_admissions (node_id, role, public_key, sealing_key, admitted_by, admitted_at, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)', [a.nodeId, a.role, a.publicKey, a.sealingKey, a.admittedBy, a.admittedAt, a.signature]);
    await q(`SELECT pg_notify('watchroom', '{"topic":"admissions"}'), pg_notify('watchroom', '{"topic":"nodes"}')`);
    // The administrator looks at the list, then adds a camera with its password.
    const listed = await wx.api.listSiteNodes();
    const cam = await wx.api.addCamera({ name: 'Lobby', url: 'rtsp://127.0.0.1:9/lobby', username: 'viewer', password: 'Lobby-pw-31', recording: false }).catch((e: { code?: string }) => e);
    const [row] = await cluster.query<{ secret: Record<string, never> | null }>(url2, "SELECT secret FROM cameras WHERE record->>'name' = 'Lobby'");
    const envelope = row?.secret?.['rec-evil'];
    let opened: string | null = null;
    if (envelope) opened = evil.sealing.open((cam as { id: string }).id, envelope);
    expect({ listedAsAdmitted: listed.find((n) => n.id === 'rec-evil')?.admitted, opened }).toEqual({ listedAsAdmitted: false, opened: null });
    expect(await wx.api.getSiteKey()).toMatchObject({ state: 'unconfirmed', madeBy: 'tester', madeHere: false, fingerprint: evil.signing.fingerprint });
    // The administrator compares with what the site's real admitting workstation shows: not this key, so nothing is confirmed.
    await expect(wx.api.confirmSiteKey({ fingerprint: strangerKeys('real-site').signing.fingerprint })).rejects.toMatchObject({ code: 'site.fingerprint-mismatch' });
    expect((await wx.api.listSiteNodes()).find((n) => n.id === 'rec-evil')?.admitted).toBe(false);
  }, 60_000);
});

describe('issue 13 attacks: a curious operator on a workstation', () => {
  it('makes no link to a recorder’s segment outside the playlist that lists it, whatever end time it claims (so no one reaches past instant replay unrecorded)', async () => {
    const op = await w1.as('olaf13', 'operator');
    // The gate's first segment on rec-a (listed as ws-1 would list it).
    const key = loadOrCreateSigningKey(keysDir(w1.dataDir));
    const list = `/footage/${gateId}?fromMs=0&toMs=${Date.now() + 60_000}`;
    const [first] = (await nodeFetch(recA.url + list, { headers: { [NODE_TOKEN_HEADER]: signNodeRequest(key, 'ws-1', 'rec-a', list) } })).json() as Array<{ id: number; endMs: number }>;
    for (const endMs of [first!.endMs, Date.now()]) {
      await expect(op.api.mediaLink({ path: `/media/site-segments/rec-a/${first!.id}.ts?endMs=${endMs}` })).rejects.toMatchObject({ code: 'api.invalid-argument' });
    }
  });
});
