/**
 * An outsider's attacks on stage D (kept masters) and on the pinned TLS between a site's processes,
 * at the level of one module: real files, real ledgers and keys, real HTTPS on loopback; only the
 * network between a workstation's store and a recorder's is an adapter where the attack needs a
 * recorder to fail on cue. Each test asserts the safe behaviour; `it.fails` with a `HOLE:` comment
 * marks one that does not hold today.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLedger } from '../../electron/core/audit/audit-ledger.js';
import { canonicalJson } from '../../electron/core/canonical-json.js';
import { recorderWithheldStore } from '../../electron/core/evidence/recorder-withheld.js';
import type { ManifestFile } from '../../electron/core/evidence/export-footage.js';
import { loadOrCreateSigningKey, type SigningKey } from '../../electron/core/evidence/signing-key.js';
import { uploadReserveBytes } from '../../electron/core/evidence/received-packages.js';
import { keptMasters, PENDING_KEPT_MS, RECEIPT_FORMAT } from '../../electron/core/recorders/kept-masters.js';
import { issueNodeCertificate, NotTheAdmittedProcess } from '../../electron/core/recorders/node-certificate.js';
import { NodeTokenChecker, signedRequest, signNodeRequest } from '../../electron/core/recorders/node-signature.js';
import { openRelay } from '../../electron/core/recorders/relay-upstream.js';
import { CUSTODY_SIGNATURE_HEADER } from '../../electron/core/recorders/site-custody.js';
import { siteMasters, type SiteMasters } from '../../electron/core/recorders/site-masters.js';
import { standInTls } from '../fixtures/node-fetch.js';
import { waitFor } from '../fixtures/wait-for.js';
import { generateKeyPairSync } from 'node:crypto';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const roots: string[] = [];
const servers: Array<HttpServer | HttpsServer> = [];
afterAll(() => {
  for (const s of servers) s.close();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  roots.push(dir);
  return dir;
};

/** A recorder's kept-masters store on a data folder of its own (or `dataDir`). */
function recorder(id = 'rec-a', dataDir = tempDir('wr-d-attack-')) {
  const ledger = new AuditLedger(join(dataDir, 'audit.jsonl'));
  const key = loadOrCreateSigningKey(join(dataDir, 'keys'));
  const storeDir = join(dataDir, 'evidence-store');
  const masters = keptMasters({ storeDir, dataDir, ledger, key: () => key, recorderId: id });
  const actions = () => (existsSync(ledger.file) ? readFileSync(ledger.file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { action: string; details: Record<string, unknown> }) : []);
  return { id, dataDir, storeDir, masters, key, actions, pendingDir: join(storeDir, '.pending') };
}
const video = Buffer.from('an unmasked master, as ffmpeg wrote it');
const named = (bytes = video) => ({ sha256: sha256(bytes), bytes: bytes.length });
/** Every file under `dir`, relative. */
const filesUnder = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile()) : []);
/** How a promise settled, without throwing. */
const settled = <T>(p: Promise<T>) => p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));

