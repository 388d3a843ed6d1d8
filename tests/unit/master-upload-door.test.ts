/**
 * A recorder's door for withheld masters (node-server.ts, node-custody-routes.ts `serveMasters`) as a
 * sender on the site network meets it: real TLS, real node tokens and signing keys, a real store of
 * kept masters on disk. A refusal is told before the body is sent (100 Continue), and a sender that
 * goes quiet mid-upload is cut and gives back everything its upload held.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLedger } from '../../electron/core/audit/audit-ledger.js';
import { loadOrCreateSigningKey } from '../../electron/core/evidence/signing-key.js';
import type { CustodyDoor } from '../../electron/core/recorders/custody-door.js';
import { keptMasters } from '../../electron/core/recorders/kept-masters.js';
import { nodeTls, pinnedAgent } from '../../electron/core/recorders/node-certificate.js';
import { BODY_SHA256_HEADER, NODE_TOKEN_HEADER, NodeTokenChecker, signedRequest, signNodeRequest } from '../../electron/core/recorders/node-signature.js';
import type { Logger } from '../../electron/core/logger.js';
import { startNodeServer, type NodeServer } from '../../electron/host/node-server.js';
import { waitFor } from '../fixtures/wait-for.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const quiet: Logger = { log: () => {} } as unknown as Logger;
const servers: NodeServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function recorderDoor(uploadIdleMs?: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'wr-door-'));
  const recorderKey = loadOrCreateSigningKey(join(dataDir, 'keys'));
  const ws = { nodeId: 'ws-1', key: loadOrCreateSigningKey(mkdtempSync(join(tmpdir(), 'wr-door-ws-'))) };
  const storeDir = join(dataDir, 'evidence-store');
  const masters = keptMasters({ storeDir, dataDir, ledger: new AuditLedger(join(dataDir, 'audit.jsonl')), key: () => recorderKey, recorderId: 'rec-a' });
  const server = await startNodeServer({
    tls: nodeTls(join(dataDir, 'keys'), recorderKey, 'rec-a'),
    relay: { openRelay: () => () => {} },
    footage: () => {
      throw new Error('no footage is asked of this door');
    },
    // The custody door is never reached by an upload: what is asked of it fails the test.
    custody: () => ({ door: {} as CustodyDoor, masters, isWorkstation: (id) => id.startsWith('ws-'), logger: quiet }),
    checker: new NodeTokenChecker(() => 'rec-a', (id) => (id === ws.nodeId ? ws.key.publicKeyPem : null)),
    host: '127.0.0.1',
    port: 0,
    ...(uploadIdleMs ? { uploadIdleMs } : {}),
  });
  servers.push(server);
  const peer = { nodeId: 'rec-a', url: server.url, publicKeyPem: recorderKey.publicKeyPem };
  const pendingFiles = () => (existsSync(join(storeDir, '.pending')) ? readdirSync(join(storeDir, '.pending'), { recursive: true }).map(String) : []);
  return { peer, ws, masters, storeDir, pendingFiles };
}

const answerOf = async (res: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return { status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') };
};

describe('a recorder’s door for withheld masters', () => {
  it('takes a streamed master after its 100 Continue, and refuses one it will not keep before a byte is read', async () => {
    const d = await recorderDoor();
    const pkg = randomUUID();
    const video = Buffer.from('an unmasked master as ffmpeg wrote it');
    const path = `/evidence-store/${pkg}/master/gate.mp4`;
    const first = await signedRequest(d.peer, path, d.ws, { timeoutMs: 10_000, body: { method: 'PUT', data: Readable.from([video]), bytes: video.length, sha256: sha256(video) } }).then(answerOf);
    expect(first.status, first.text).toBe(201);
    let pulled = 0;
    const again = Readable.from((function* () {
      pulled++;
      yield video;
    })());
    const second = await signedRequest(d.peer, path, d.ws, { timeoutMs: 10_000, body: { method: 'PUT', data: again, bytes: video.length, sha256: sha256(video) } }).then(answerOf);
    expect({ status: second.status, pulled }).toEqual({ status: 409, pulled: 0 });
    expect(second.text).toMatch(/already holds/);
  }, 60_000);

  // Attack: an admitted workstation is told to go on (100 Continue), sends half its master and falls silent.
  // Before the idle limit its upload held the package's claim, a share of the disk's reserve and a place
  // among the uploads a seal waits for, for as long as the connection stayed open (no request timeout).
  it('cuts a sender that falls silent mid-upload, keeps nothing of it, and lets the package be sent again and sealed', async () => {
    const d = await recorderDoor(300);
    const pkg = randomUUID();
    const video = Buffer.alloc(256 * 1024, 7);
    const path = `/evidence-store/${pkg}/master/gate.mp4`;
    const token = signNodeRequest(d.ws.key, d.ws.nodeId, 'rec-a', path, Date.now(), { method: 'PUT', bodySha256: sha256(video) });
    let closed = false;
    let continued = false;
    const req = request(`${d.peer.url}${path}`, {
      method: 'PUT',
      agent: pinnedAgent(d.peer.publicKeyPem),
      headers: { [NODE_TOKEN_HEADER]: token, [BODY_SHA256_HEADER]: sha256(video), 'content-length': String(video.length), expect: '100-continue' },
    });
    req.on('continue', () => {
      continued = true;
      req.write(video.subarray(0, 1000)); // and nothing more
    });
    req.on('response', (res) => res.resume());
    req.on('error', () => {});
    req.on('close', () => (closed = true));
    await waitFor('the recorder to cut the silent upload', () => closed, 30_000);
    expect(continued).toBe(true);
    await waitFor('the cut upload to leave nothing pending', () => d.pendingFiles().length === 0 || undefined, 30_000);
    // The claim and the place among uploads are given back: the same master arrives whole, and seals.
    const whole = await signedRequest(d.peer, path, d.ws, { timeoutMs: 10_000, body: { method: 'PUT', data: Readable.from([video]), bytes: video.length, sha256: sha256(video) } }).then(answerOf);
    expect(whole.status, whole.text).toBe(201);
    expect(d.masters.seal('ws-1', pkg, 'c'.repeat(64))).toEqual({ files: 1 });
    expect(readFileSync(join(d.storeDir, pkg, 'master', 'gate.mp4')).equals(video)).toBe(true);
  }, 60_000);
});
