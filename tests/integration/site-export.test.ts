/**
 * Exports on a site (issue 13; docs/design/site-exports.md stage C): a real PostgreSQL directory, two
 * real watchroom-recorder processes recording a real GStreamer camera, and a workstation that keeps
 * no footage. The workstation asks each recorder holding the window for its signed custody answer,
 * checks it against the directory, fetches the bytes and builds a `watchroom-evidence/2` package
 * with one custody folder per recorder, which verifies in the app, with watchroom-verify and with
 * sha256sum and openssl alone. A failover splits the footage between the recorders; footage swapped
 * on a recorder's disk and a recorder that is down are refused, and nothing is left. A masked camera's
 * working copy leaves masked; its unmasked master is kept by the recorder that recorded it.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { startTestPostgres, type TestPostgres } from '../fixtures/postgres.js';
import { startRecorderProcess, type RecorderProcess } from '../fixtures/recorder-process.js';
import { admitProcesses, workstationFingerprint } from '../fixtures/site-admission.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { TEST_PASSWORD } from '../fixtures/people.js';
import { waitFor } from '../fixtures/wait-for.js';
import { siteExportSteps } from '../fixtures/site-export-steps.js';
import type { IncomingMessage } from 'node:http';
import { MASK_FILL_RGB } from '../../shared/masks.js';
import { loadOrCreateSigningKey } from '../../electron/core/evidence/signing-key.js';
import { keysDir } from '../../electron/core/evidence/workstation-key.js';
import { BODY_SHA256_HEADER, NODE_TOKEN_HEADER, signedRequest, signNodeRequest } from '../../electron/core/recorders/node-signature.js';
import { nodeFetch } from '../fixtures/node-fetch.js';

const VERIFY_CLI = join(import.meta.dirname, '..', '..', 'dist', 'electron', 'cli', 'watchroom-verify.js');

let cluster: TestPostgres;
let url: string;
const recorders: RecorderProcess[] = [];
let ws: TestHost;
/** A second desk, where an evidence officer decides disclosures asked on the first. */
let ws2: TestHost;
let cameraId: string;
/** The master the masked export left on its recorder, for the test that attacks it. */
let masked: { holder: RecorderProcess; packageId: string; path: string; sha256: string } | undefined;
/** The status of a node request's answer, its body read. */
const statusOf = (res: IncomingMessage) => (res.resume(), res.statusCode ?? 0);

const holderOf = async () => (await cluster.query<{ recorder_id: string }>(url, 'SELECT recorder_id FROM camera_leases WHERE camera_id = $1 AND expires_at > now()', [cameraId]))[0]?.recorder_id;
const recorder = (id: string) => recorders.find((r) => r.id === id)!;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const read = (pkg: string, path: string) => readFileSync(join(pkg, path));
const manifestOf = (pkg: string) => JSON.parse(read(pkg, 'manifest.json').toString('utf8'));

const { asked, exported, covered } = siteExportSteps(() => ws.api, () => cameraId);

/** Committed segments of the camera whose minute the recorder has not sealed yet (its own index, read as it is). */
const openCaptures = (r: RecorderProcess) => {
  const db = new Database(join(r.dataDir, 'recordings.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM segments WHERE camera_id = ? AND capture_open = 1').get(cameraId) as { n: number }).n;
  } finally {
    db.close();
  }
};

/** Nothing of a failed export is left: no package, no half-built folder. */
const exportsLeft = () => (existsSync(join(ws.dataDir, 'exports')) ? readdirSync(join(ws.dataDir, 'exports')) : []);

beforeAll(async () => {
  cluster = await startTestPostgres();
  url = await cluster.createDatabase();
  const camera = await startTestCamera({ codec: 'h264', label: 'Gate' });
  recorders.push(...(await Promise.all([startRecorderProcess(url, 'rec-a'), startRecorderProcess(url, 'rec-b')])));
  await waitFor('both recorders to join', async () => (await cluster.query(url, "SELECT id FROM nodes WHERE role = 'recorder' AND sealing_key <> ''")).length === 2, 60_000);
  const desk = (n: number) => startTestHost({ directory: { url }, site: { role: 'workstation', name: `Desk ${n}`, nodeId: `ws-${n}` } });
  [ws, ws2] = await Promise.all([desk(1), desk(2)]);
  await Promise.all([ws.core.directoryReady, ws2.core.directoryReady]);
  await admitProcesses(ws.api, [...recorders, { id: 'ws-1', fingerprint: workstationFingerprint(ws.dataDir) }, { id: 'ws-2', fingerprint: workstationFingerprint(ws2.dataDir) }], [ws2.api]);
  cameraId = (await ws.api.addCamera({ name: 'Gate', url: camera.url })).id;
}, 180_000);