describe('racing a package’s masters on the recorder', () => {
  // Was a hole (fixed after the attack): receive() reads the package's owner, then awaits roomForUploads (statfs) before claiming it
  // (kept-masters.ts, `owner = pending.ownerOf(...)` … `await roomForUploads` … `pending.claim`): two
  // workstations whose first PUTs for one package arrive together both pass the owner check, both are
  // kept and receipted, and the second claim overwrites the first (`writeFileSync` of the owner file).
  // The package then holds another workstation's master, and the first sender can no longer seal it.
  // Fix: claim atomically before any await (open the owner file with flag 'wx' and refuse on EEXIST, or
  // a per-package in-memory lock), and re-read the owner after the await.
  it('lets only one workstation claim a package, even when two first masters arrive at once', async () => {
    const r = recorder();
    const pkg = randomUUID();
    const evil = Buffer.from('a master from another desk');
    const [mine, theirs] = await Promise.all([
      settled(r.masters.receive('ws-1', pkg, 'master/gate.mp4', named(), Readable.from([video]))),
      settled(r.masters.receive('ws-2', pkg, 'master/evil.mp4', named(evil), Readable.from([evil]))),
    ]);
    expect(mine.ok && theirs.ok, 'both were taken and receipted for one package').toBe(false);
    // The one that was taken can be sealed by the workstation that sent it.
    const winner = mine.ok ? 'ws-1' : 'ws-2';
    expect(r.masters.seal(winner, pkg, 'c'.repeat(64))).toEqual({ files: 1 });
  });

  // Was a hole (fixed after the attack): a refused first PUT drops the whole pending package (`if (owner === null) pending.drop(packageId)`
  // in receive's catch), though another PUT for the same package passed the owner check in the same
  // moment and is being written there. That other sender is then handed a signed receipt for bytes the
  // recorder no longer holds (its file was unlinked under it); with a second master sent afterwards the
  // package is sealed without the first, whose receipt sits in the manifest. Fix as above (claim atomically;
  // on failure remove only this request's file, and the claim only if this request made it and nothing else is pending).
  it('never hands out a receipt for a master it then does not keep, whatever another workstation sends at the same moment', async () => {
    const r = recorder();
    const pkg = randomUUID();
    const slow = new PassThrough();
    const mine = r.masters.receive('ws-1', pkg, 'master/gate_1.mp4', named(), slow);
    const bogus = Buffer.from('not what the header says');
    const theirs = settled(r.masters.receive('ws-2', pkg, 'master/other.mp4', named(Buffer.from('something else entirely')), Readable.from([bogus])));
    expect((await theirs).ok).toBe(false);
    slow.end(video);
    const receipt = await settled(mine);
    if (!receipt.ok) return; // refused: nothing promised, safe
    // A second camera's master, then the seal, as the exporting workstation goes on.
    const second = Buffer.from('the second camera’s master');
    await r.masters.receive('ws-1', pkg, 'master/yard_1.mp4', named(second), Readable.from([second]));
    r.masters.seal('ws-1', pkg, 'c'.repeat(64));
    expect(filesUnder(join(r.storeDir, pkg)).sort(), 'every master receipted is kept').toEqual(['master/gate_1.mp4', 'master/yard_1.mp4']);
  });

  // Was a hole (fixed after the attack): seal() renames `.pending/<pkg>/` into the kept store while a PUT of the same package is still
  // being written (kept-masters.ts seal: `pending.files` lists the half-written file, `renameSync` moves
  // it); the write goes on into the kept folder and, when its bytes then turn out not to be the ones named,
  // receive's clean-up removes the *pending* path (now absent), so an unverified, unreceipted file stays
  // in the kept package and is named in `evidence.master-kept`. Fix: refuse a seal while a PUT of the
  // package is in flight (count them per package), and list only files whose receipt was issued.
  it('keeps only masters that arrived whole and were receipted, even when a seal comes in the middle of a PUT', async () => {
    const r = recorder();
    const pkg = randomUUID();
    await r.masters.receive('ws-1', pkg, 'master/gate_1.mp4', named(), Readable.from([video]));
    const half = new PassThrough();
    const claimed = named(Buffer.from('x'.repeat(64)));
    const second = settled(r.masters.receive('ws-1', pkg, 'master/gate_2.mp4', claimed, half));
    half.write(Buffer.from('y'.repeat(32)));
    // Written under .part until its bytes are proven (after the fix; the bare name before it).
    const writing = () => ['master/gate_2.mp4.part', 'master/gate_2.mp4'].map((f) => join(r.pendingDir, pkg, f)).find((f) => existsSync(f));
    await waitFor('the second master to be half written', () => {
      const f = writing();
      return !!f && statSync(f).size === 32;
    });
    const sealed = (() => {
      try {
        return r.masters.seal('ws-1', pkg, 'c'.repeat(64));
      } catch {
        return null;
      }
    })();
    half.end(Buffer.from('y'.repeat(32))); // 64 bytes, but not the ones named
    expect((await second).ok).toBe(false);
    if (sealed === null) return; // a seal refused while a PUT is in flight: safe
    expect(filesUnder(join(r.storeDir, pkg)), 'the kept package holds only what was receipted').toEqual(['master/gate_1.mp4']);
  });
});

