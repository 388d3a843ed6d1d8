/**
 * A recorder keeping the masked cameras' masters the site's workstations withheld (kept-masters.ts):
 * real files, a real ledger and signing key. What arrives is kept only if it is the bytes named; what
 * is kept is never replaced nor dropped over the network; only the sender seals or discards.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AuditLedger } from '../../electron/core/audit/audit-ledger.js';
import { loadOrCreateSigningKey, verifySignature } from '../../electron/core/evidence/signing-key.js';
import { keptMasters, masterReceiptSchema, PENDING_KEPT_MS, RELEASE_WINDOW_MS } from '../../electron/core/recorders/kept-masters.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function recorder(clock: { now: number } = { now: Date.now() }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'wr-kept-'));
  const ledger = new AuditLedger(join(dataDir, 'audit.jsonl'));
  const key = loadOrCreateSigningKey(join(dataDir, 'keys'));
  const storeDir = join(dataDir, 'evidence-store');
  const masters = keptMasters({ storeDir, dataDir, ledger, key: () => key, recorderId: 'rec-a', now: () => clock.now });
  const actions = () => readFileSync(ledger.file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { action: string; details: Record<string, unknown> });
  return { dataDir, storeDir, masters, key, actions };
}
const video = Buffer.from('an unmasked master, as ffmpeg wrote it');
const named = (bytes = video) => ({ sha256: sha256(bytes), bytes: bytes.length });
/** Every file under `dir`, relative. */
const filesUnder = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile()) : []);