afterAll(async () => {
  await ws?.close();
  await ws2?.close();
  await Promise.all(recorders.map((r) => r.stop()));
  await stopAllTestCameras();
  await cluster?.stop();
});

describe('exports on a site', () => {
  let first: string;

  it('builds a package from the recorder’s footage that verifies in the app, with watchroom-verify and with sha256sum and openssl alone', async () => {
    const holder = recorder(await waitFor('a recorder to hold the camera', holderOf, 60_000));
    await waitFor('three closed segments on the holder', () => holder.segments(cameraId).length >= 3, 120_000);
    const [a, , c] = holder.segments(cameraId);
    await covered(c!.endMs);
    const job = await exported(asked({ fromMs: a!.startMs + 500, toMs: c!.endMs - 500 }, 'SITE-1'));
    expect(job.error).toBeUndefined();
    first = job.packagePath!;

    const manifest = manifestOf(first);
    expect(manifest.format).toBe('watchroom-evidence/2');
    expect(manifest.workstation.nodeId).toBe('ws-1');
    const [custody] = manifest.custody.recorders;
    expect(manifest.custody.recorders).toHaveLength(1);
    expect(custody).toMatchObject({ id: holder.id, fingerprint: holder.fingerprint, answer: `custody/recorders/${holder.id}/custody.json` });
    expect(manifest.cameras[0].sourceSegments.every((s: { recorder: string }) => s.recorder === holder.id)).toBe(true);
    // The three ledgers join through the answer's hash: the package's file, the manifest, the recorder's own entry.
    const answerSha256 = sha256(read(first, custody.answer));
    expect(custody.answerSha256).toBe(answerSha256);
    const served = holder.ledger('evidence.custody-served').find((e) => e.details.packageId === manifest.packageId);
    expect(served?.details).toMatchObject({ forNode: 'ws-1', answerSha256 });

    // The recorders' keys are trusted because the site admitted them (their fingerprints compared then); nobody imported them.
    // On the site that admitted the recorder, its answer is held to the directory's copies of its checkpoints too.
    expect(await ws.api.verifyPackage({ path: first })).toMatchObject({ outcome: 'verified', failures: [], custodySigners: [{ recorderId: holder.id, trusted: true, heldByDirectory: true }] });
    expect(await ws.api.listTrustedKeys()).toEqual(expect.arrayContaining([{ fingerprint: holder.fingerprint, own: false, siteNode: holder.id }]));
    expect(execFileSync(process.execPath, [VERIFY_CLI, first, '--data', ws.dataDir], { encoding: 'utf8' })).toContain(holder.id);
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: first, encoding: 'utf8' })).not.toMatch(/FAILED/);
    const openssl = (key: string, sig: string, file: string) => execFileSync('openssl', ['dgst', '-sha256', '-verify', key, '-signature', sig, file], { cwd: first, encoding: 'utf8' }).trim();
    expect(openssl('signer.pub.pem', 'SHA256SUMS.sig', 'SHA256SUMS')).toBe('Verified OK');
    expect(openssl(custody.key, custody.signature, custody.answer)).toBe('Verified OK');
    expect(read(first, 'README.txt').toString('utf8')).toContain(`openssl dgst -sha256 -verify ${custody.key}`);
    // The workstation read the footage from the recorder and kept none of it.
    expect(readdirSync(ws.dataDir, { recursive: true }).filter((f) => String(f).endsWith('.ts'))).toEqual([]);
  }, 300_000);

  it('refuses footage swapped on the recorder’s disk before export, names both hashes in the workstation’s ledger, and leaves nothing', async () => {
    const holder = recorder((await holderOf())!);
    // Closed segments by their start (their names are START-END.ts): b, and a before it.
    const [a, b] = holder.footage(cameraId).sort();
    const [bStart, bEnd] = /(\d+)-(\d+)(-\d+)?\.ts$/.exec(b!)!.slice(1, 3).map(Number);
    const before = exportsLeft();
    const original = readFileSync(b!);
    // Another recording of the same size put in its place (its neighbour's bytes, cut or padded).
    const swapped = Buffer.alloc(original.length);
    readFileSync(a!).copy(swapped);
    writeFileSync(b!, swapped);
    try {
      const job = await exported(asked({ fromMs: bStart! + 100, toMs: bEnd! - 100 }, 'SITE-SWAP'));
      expect(job).toMatchObject({ state: 'failed', error: { code: 'export.footage-changed' } });
      expect(exportsLeft()).toEqual(before);
      const failed = JSON.parse(readFileSync(join(ws.dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').filter((l) => l.includes('"evidence.export-failed"')).at(-1)!);
      expect(JSON.stringify(failed.details)).toContain(sha256(swapped));
      expect(JSON.stringify(failed.details)).toContain(sha256(original));
    } finally {
      writeFileSync(b!, original);
    }
  }, 180_000);

  it('refuses footage swapped on the recorder’s disk with its index row rewritten to match: its ledger proves no such footage', async () => {
    const holder = recorder((await holderOf())!);
    const [, b] = holder.footage(cameraId).sort();
    const [bStart, bEnd] = /(\d+)-(\d+)(-\d+)?\.ts$/.exec(b!)!.slice(1, 3).map(Number);
    const original = readFileSync(b!);
    const swapped = Buffer.from(original);
    swapped[swapped.length - 1]! ^= 0xff; // one byte of the last packet: plays the same, hashes otherwise
    const index = new Database(join(holder.dataDir, 'recordings.sqlite'));
    const path = relative(join(holder.dataDir, 'recordings'), b!);
    const row = index.prepare('SELECT sha256 FROM segments WHERE path = ?').get(path) as { sha256: string };
    writeFileSync(b!, swapped);
    index.prepare('UPDATE segments SET sha256 = ? WHERE path = ?').run(sha256(swapped), path);
    try {
      const job = await exported(asked({ fromMs: bStart! + 100, toMs: bEnd! - 100 }, 'SITE-INDEX'));
      expect(job).toMatchObject({ state: 'failed', error: { code: 'export.footage-unproven' } });
      expect(job.error!.message).toContain(path);
    } finally {
      index.prepare('UPDATE segments SET sha256 = ? WHERE path = ?').run(row.sha256, path);
      index.close();
      writeFileSync(b!, original);
    }
  }, 180_000);

  it('exports a masked camera with its masks burned in; its unmasked master is kept by the recorder that recorded it, under a receipt it signed, and by no workstation', async () => {
    const square = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5], [0.1, 0.5]] as Array<[number, number]>;
    await ws.api.setMasks({ cameraId, polygons: [square] });
    try {
      const holder = recorder(await waitFor('a recorder to hold the camera', holderOf, 60_000));
      await waitFor('two closed segments on the holder', () => holder.segments(cameraId).length >= 2, 120_000);
      const [a, b] = holder.segments(cameraId);
      await covered(b!.endMs);
      const job = await exported(asked({ fromMs: a!.startMs + 500, toMs: b!.endMs - 500 }, 'SITE-MASK'));
      expect(job.error).toBeUndefined();
      const pkg = job.packagePath!;
      const manifest = manifestOf(pkg);
      expect(manifest.files.map((f: { role: string }) => f.role)).toEqual(['working']);
      expect(existsSync(join(pkg, 'master')), 'no master folder in the package').toBe(false);
      const [withheld] = manifest.withheldMasters;
      expect(manifest.withheldMasters).toHaveLength(1);
      expect(withheld).toMatchObject({ keptBy: { recorder: holder.id, fingerprint: holder.fingerprint }, store: `evidence-store/${manifest.packageId}/${withheld.path}` });
      // The recorder holds exactly the bytes the manifest names, kept once the package was complete.
      expect(sha256(readFileSync(join(holder.dataDir, withheld.store)))).toBe(withheld.sha256);
      expect(holder.ledger('evidence.master-kept').find((e) => e.details.packageId === manifest.packageId)?.details).toMatchObject({ fromNode: 'ws-1', sumsSha256: sha256(read(pkg, 'SHA256SUMS')), files: [withheld.path] });
      // Its receipt, checked with openssl alone against the recorder's key in the package.
      const receiptFile = join(ws.dataDir, 'receipt.json');
      writeFileSync(receiptFile, withheld.receipt.text);
      writeFileSync(`${receiptFile}.sig`, Buffer.from(withheld.receipt.signature, 'base64'));
      const key = join(pkg, manifest.custody.recorders[0].key);
      expect(execFileSync('openssl', ['dgst', '-sha256', '-verify', key, '-signature', `${receiptFile}.sig`, receiptFile], { encoding: 'utf8' }).trim()).toBe('Verified OK');
      expect(JSON.parse(withheld.receipt.text)).toMatchObject({ packageId: manifest.packageId, path: withheld.path, sha256: withheld.sha256, fromNode: 'ws-1' });
      expect(await ws.api.verifyPackage({ path: pkg })).toMatchObject({ outcome: 'verified', failures: [] });
      // No copy of the master on the workstation, under any name.
      const onDesk = readdirSync(ws.dataDir, { recursive: true }).map(String).filter((f) => f.endsWith('.mp4'));
      expect(onDesk.filter((f) => sha256(readFileSync(join(ws.dataDir, f))) === withheld.sha256)).toEqual([]);
      expect(existsSync(join(ws.dataDir, 'export-work', manifest.packageId))).toBe(false);
      // The picture that left is masked: the fill deep inside the square, the camera's picture outside it.
      const working = manifest.files[0] as { path: string; width: number; height: number };
      const frame = execFileSync('ffmpeg', ['-v', 'error', '-i', join(pkg, working.path), '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1']);
      const at = (x: number, y: number) => frame[Math.floor(y * working.height) * working.width + Math.floor(x * working.width)]!;
      const insideSquare = [0.2, 0.3, 0.4].flatMap((x) => [0.2, 0.3, 0.4].map((y) => at(x, y)));
      expect(insideSquare.every((v) => Math.abs(v - MASK_FILL_RGB[0]) <= 6), `inside: ${insideSquare.join(',')}`).toBe(true);
      const outside = [0.6, 0.7, 0.8, 0.9].flatMap((x) => [0.6, 0.7, 0.8, 0.9].map((y) => at(x, y)));
      expect(outside.some((v) => Math.abs(v - MASK_FILL_RGB[0]) > 8), `outside: ${outside.join(',')}`).toBe(true);
      masked = { holder, packageId: manifest.packageId, path: withheld.path, sha256: withheld.sha256 };
    } finally {
      await ws.api.setMasks({ cameraId, polygons: [] });
    }
  }, 300_000);

  it('keeps a kept master as it is: not replaced nor added to by the workstation that sent it, not dropped by another, not touched by a recorder', async () => {
    const { holder, packageId, path, sha256: kept } = masked!;
    const wsKey = { nodeId: 'ws-1', key: loadOrCreateSigningKey(keysDir(ws.dataDir)) };
    const peer = { nodeId: holder.id, url: holder.url, publicKeyPem: loadOrCreateSigningKey(keysDir(holder.dataDir)).publicKeyPem };
    const forged = Buffer.from('a forged master');
    const put = (p: string, as = wsKey, body = forged, declared = sha256(body), pkg = packageId) =>
      signedRequest(peer, `/evidence-store/${pkg}/${p}`, as, { timeoutMs: 30_000, body: { method: 'PUT', data: body, bytes: body.length, sha256: declared } }).then(statusOf);
    const post = (p: string, as = wsKey) => signedRequest(peer, `/evidence-store/${packageId}/${p}`, as, { timeoutMs: 30_000, body: { method: 'POST', data: Buffer.alloc(0), bytes: 0, sha256: sha256(Buffer.alloc(0)) } }).then(statusOf);
    expect(await put(path), 'replacing it').toBe(409);
    // Streamed as a workstation streams a master of hours: refused before it sends a byte, so the refusal arrives whole.
    let pulled = 0;
    const endless = Readable.from((function* () {
      for (;;) {
        pulled++;
        yield Buffer.alloc(1 << 20);
      }
    })());
    const streamed = await signedRequest(peer, `/evidence-store/${packageId}/${path}`, wsKey, { timeoutMs: 30_000, body: { method: 'PUT', data: endless, bytes: 64 << 20, sha256: sha256(forged) } }).then(statusOf);
    expect({ streamed, pulled }, 'a streamed replacement').toEqual({ streamed: 409, pulled: 0 });
    expect(await put('master/another.mp4'), 'adding to the sealed package').toBe(409);
    const fresh = randomUUID();
    expect(await put('master/x.mp4', wsKey, forged, sha256(Buffer.from('something else')), fresh), 'a body unlike its declared hash').toBe(422);
    expect(existsSync(join(holder.dataDir, 'evidence-store', '.pending', fresh)), 'nothing of it kept').toBe(false);
    expect(await put('master/..%2F..%2Fkeys%2Fsigning-key.mp4'), 'outside master/').toBe(422);
    const ws2Key = { nodeId: 'ws-2', key: loadOrCreateSigningKey(keysDir(ws2.dataDir)) };
    expect(await post('discard', ws2Key), 'discarding it from another workstation').toBe(409);
    const other = recorders.find((r) => r.id !== holder.id)!;
    const asRecorder = { nodeId: other.id, key: loadOrCreateSigningKey(keysDir(other.dataDir)) };
    expect(await put('master/y.mp4', asRecorder), 'a recorder is no exporting workstation').toBe(403);
    // A token signed for one body does not carry another: the header naming the other's hash fails the signature.
    const zPath = `/evidence-store/${packageId}/master/z.mp4`;
    const token = signNodeRequest(wsKey.key, 'ws-1', holder.id, zPath, Date.now(), { method: 'PUT', bodySha256: sha256(forged) });
    const other2 = Buffer.from('another body');
    const swapped = await nodeFetch(holder.url + zPath, { method: 'PUT', body: other2, headers: { [NODE_TOKEN_HEADER]: token, [BODY_SHA256_HEADER]: sha256(other2) } });
    expect(swapped.status).toBe(401);
    expect(sha256(readFileSync(join(holder.dataDir, 'evidence-store', packageId, path)))).toBe(kept);
    expect(readdirSync(join(holder.dataDir, 'evidence-store', packageId, 'master'))).toEqual([path.slice('master/'.length)]);
  }, 120_000);

  it('builds a disclosure asked on one desk and approved on another from the recorders’ footage: on the desk it was asked on, as its requester, naming both people', async () => {
    const ivy = await ws.as('ivy', 'investigator');
    await ws.as('eve', 'evidence-officer');
    const eve = ws2.core.api((await ws2.core.system.signIn({ name: 'eve', password: TEST_PASSWORD })).token);
    const holder = recorder((await holderOf())!);
    const [a, b] = holder.segments(cameraId);
    const request = { ...asked({ fromMs: a!.startMs + 500, toMs: b!.endMs - 500 }, 'SITE-DISC'), recipient: { person: 'DC Shah', organisation: 'Met' } };
    const ask = await ivy.api.requestDisclosure({ export: request, legalBasis: { basis: 'court', text: 'Order 7' } });
    await waitFor('desk 2 to list the request', async () => (await eve.listDisclosureRequests()).some((r) => r.id === ask.id));
    await eve.approveDisclosure({ id: ask.id, note: 'Court order seen' });
    const done = await waitFor('the request to be built', async () => {
      const r = (await ivy.api.listDisclosureRequests()).find((x) => x.id === ask.id);
      return r && (r.state === 'built' || r.state === 'failed') ? r : undefined;
    }, 180_000);
    expect(done.state, done.failure ?? '').toBe('built');
    const pkg = join(ws.dataDir, 'exports', done.packageName!);
    expect(manifestOf(pkg)).toMatchObject({
      format: 'watchroom-evidence/2',
      exportedBy: { user: 'ivy', role: 'investigator' },
      requestedBy: { user: 'ivy' },
      approval: { requestId: ask.id, user: 'eve', note: 'Court order seen' },
      workstation: { nodeId: 'ws-1' },
      custody: { recorders: [{ id: holder.id }] },
    });
    expect(await ws.api.verifyPackage({ path: pkg })).toMatchObject({ outcome: 'verified', failures: [] });
    // The recorder vouched for the requester, as the desk that asked said.
    expect(holder.ledger('evidence.custody-served').find((e) => e.details.packageId === manifestOf(pkg).packageId)?.details).toMatchObject({ forNode: 'ws-1', forPerson: 'ivy' });
    // The deciding desk built nothing and holds no footage.
    expect(existsSync(join(ws2.dataDir, 'exports')) ? readdirSync(join(ws2.dataDir, 'exports')) : []).toEqual([]);
    expect(readdirSync(ws2.dataDir, { recursive: true }).filter((f) => String(f).endsWith('.ts'))).toEqual([]);
  }, 300_000);

  it('exports a span split by a failover as one clip per recorder, each recorder vouching for its own, verified', async () => {
    const victim = recorder((await holderOf())!);
    const survivor = recorders.find((r) => r !== victim)!;
    // Killed with a segment whose minute is still open (the last export sealed the minute it read).
    await waitFor('a segment of an open minute on the victim', () => openCaptures(victim) > 0, 60_000);
    await victim.stop('SIGKILL');
    const lastBefore = victim.segments(cameraId).at(-1)!;
    await waitFor('the survivor to hold the camera', async () => (await holderOf()) === survivor.id, 60_000);
    await waitFor('two closed segments on the survivor', () => survivor.segments(cameraId).length >= 2, 120_000);
    // The victim comes back on its own folder: its footage can be fetched again, its last minute sealed at its start.
    recorders[recorders.indexOf(victim)] = await startRecorderProcess(url, victim.id, { dataDir: victim.dataDir });
    const back = recorder(victim.id);
    await waitFor('the victim to be up again', async () => (await cluster.query(url, "SELECT id FROM nodes WHERE id = $1 AND seen_at > now() - interval '5 seconds'", [back.id])).length === 1, 60_000);
    const secondAfter = survivor.segments(cameraId)[1]!;
    await covered(secondAfter.endMs);

    const job = await exported(asked({ fromMs: lastBefore.startMs, toMs: secondAfter.endMs }, 'SITE-FAILOVER'));
    expect(job.error).toBeUndefined();
    const manifest = manifestOf(job.packagePath!);
    expect(manifest.custody.recorders.map((r: { id: string }) => r.id).sort()).toEqual(['rec-a', 'rec-b']);
    const [camera] = manifest.cameras;
    expect(new Set(camera.sourceSegments.map((s: { recorder: string }) => s.recorder))).toEqual(new Set(['rec-a', 'rec-b']));
    expect(camera.clips.length).toBeGreaterThanOrEqual(2);
    // The takeover's unrecorded stretch, not papered over, and why: the survivor's takeover entry, carried in its signed answer.
    const gap = camera.gaps.find((g: { why?: unknown }) => g.why);
    expect(gap?.why.takeover).toMatchObject({ from: victim.id, by: survivor.id, entry: { ledger: survivor.id } });
    const answer = JSON.parse(read(job.packagePath!, `custody/recorders/${survivor.id}/custody.json`).toString('utf8'));
    expect(answer.takeovers).toEqual(expect.arrayContaining([expect.objectContaining({ seq: gap.why.takeover.entry.seq, hash: gap.why.takeover.entry.hash, action: 'recording.takeover', subject: cameraId })]));
    // The minute the victim never sealed was sealed at its restart, and says so.
    expect(camera.sourceSegments.some((s: { recorder: string; inclusion?: { sealedAfterRestart?: boolean } }) => s.recorder === back.id && s.inclusion?.sealedAfterRestart)).toBe(true);
    expect(await ws.api.verifyPackage({ path: job.packagePath! })).toMatchObject({ outcome: 'verified', failures: [] });
    for (const r of manifest.custody.recorders) {
      expect(execFileSync('openssl', ['dgst', '-sha256', '-verify', r.key, '-signature', r.signature, r.answer], { cwd: job.packagePath!, encoding: 'utf8' }).trim()).toBe('Verified OK');
    }
  }, 400_000);

  it('refuses an export when a recorder holding part of the window is down, and leaves nothing', async () => {
    const holder = recorder((await holderOf())!);
    const [s] = holder.segments(cameraId);
    const down = recorders.find((r) => r !== holder)!;
    const theirs = down.segments(cameraId)[0]!;
    await down.stop();
    const before = exportsLeft();
    const job = await exported(asked({ fromMs: Math.min(s!.startMs, theirs.startMs), toMs: Math.max(s!.endMs, theirs.endMs) }, 'SITE-DOWN'));
    expect(job).toMatchObject({ state: 'failed', error: { code: 'export.recorder-unreachable' } });
    expect(job.error!.message).toContain(down.id);
    expect(exportsLeft()).toEqual(before);
  }, 180_000);
});