/** A 2.1 GB tmpfs (nothing is allocated until written): room for uploads past the 2 GiB reserve is about 50 MB. */
function smallDisk(): { dir: string; unmount(): void } | null {
  const dir = tempDir('wr-d-disk-');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2100m', 'tmpfs', dir]);
  if (mounted.status !== 0) return null;
  return { dir, unmount: () => void spawnSync('umount', ['-l', dir]) };
}

describe('filling a recorder’s disk with pending masters', () => {
  // Was a hole (fixed after the attack): the room check (`declared.bytes > await roomForUploads(...)` in receive) looks at free space
  // before any byte is written and counts nothing already promised to PUTs in flight, so several PUTs
  // arriving together each see the whole room and together eat into the reserve that keeps recordings
  // and the audit ledger going (a malicious admitted workstation can do this at will, with many
  // packages). Fix: keep a running total of bytes promised to PUTs in flight and subtract it from the
  // room (and release on completion/failure); also a cap on pending bytes per workstation.
  it('keeps the uploads’ reserve free even when several masters arrive at once', async () => {
    const disk = smallDisk();
    if (!disk) return expect.fail('cannot mount a tmpfs here');
    try {
      const r = recorder('rec-a', disk.dir);
      const fs = statfsSync(disk.dir);
      const room = fs.bavail * fs.bsize - uploadReserveBytes(fs.blocks * fs.bsize);
      expect(room).toBeGreaterThan(20 * 2 ** 20);
      const each = Buffer.alloc(Math.floor(room * 0.8), 7);
      const results = await Promise.all([0, 1, 2].map(() => settled(r.masters.receive('ws-evil', randomUUID(), 'master/fill.mp4', named(each), Readable.from([each])))));
      const after = statfsSync(disk.dir);
      const left = after.bavail * after.bsize - uploadReserveBytes(after.blocks * after.bsize);
      expect({ taken: results.filter((x) => x.ok).length, reserveIntact: left >= 0 }).toEqual({ taken: 1, reserveIntact: true });
    } finally {
      disk.unmount();
    }
  }, 60_000);
});