describe('a recorder keeping withheld masters', () => {
  it('takes the bytes named, signs a receipt for them, keeps them on seal, owner-only, and ledgers each step', async () => {
    const r = recorder();
    const pkg = randomUUID();
    const { body, signature } = await r.masters.receive('ws-1', pkg, 'master/gate_1.mp4', named(), Readable.from([video]));
    expect(verifySignature(body, signature, r.key.publicKeyPem)).toBe(true);
    expect(masterReceiptSchema.parse(JSON.parse(body.toString()))).toMatchObject({ packageId: pkg, path: 'master/gate_1.mp4', sha256: sha256(video), bytes: video.length, fromNode: 'ws-1', recorder: { id: 'rec-a', fingerprint: r.key.fingerprint } });
    expect(existsSync(join(r.storeDir, pkg)), 'kept before the seal').toBe(false);
    expect(r.masters.seal('ws-1', pkg, 'c'.repeat(64))).toEqual({ files: 1 });
    const kept = join(r.storeDir, pkg, 'master/gate_1.mp4');
    expect(readFileSync(kept).equals(video)).toBe(true);
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    expect(filesUnder(join(r.storeDir, '.pending'))).toEqual([]);
    expect(r.actions().map((e) => e.action)).toEqual(['evidence.master-received', 'evidence.master-kept']);
    expect(r.actions()[1]!.details).toMatchObject({ packageId: pkg, sumsSha256: 'c'.repeat(64), fromNode: 'ws-1', files: ['master/gate_1.mp4'] });
  });

  it('refuses bytes that are not the ones named (another hash, fewer, more), and keeps nothing of them', async () => {
    const r = recorder();
    const pkg = randomUUID();
    const other = Buffer.from('another video of the same length!!!!!!');
    for (const [sent, declared] of [
      [other, named()],
      [video.subarray(0, 10), named()],
      [Buffer.concat([video, video]), named()],
    ] as const) {
      await expect(r.masters.receive('ws-1', pkg, 'master/a.mp4', declared, Readable.from([sent]))).rejects.toMatchObject({ code: 'evidence.master-refused' });
    }
    expect(filesUnder(join(r.storeDir, '.pending'))).toEqual([]);
    expect(r.actions()).toEqual([]);
    // The package is not claimed by the refused sender either.
    await r.masters.receive('ws-2', pkg, 'master/a.mp4', named(), Readable.from([video]));
  });

  it('says it accepts a master before reading a byte of it, and never for one it refuses (the server’s 100 Continue)', async () => {
    const r = recorder();
    const pkg = randomUUID();
    const events: string[] = [];
    const body = () => Readable.from((function* () {
      events.push('read');
      yield video;
    })());
    await r.masters.receive('ws-1', pkg, 'master/a.mp4', named(), body(), () => events.push('accepted'));
    expect(events).toEqual(['accepted', 'read']);
    events.length = 0;
    // Refused on its path, as a copy of one held, and as another workstation's package: told before any byte.
    for (const [from, path] of [['ws-1', 'master/../x.mp4'], ['ws-1', 'master/a.mp4'], ['ws-2', 'master/b.mp4']] as const) {
      await expect(r.masters.receive(from, pkg, path, named(), body(), () => events.push('accepted')), path).rejects.toMatchObject({ code: expect.stringMatching(/^evidence\.master-/) });
    }
    expect(events).toEqual([]);
  });

  it('refuses a path outside master/, a package that is not a UUID, and a master it already holds (pending or kept)', async () => {
    const r = recorder();
    const pkg = randomUUID();
    for (const path of ['../../keys/signing-key.pem', 'master/../../x.mp4', 'master/.hidden.mp4', 'master/a.mp4/b.mp4', 'working/a.mp4', 'master/a.ts']) {
      await expect(r.masters.receive('ws-1', pkg, path, named(), Readable.from([video])), path).rejects.toMatchObject({ code: 'evidence.master-refused' });
    }
    await expect(r.masters.receive('ws-1', '../x', 'master/a.mp4', named(), Readable.from([video]))).rejects.toMatchObject({ code: 'evidence.master-refused' });
    await r.masters.receive('ws-1', pkg, 'master/a.mp4', named(), Readable.from([video]));
    await expect(r.masters.receive('ws-1', pkg, 'master/a.mp4', named(), Readable.from([video]))).rejects.toMatchObject({ code: 'evidence.master-exists' });
    r.masters.seal('ws-1', pkg, 'c'.repeat(64));
    const forged = Buffer.from('a forged master');
    await expect(r.masters.receive('ws-1', pkg, 'master/b.mp4', named(forged), Readable.from([forged]))).rejects.toMatchObject({ code: 'evidence.master-exists' });
    expect(readFileSync(join(r.storeDir, pkg, 'master/a.mp4')).equals(video)).toBe(true);
    expect(filesUnder(r.dataDir).filter((f) => f.endsWith('.mp4'))).toEqual([`evidence-store/${pkg}/master/a.mp4`]);
  });

  it('lets only the workstation that sent a package’s masters add to, seal or discard them; a kept master is deleted by nobody else, nor by it once ten minutes have passed', async () => {
    const clock = { now: Date.now() };
    const r = recorder(clock);
    const pkg = randomUUID();
    await r.masters.receive('ws-1', pkg, 'master/a.mp4', named(), Readable.from([video]));
    await expect(r.masters.receive('ws-2', pkg, 'master/b.mp4', named(), Readable.from([video]))).rejects.toMatchObject({ code: 'evidence.master-refused' });
    expect(() => r.masters.seal('ws-2', pkg, 'c'.repeat(64))).toThrow(/another workstation/);
    expect(() => r.masters.discard('ws-2', pkg)).toThrow(/another workstation/);
    r.masters.seal('ws-1', pkg, 'c'.repeat(64));
    expect(() => r.masters.discard('ws-2', pkg)).toThrow(/not deleted over the network/);
    clock.now += RELEASE_WINDOW_MS + 1;
    expect(() => r.masters.discard('ws-1', pkg)).toThrow(/not deleted over the network/);
    expect(readFileSync(join(r.storeDir, pkg, 'master/a.mp4')).equals(video)).toBe(true);
  });

  it('lets the sender release a kept package within ten minutes of its seal (its export failed after it), ledgered; a seal asked again is answered as done', async () => {
    const r = recorder();
    const pkg = randomUUID();
    await r.masters.receive('ws-1', pkg, 'master/a.mp4', named(), Readable.from([video]));
    expect(r.masters.seal('ws-1', pkg, 'c'.repeat(64))).toEqual({ files: 1 });
    expect(r.masters.seal('ws-1', pkg, 'c'.repeat(64)), 'the same seal again (its answer was lost)').toEqual({ files: 1 });
    expect(() => r.masters.seal('ws-1', pkg, 'd'.repeat(64))).toThrow(/already kept/);
    expect(r.masters.discard('ws-1', pkg)).toEqual({ files: 1 });
    expect(existsSync(join(r.storeDir, pkg))).toBe(false);
    expect(r.actions().at(-1)).toMatchObject({ action: 'evidence.master-discarded', details: { packageId: pkg, fromNode: 'ws-1', why: expect.stringContaining('failed after the seal') } });
  });

  it('drops a discarded package’s pending masters, and sweeps those nobody came back for within a day', async () => {
    const r = recorder();
    const [gone, stale, fresh] = [randomUUID(), randomUUID(), randomUUID()];
    for (const pkg of [gone, stale, fresh]) await r.masters.receive('ws-1', pkg, 'master/a.mp4', named(), Readable.from([video]));
    expect(r.masters.discard('ws-1', gone)).toEqual({ files: 1 });
    const dayAgo = (Date.now() - PENDING_KEPT_MS - 60_000) / 1000;
    utimesSync(join(r.storeDir, '.pending', `${stale}.owner`), dayAgo, dayAgo);
    r.masters.sweep();
    expect(filesUnder(join(r.storeDir, '.pending')).sort()).toEqual([`${fresh}.owner`, `${fresh}/master/a.mp4`].sort());
    const discarded = r.actions().filter((e) => e.action === 'evidence.master-discarded');
    expect(discarded.map((e) => [e.details.packageId, e.details.why])).toEqual([
      [gone, 'discarded by the exporting workstation'],
      [stale, 'never sealed: swept after a day'],
    ]);
  });
});
