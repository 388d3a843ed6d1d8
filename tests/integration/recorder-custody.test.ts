/**
 * A recorder vouching for its footage to a workstation that exports it (issue 13; docs/design/
 * site-exports.md §4): a real watchroom-recorder recording a real GStreamer camera, a real
 * PostgreSQL directory holding copies of its checkpoints, and a workstation's key admitted into the
 * site. The workstation's check (site-custody.ts) accepts the honest answer; the door refuses anyone
 * but an admitted workstation; and an answer whose anchor is not the directory's copy, or whose
 * capture entry was edited on the recorder's disk, is refused.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey, type SigningKey } from '../../electron/core/evidence/signing-key.js';
import { keysDir } from '../../electron/core/evidence/workstation-key.js';
import { openDirectory } from '../../electron/core/directory/open-directory.js';
import type { Directory } from '../../electron/core/directory/directory.js';
import { NODE_TOKEN_HEADER, signNodeRequest } from '../../electron/core/recorders/node-signature.js';
import { siteCustody, type SiteCustody } from '../../electron/core/recorders/site-custody.js';
import type { Logger } from '../../electron/core/logger.js';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { startTestPostgres, type TestPostgres } from '../fixtures/postgres.js';
import { startRecorderProcess, type RecorderProcess } from '../fixtures/recorder-process.js';
import { admitProcesses, workstationFingerprint } from '../fixtures/site-admission.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { nodeFetch } from '../fixtures/node-fetch.js';
import { waitFor } from '../fixtures/wait-for.js';

const logger: Logger = { log: () => undefined };
let cluster: TestPostgres;
let url: string;
let recorder: RecorderProcess;
let ws: TestHost;
let directory: Directory;
let custody: SiteCustody;
let cameraId: string;
let window: { fromMs: number; toMs: number };
const PACKAGE = '0b7f3a52-9c1e-4d6a-8b2f-3e4d5c6b7a89';

/** The workstation's key, as its data folder holds it. */
let wsKey: SigningKey;

beforeAll(async () => {
  cluster = await startTestPostgres();
  url = await cluster.createDatabase();
  const camera = await startTestCamera({ codec: 'h264', label: 'Gate' });
  recorder = await startRecorderProcess(url, 'rec-a');
  await waitFor('the recorder to join', async () => (await cluster.query(url, "SELECT id FROM nodes WHERE role = 'recorder' AND sealing_key <> ''")).length === 1, 60_000);
  ws = await startTestHost({ directory: { url }, site: { role: 'workstation', name: 'Desk 1', nodeId: 'ws-1' } });
  await ws.core.directoryReady;
  await admitProcesses(ws.api, [recorder, { id: 'ws-1', fingerprint: workstationFingerprint(ws.dataDir) }]);
  wsKey = loadOrCreateSigningKey(keysDir(ws.dataDir));
  cameraId = (await ws.api.addCamera({ name: 'Gate', url: camera.url })).id;
  await waitFor('three closed segments on the recorder', () => recorder.segments(cameraId).length >= 3, 120_000);
  const [first, , third] = recorder.segments(cameraId);
  window = { fromMs: first!.startMs, toMs: third!.endMs };
  directory = openDirectory({ url }, logger);
  await directory.ready;
  const [node] = await cluster.query<{ url: string; public_key: string }>(url, "SELECT url, public_key FROM nodes WHERE id = 'rec-a'");
  custody = siteCustody({ recorder: () => ({ url: node!.url, publicKeyPem: node!.public_key }), me: () => ({ nodeId: 'ws-1', key: wsKey }), checkpointsOf: (id) => directory.site!.checkpointsOf(id) });
}, 300_000);

afterAll(async () => {
  await directory?.close();
  await ws?.close();
  await recorder?.stop();
  await stopAllTestCameras();
  await cluster?.stop();
});

const ask = () => custody.fetch({ recorderId: 'rec-a', packageId: PACKAGE, cameras: [cameraId], ...window, forPerson: 'ivy' });