describe('someone with the recorder’s data folder planting files in .pending', () => {
  it('never sweeps a kept master, even when a stale owner file in .pending names its package', async () => {
    const r = recorder();
    const pkg = randomUUID();
    await r.masters.receive('ws-1', pkg, 'master/gate.mp4', named(), Readable.from([video]));
    r.masters.seal('ws-1', pkg, 'c'.repeat(64));
    writeFileSync(join(r.pendingDir, `${pkg}.owner`), 'ws-1');
    const dayAgo = (Date.now() - PENDING_KEPT_MS - 60_000) / 1000;
    utimesSync(join(r.pendingDir, `${pkg}.owner`), dayAgo, dayAgo);
    r.masters.sweep();
    expect(readFileSync(join(r.storeDir, pkg, 'master/gate.mp4')).equals(video)).toBe(true);
  });

  it('follows no symlink planted as a pending package (to a kept one) when discarding or sweeping', async () => {
    const r = recorder();
    const kept = randomUUID();
    await r.masters.receive('ws-1', kept, 'master/gate.mp4', named(), Readable.from([video]));
    r.masters.seal('ws-1', kept, 'c'.repeat(64));
    const planted = randomUUID();
    mkdirSync(r.pendingDir, { recursive: true });
    symlinkSync(join(r.storeDir, kept), join(r.pendingDir, planted));
    writeFileSync(join(r.pendingDir, `${planted}.owner`), 'ws-1');
    // The owner (a workstation that can discard) is told there is a master, but discarding drops the link only.
    r.masters.discard('ws-1', planted);
    const dayAgo = (Date.now() - PENDING_KEPT_MS - 60_000) / 1000;
    const second = randomUUID();
    symlinkSync(join(r.storeDir, kept), join(r.pendingDir, second));
    writeFileSync(join(r.pendingDir, `${second}.owner`), 'ws-1');
    utimesSync(join(r.pendingDir, `${second}.owner`), dayAgo, dayAgo);
    r.masters.sweep();
    expect(readFileSync(join(r.storeDir, kept, 'master/gate.mp4')).equals(video)).toBe(true);
  });

  // Was a hole (needs write access to `.pending` only; fixed after the attack): sweep() takes a package id from any `*.owner` name in
  // `.pending` without checking it is a UUID (kept-masters.ts staleSince / sweep → pending.drop), so an
  // old file named `...owner` makes it `rmSync(join(.pending, '..'), { recursive: true })`: the whole
  // evidence store, every kept master, is deleted, and the ledger says nothing (no files listed). Fix:
  // in staleSince keep only names matching `<uuid>.owner` (and lstat the entries).
  it('keeps every kept master when an old file named `...owner` is planted in .pending', async () => {
    const r = recorder();
    const pkg = randomUUID();
    await r.masters.receive('ws-1', pkg, 'master/gate.mp4', named(), Readable.from([video]));
    r.masters.seal('ws-1', pkg, 'c'.repeat(64));
    const planted = join(r.pendingDir, '...owner');
    writeFileSync(planted, 'nobody');
    const dayAgo = (Date.now() - PENDING_KEPT_MS - 60_000) / 1000;
    utimesSync(planted, dayAgo, dayAgo);
    try {
      r.masters.sweep();
    } catch {
      // refusing is fine
    }
    expect(existsSync(join(r.storeDir, pkg, 'master/gate.mp4')), 'the kept master survives the sweep').toBe(true);
  });
});

/** A workstation's withheld store talking straight to real recorders' kept-masters (no network), with failures on cue. */
function wired(recs: Array<ReturnType<typeof recorder>>, fail: { sealOn?: string; discardOn?: string; lostSealReplyOn?: string } = {}): SiteMasters {
  const of = (id: string) => recs.find((r) => r.id === id)!.masters;
  return {
    async send(recorderId, packageId, path, file, declared) {
      const { body, signature } = await of(recorderId).receive('ws-1', packageId, path, declared, Readable.from([readFileSync(file)]));
      return { text: body.toString('utf8'), signature: signature.toString('base64'), receipt: JSON.parse(body.toString('utf8')) };
    },
    async seal(recorderId, packageId, sums) {
      if (fail.sealOn === recorderId) throw new Error(`recorder ${recorderId} cannot be reached`);
      of(recorderId).seal('ws-1', packageId, sums);
      if (fail.lostSealReplyOn === recorderId) throw new Error(`recorder ${recorderId}: no answer in time`);
    },
    async discard(recorderId, packageId) {
      if (fail.discardOn === recorderId) throw new Error(`recorder ${recorderId} cannot be reached`);
      of(recorderId).discard('ws-1', packageId);
    },
  };
}
const manifestFile = (path: string, bytes: Buffer) => ({ cameraId: 'cam-1', path, sha256: sha256(bytes), bytes: bytes.length, startUtc: '2026-12-03T10:00:00.000Z', endUtc: '2026-12-03T10:00:10.000Z' }) as unknown as ManifestFile;
function madeMaster(workRoot: string, packageId: string, name: string, bytes: Buffer) {
  mkdirSync(join(workRoot, packageId, 'master'), { recursive: true });
  const file = join(workRoot, packageId, 'master', name);
  writeFileSync(file, bytes);
  return file;
}

describe('an export whose recorder fails between PUT and seal', () => {
  it('leaves no master on the workstation and none kept by the recorder; the pending one is swept after a day', async () => {
    const rec = recorder('rec-a');
    const work = tempDir('wr-d-work-');
    const pkg = randomUUID();
    const store = recorderWithheldStore(wired([rec], { sealOn: 'rec-a', discardOn: 'rec-a' }), work, pkg, new AbortController().signal);
    await store.keep(manifestFile('master/gate_1.mp4', video), madeMaster(work, pkg, 'gate_1.mp4', video), 'rec-a');
    await expect(store.seal('d'.repeat(64))).rejects.toThrow(/cannot be reached/);
    // buildPackage's catch: discard (best effort).
    await store.discard();
    expect(existsSync(join(work, pkg)), 'nothing of the export on the workstation').toBe(false);
    expect(existsSync(join(rec.storeDir, pkg)), 'nothing kept by the recorder').toBe(false);
    expect(rec.actions().map((e) => e.action)).toEqual(['evidence.master-received']);
    rec.masters.sweep(Date.now() + PENDING_KEPT_MS + 60_000);
    expect(filesUnder(rec.pendingDir)).toEqual([]);
    expect(rec.actions().at(-1)).toMatchObject({ action: 'evidence.master-discarded', details: { packageId: pkg, why: 'never sealed: swept after a day' } });
  });

  // Was a hole (fixed after the attack): the seal is not atomic across recorders, nor against a lost reply (recorder-withheld.ts seal:
  // `for (...) await masters.seal(...)`; evidence-export.ts seals before moveIntoPlace). When recorder A
  // seals and recorder B cannot be reached (or A's "sealed" answer is lost), the export fails and
  // discards, but A's master is already kept and a kept master can never be discarded: an unmasked
  // master stays on A for good, for a package that never existed (its ledger says `evidence.master-kept`,
  // the workstation's `evidence.export-failed`). Fix: a two-step seal (prepare everywhere, then commit),
  // or let the exporting workstation release a kept master whose package it ledgered as failed
  // (`evidence.master-released`, signed by the same node token), or have the recorder drop a kept master
  // whose package's evidence.sealed never appears in the directory's register copies.
  it('keeps no master for a package that never appeared, when a second recorder fails at seal', async () => {
    const [a, b] = [recorder('rec-a'), recorder('rec-b')];
    const work = tempDir('wr-d-work-');
    const pkg = randomUUID();
    const store = recorderWithheldStore(wired([a, b], { sealOn: 'rec-b' }), work, pkg, new AbortController().signal);
    const other = Buffer.from('the part rec-b recorded');
    await store.keep(manifestFile('master/gate_1.mp4', video), madeMaster(work, pkg, 'gate_1.mp4', video), 'rec-a');
    await store.keep(manifestFile('master/gate_2.mp4', other), madeMaster(work, pkg, 'gate_2.mp4', other), 'rec-b');
    await expect(store.seal('d'.repeat(64))).rejects.toThrow();
    await store.discard();
    expect(existsSync(join(a.storeDir, pkg)), 'rec-a keeps nothing of the failed export').toBe(false);
  });

  // Was a hole (fixed after the attack): same cause, one recorder: the seal is done but its answer is lost (timeout, connection reset).
  it('keeps no master for a package that never appeared, when the answer to a seal is lost', async () => {
    const a = recorder('rec-a');
    const work = tempDir('wr-d-work-');
    const pkg = randomUUID();
    const store = recorderWithheldStore(wired([a], { lostSealReplyOn: 'rec-a' }), work, pkg, new AbortController().signal);
    await store.keep(manifestFile('master/gate_1.mp4', video), madeMaster(work, pkg, 'gate_1.mp4', video), 'rec-a');
    await expect(store.seal('d'.repeat(64))).rejects.toThrow();
    await store.discard();
    expect(existsSync(join(a.storeDir, pkg)), 'rec-a keeps nothing of the failed export').toBe(false);
  });
});