/** The door's status for `path` asked as `nodeId` with `key` (no key: no token). */
const status = async (path: string, as?: { nodeId: string; key: SigningKey }) =>
  (await nodeFetch(`${recorder.url}${path}`, { headers: as ? { [NODE_TOKEN_HEADER]: signNodeRequest(as.key, as.nodeId, 'rec-a', path) } : {} })).status;

describe('a recorder’s custody door', () => {
  it('vouches for its footage to an admitted workstation: every segment proven, anchored by a checkpoint the directory holds, its chain intact; the recorder ledgers what it served', async () => {
    const { answer, anchorOf, body } = await ask();
    expect(answer.segments.length).toBeGreaterThanOrEqual(3);
    expect(answer.segments.every((s) => s.cameraId === cameraId && s.inclusion !== null)).toBe(true);
    expect(answer).toMatchObject({ recorder: { id: 'rec-a', fingerprint: recorder.fingerprint }, forNode: 'ws-1', forPerson: 'ivy' });
    const copies = (await directory.site!.checkpointsOf('rec-a').all()).map((c) => c?.seq);
    for (const anchor of anchorOf.values()) expect(copies).toContain(anchor.seq);
    const served = recorder.ledger('evidence.custody-served').at(-1);
    expect(served?.details).toMatchObject({ packageId: PACKAGE, forNode: 'ws-1', forPerson: 'ivy', answerSha256: createHash('sha256').update(body).digest('hex') });
  }, 120_000);

  it('answers nobody without a token, no recorder, and no process that is not admitted', async () => {
    const path = `/custody?packageId=${PACKAGE}&cameras=${cameraId}&fromMs=${window.fromMs}&toMs=${window.toMs}&for=ivy`;
    expect(await status(path)).toBe(401);
    expect(await status(path, { nodeId: 'rec-a', key: loadOrCreateSigningKey(keysDir(recorder.dataDir)) })).toBe(403);
    expect(await status(path, { nodeId: 'ws-9', key: loadOrCreateSigningKey(join(ws.dataDir, 'another-key')) })).toBe(401);
    expect(await status(path.replace(PACKAGE, 'not-a-uuid'), { nodeId: 'ws-1', key: wsKey })).toBe(400);
  });

  it('is refused when a capture entry it answers with was edited on the recorder’s disk', async () => {
    const { answer } = await ask();
    const file = join(recorder.dataDir, 'audit.jsonl');
    const entry = answer.captureEntries[0]!;
    const text = readFileSync(file, 'utf8');
    const line = text.split('\n').find((l) => l.startsWith(`{"seq":${entry.seq},`))!;
    // Its time moved by a millisecond: the same length, so every offset the recorder keeps still holds,
    // and its root and paths as they were, so the recorder's own proof from its index still passes.
    const edited = line.replace(/"at":"([^"]*)(\d)Z"/, (_m, head: string, d: string) => `"at":"${head}${(Number(d) + 1) % 10}Z"`);
    expect(edited).not.toBe(line);
    writeFileSync(file, text.replace(line, edited));
    try {
      await expect(ask()).rejects.toMatchObject({ code: 'export.recorder-custody-invalid', message: expect.stringContaining(`capture entry ${entry.seq} was changed after it was written`) });
    } finally {
      writeFileSync(file, readFileSync(file, 'utf8').replace(edited, line));
    }
  }, 120_000);

  it('is refused when its anchor is not the copy the directory holds (the recorder re-signed its checkpoints)', async () => {
    const { anchorOf } = await ask();
    const seq = [...anchorOf.values()][0]!.seq;
    const other = Buffer.from('forged').toString('base64');
    await cluster.query(url, `ALTER TABLE ledger_checkpoints DISABLE TRIGGER USER; UPDATE ledger_checkpoints SET checkpoint = jsonb_set(checkpoint, '{signature}', to_jsonb('${other}'::text)) WHERE node_id = 'rec-a' AND seq = ${seq}; ALTER TABLE ledger_checkpoints ENABLE TRIGGER USER;`);
    await expect(ask()).rejects.toMatchObject({ code: 'export.recorder-custody-invalid', message: expect.stringContaining('not the one the directory holds') });
  }, 120_000);
});