/** An HTTPS server showing a certificate `issuer` signed (a process holding the recorder's keys); its URL and what it heard. */
async function httpsServing(issuer: SigningKey, answer: (req: IncomingMessage, body: Buffer) => { status: number; body: Buffer; headers?: Record<string, string> }) {
  const heard: string[] = [];
  const server = createHttpsServer(standInTls(issuer), (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      heard.push(`${req.method} ${req.url}`);
      const a = answer(req, Buffer.concat(chunks));
      res.writeHead(a.status, a.headers ?? {});
      res.end(a.body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, heard };
}

describe('a workstation checking the receipt for a master', () => {
  const recKey = loadOrCreateSigningKey(join(tempDir('wr-d-rk-'), 'keys'));
  const otherKey = loadOrCreateSigningKey(join(tempDir('wr-d-ok-'), 'keys'));
  const wsKey = loadOrCreateSigningKey(join(tempDir('wr-d-wk-'), 'keys'));
  const work = tempDir('wr-d-send-');
  const file = join(work, 'gate.mp4');
  writeFileSync(file, video);

  const receiptOf = (over: Record<string, unknown>) => ({ format: RECEIPT_FORMAT, packageId: '', path: 'master/gate.mp4', sha256: sha256(video), bytes: video.length, recorder: { id: 'rec-a', fingerprint: recKey.fingerprint }, fromNode: 'ws-1', receivedAtUtc: new Date().toISOString(), ...over });

  for (const [what, forge] of [
    ['signed by another key', (pkg: string) => ({ receipt: receiptOf({ packageId: pkg }), by: otherKey })],
    ['for another package', () => ({ receipt: receiptOf({ packageId: randomUUID() }), by: recKey })],
    ['for other bytes', (pkg: string) => ({ receipt: receiptOf({ packageId: pkg, sha256: sha256(Buffer.from('other')) }), by: recKey })],
    ['for another path', (pkg: string) => ({ receipt: receiptOf({ packageId: pkg, path: 'master/other.mp4' }), by: recKey })],
    ['from another workstation', (pkg: string) => ({ receipt: receiptOf({ packageId: pkg, fromNode: 'ws-2' }), by: recKey })],
    ['by another recorder id', (pkg: string) => ({ receipt: receiptOf({ packageId: pkg, recorder: { id: 'rec-b', fingerprint: recKey.fingerprint } }), by: recKey })],
  ] as const) {
    it(`refuses a receipt ${what}, and the master stays on the workstation for its discard`, async () => {
      const pkg = randomUUID();
      const { receipt, by } = forge(pkg);
      const text = Buffer.from(canonicalJson(receipt));
      const server = await httpsServing(recKey, () => ({ status: 201, body: text, headers: { [CUSTODY_SIGNATURE_HEADER]: by.sign(text).toString('base64') } }));
      const masters = siteMasters({ recorder: () => ({ url: server.url, publicKeyPem: recKey.publicKeyPem }), me: () => ({ nodeId: 'ws-1', key: wsKey }) });
      await expect(masters.send('rec-a', pkg, 'master/gate.mp4', file, named(), new AbortController().signal)).rejects.toMatchObject({ code: 'export.recorder-custody-invalid' });
      expect(server.heard).toEqual([`PUT /evidence-store/${pkg}/master/gate.mp4`]);
      expect(existsSync(file)).toBe(true);
    });
  }
});

describe('downgrading or redirecting the connection to a recorder', () => {
  const recKey = loadOrCreateSigningKey(join(tempDir('wr-d-rk2-'), 'keys'));
  const wsKey = loadOrCreateSigningKey(join(tempDir('wr-d-wk2-'), 'keys'));

  async function plainHttp() {
    const heard: string[] = [];
    const server = createHttpServer((req, res) => {
      heard.push(`${req.method} ${req.url} ${String(req.headers['x-watchroom-node'] ?? '')}`);
      res.end('{}');
    });
    server.on('upgrade', (req, socket) => {
      heard.push(`UPGRADE ${req.url}`);
      socket.destroy();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as AddressInfo).port, heard };
  }

  it('sends no master, token or seal to an http:// address the directory holds for the recorder', async () => {
    const { port, heard } = await plainHttp();
    const work = tempDir('wr-d-dg-');
    writeFileSync(join(work, 'gate.mp4'), video);
    const masters = siteMasters({ recorder: () => ({ url: `http://127.0.0.1:${port}`, publicKeyPem: recKey.publicKeyPem }), me: () => ({ nodeId: 'ws-1', key: wsKey }) });
    const pkg = randomUUID();
    await expect(masters.send('rec-a', pkg, 'master/gate.mp4', join(work, 'gate.mp4'), named(), new AbortController().signal)).rejects.toMatchObject({ code: 'export.recorder-unreachable' });
    await expect(masters.seal('rec-a', pkg, 'd'.repeat(64))).rejects.toThrow();
    for (const url of [`HTTP://127.0.0.1:${port}`, `https:127.0.0.1:${port}`, ` https://127.0.0.1:${port}`]) {
      await expect(signedRequest({ nodeId: 'rec-a', url, publicKeyPem: recKey.publicKeyPem }, '/custody', { nodeId: 'ws-1', key: wsKey }, { timeoutMs: 5_000 })).rejects.toThrow();
    }
    expect(heard).toEqual([]);
  });

  it('opens no relay, and sends no token, to an http:// address', async () => {
    const { port, heard } = await plainHttp();
    const reason = await new Promise<string>((resolve) => {
      openRelay({ recorderId: 'rec-a', recorderUrl: `http://127.0.0.1:${port}`, recorderKey: recKey.publicKeyPem, recorderName: 'A', cameraId: 'cam-1', stream: 'main' }, { nodeId: 'ws-1', key: wsKey }, { data: () => undefined, closed: resolve });
    });
    expect(reason).toMatch(/not https/);
    expect(heard).toEqual([]);
  });

  it('sends nothing over TLS to a plain-HTTP server at an https:// address', async () => {
    const { port, heard } = await plainHttp();
    await expect(signedRequest({ nodeId: 'rec-a', url: `https://127.0.0.1:${port}`, publicKeyPem: recKey.publicKeyPem }, '/custody', { nodeId: 'ws-1', key: wsKey }, { timeoutMs: 5_000 })).rejects.toThrow();
    expect(heard).toEqual([]);
  });

  it('refuses a certificate the admitted key issued that is not yet valid, or long expired', async () => {
    for (const at of [Date.now() + 3 * 86_400_000, Date.now() - 3_651 * 86_400_000 - 2 * 86_400_000]) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      let heard = 0;
      const server = createHttpsServer({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: issueNodeCertificate(recKey, privateKey, 'rec-a', at) }, (_req, res) => (heard++, res.end('{}')));
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await expect(signedRequest({ nodeId: 'rec-a', url, publicKeyPem: recKey.publicKeyPem }, '/custody', { nodeId: 'ws-1', key: wsKey }, { timeoutMs: 5_000 })).rejects.toBeInstanceOf(NotTheAdmittedProcess);
      expect(heard).toBe(0);
    }
  });

  it('refuses a certificate of the right key in a chain behind another leaf (only the leaf is judged)', async () => {
    // A stand-in presents its own leaf, then the genuine certificate as an "intermediate": the pin looks at the leaf.
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const stranger = loadOrCreateSigningKey(join(tempDir('wr-d-st-'), 'keys'));
    const genuine = issueNodeCertificate(recKey, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey, 'rec-a');
    const own = issueNodeCertificate(stranger, privateKey, 'rec-a');
    let heard = 0;
    const server = createHttpsServer({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: own + genuine }, (_req, res) => (heard++, res.end('{}')));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await expect(signedRequest({ nodeId: 'rec-a', url, publicKeyPem: recKey.publicKeyPem }, '/custody', { nodeId: 'ws-1', key: wsKey }, { timeoutMs: 5_000 })).rejects.toBeInstanceOf(NotTheAdmittedProcess);
    expect(heard).toBe(0);
  });
});

describe('replaying or re-aiming a workstation’s node token for a master', () => {
  const wsKey = loadOrCreateSigningKey(join(tempDir('wr-d-wk3-'), 'keys'));
  const checker = () => new NodeTokenChecker(() => 'rec-a', (id) => (id === 'ws-1' ? wsKey.publicKeyPem : null));
  const pkg = randomUUID();
  const path = `/evidence-store/${pkg}/master/gate.mp4`;
  const what = { method: 'PUT', bodySha256: sha256(video) };

  it('accepts a PUT token once, for its path, method, body and recorder only', () => {
    const c = checker();
    const token = signNodeRequest(wsKey, 'ws-1', 'rec-a', path, Date.now(), what);
    expect(c.check(token, path, Date.now(), what).ok).toBe(true);
    expect(c.check(token, path, Date.now(), what), 'replayed').toMatchObject({ ok: false });
    const fresh = () => signNodeRequest(wsKey, 'ws-1', 'rec-a', path, Date.now(), what);
    expect(c.check(fresh(), `/evidence-store/${pkg}/seal?sumsSha256=${'c'.repeat(64)}`, Date.now(), { method: 'POST', bodySha256: sha256(Buffer.alloc(0)) }), 'as a seal').toMatchObject({ ok: false });
    expect(c.check(fresh(), `/evidence-store/${randomUUID()}/master/gate.mp4`, Date.now(), what), 'for another package').toMatchObject({ ok: false });
    expect(c.check(fresh(), path, Date.now(), { method: 'POST', bodySha256: what.bodySha256 }), 'another method').toMatchObject({ ok: false });
    expect(c.check(fresh(), path, Date.now(), { method: 'PUT', bodySha256: '' }), 'without its body hash').toMatchObject({ ok: false });
    expect(c.check(fresh(), `${path}?x=1`, Date.now(), what), 'with a query added').toMatchObject({ ok: false });
    const toOther = signNodeRequest(wsKey, 'ws-1', 'rec-b', path, Date.now(), what);
    expect(c.check(toOther, path, Date.now(), what), 'signed for another recorder').toMatchObject({ ok: false });
    // A token whose node id is URL-encoded differently names the same sender but is the same signature: still once.
    const once = fresh();
    const [id, ...rest] = once.split('.');
    expect(c.check(once, path, Date.now(), what).ok).toBe(true);
    expect(c.check([id!.replace('-', '%2D'), ...rest].join('.'), path, Date.now(), what), 'replayed with its id re-encoded').toMatchObject({ ok: false });
  });
});

describe('a receipt from a real recorder store', () => {
  it('is for exactly the bytes received, and openssl verifies it by the recorder’s key', async () => {
    const r = recorder();
    const pkg = randomUUID();
    const { body, signature } = await r.masters.receive('ws-1', pkg, 'master/gate.mp4', named(), Readable.from([video]));
    const dir = tempDir('wr-d-ossl-');
    writeFileSync(join(dir, 'r.json'), body);
    writeFileSync(join(dir, 'r.sig'), signature);
    writeFileSync(join(dir, 'k.pem'), r.key.publicKeyPem);
    expect(execFileSync('openssl', ['dgst', '-sha256', '-verify', join(dir, 'k.pem'), '-signature', join(dir, 'r.sig'), join(dir, 'r.json')], { encoding: 'utf8' }).trim()).toBe('Verified OK');
    expect(JSON.parse(body.toString('utf8'))).toMatchObject({ packageId: pkg, sha256: sha256(video), bytes: video.length });
    expect(readFileSync(join(r.pendingDir, pkg, 'master/gate.mp4')).equals(video)).toBe(true);
  });
});
