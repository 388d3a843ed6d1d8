/**
 * Provable deletion: a retention pass over footage a real camera recorded signs a receipt that
 * openssl alone verifies with the workstation key and watchroom-verify holds against the ledger;
 * edited, re-signed, swapped or unledgered receipts fail.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../electron/core/canonical-json.js';
import { loadOrCreateSigningKey } from '../../electron/core/evidence/signing-key.js';
import { RECEIPTS_DIR } from '../../electron/core/recording/deletion-receipt.js';
import { segmentLeaf } from '../../electron/core/audit/capture-proof.js';
import { treeHash } from '../../electron/core/audit/merkle-tree.js';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'electron', 'cli', 'watchroom-verify.js');
const verify = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

interface Entry {
  seq: number;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}
const ledger = (dataDir: string) => readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Entry);

let cam: TestCamera;
let h: TestHost;
let cameraId: string;
let receipts: string[];

beforeAll(async () => {
  cam = await startTestCamera({ codec: 'h264', label: 'Receipt' });
  // A total quota of one byte: the pass asked for below deletes every closed segment (no timer pass runs meanwhile).
  h = await startTestHost({ segmentSeconds: 2, retention: { maxTotalBytes: 1 }, retentionIntervalMs: 3_600_000 });
  await h.core.ready;
  cameraId = (await h.api.addCamera({ name: 'Car park “north”', url: cam.url })).id;
  const index = h.core.recordings.index;
  await waitFor('five closed segments', () => index.segments(cameraId, 0, Date.now() + 1e6).length >= 5, 60_000);
  await h.api.updateCamera({ id: cameraId, changes: { recording: false } });
  await h.core.applyRetention();
  receipts = readdirSync(join(h.dataDir, RECEIPTS_DIR)).filter((f) => f.endsWith('.json')).map((f) => join(h.dataDir, RECEIPTS_DIR, f));
}, 120_000);
afterAll(async () => {
  await h?.close();
  await stopAllTestCameras();
});

describe('deletion receipts', () => {
  it('a pass that deletes signs one receipt naming the policy, the spans and every deleted segment with its hash and ledger entry', () => {
    expect(receipts).toHaveLength(1);
    const receipt = JSON.parse(readFileSync(receipts[0]!, 'utf8')) as {
      policy: { maxTotalBytes: number };
      cameras: Array<{ id: string; name: string; spans: Array<{ startUtc: string; endUtc: string }> }>;
      segments: Array<{ path: string; sha256: string; startUtc: string; endUtc: string; bytes: number; reason: string; ledgerSeq: number }>;
      signer: { fingerprint: string };
    };
    const entries = ledger(h.dataDir);
    const deleted = entries.filter((e) => e.action === 'segment.deleted');
    expect(deleted.length).toBeGreaterThanOrEqual(3);
    expect(receipt.segments.map((s) => s.ledgerSeq)).toEqual(deleted.map((e) => e.seq));
    for (const s of receipt.segments) expect(s.reason).toBe('total-quota');
    // Each deleted segment's hash is the one taken when it was recorded: every minute entry naming
    // them, entered before their deletion, has the Merkle root of their records as the receipt gives them.
    const bySegment = new Map(receipt.segments.map((s) => [s.path, s]));
    const minutes = entries.filter((e) => e.action === 'recording.minute' && (e.details.paths as string[]).some((p) => bySegment.has(p)));
    expect(minutes.flatMap((e) => e.details.paths).sort()).toEqual([...bySegment.keys()].sort());
    for (const m of minutes) {
      expect(m.seq).toBeLessThan(deleted[0]!.seq);
      const leaves = (m.details.paths as string[]).map((p) => bySegment.get(p)!).map((s) => segmentLeaf({ cameraId, path: s.path, sha256: s.sha256, startMs: Date.parse(s.startUtc), endMs: Date.parse(s.endUtc), bytes: s.bytes }));
      expect(treeHash(leaves).toString('hex'), String(m.details.minute)).toBe(m.details.root);
    }
    expect(receipt.cameras).toEqual([expect.objectContaining({ id: cameraId, name: 'Car park “north”' })]);
    expect(receipt.cameras[0]!.spans.length).toBeGreaterThanOrEqual(1);
    expect(receipt.policy.maxTotalBytes).toBe(1);
    // The receipt is entered after the deletions it covers, with its own hash.
    const entered = entries.find((e) => e.action === 'retention.receipt')!;
    expect(entered.seq).toBeGreaterThan(Math.max(...deleted.map((e) => e.seq)));
    expect(entered.details).toMatchObject({ segments: deleted.length, fromSeq: deleted[0]!.seq, toSeq: deleted.at(-1)!.seq, signer: receipt.signer.fingerprint });
    expect(entered.details.sha256).toBe(execFileSync('sha256sum', [receipts[0]!], { encoding: 'utf8' }).split(' ')[0]);
  });

  it('verifies with the workstation key using openssl alone, and with watchroom-verify against the ledger', () => {
    const pub = join(h.dataDir, 'keys', 'signing-key.pub.pem');
    const out = execFileSync('openssl', ['dgst', '-sha256', '-verify', pub, '-signature', `${receipts[0]}.sig`, receipts[0]!], { encoding: 'utf8' });
    expect(out.trim()).toBe('Verified OK');
    const cli = verify('--receipt', receipts[0]!);
    expect(cli.stdout).toContain('RESULT:  VERIFIED');
    expect(cli.status).toBe(0);
  });

  it('rejects a receipt edited after signing, one re-signed with another key, one the ledger never entered, and one entered with another hash', () => {
    const copyOf = (name: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'watchroom-receipt-'));
      const file = join(dir, name);
      copyFileSync(receipts[0]!, file);
      copyFileSync(`${receipts[0]}.sig`, `${file}.sig`);
      return file;
    };
    const data = ['--data', h.dataDir];
    const original = JSON.parse(readFileSync(receipts[0]!, 'utf8')) as { receiptId: string; segments: unknown[] };

    // A segment taken out of the receipt: the deletion hidden.
    const edited = copyOf('edited.json');
    writeFileSync(edited, canonicalJson({ ...original, segments: original.segments.slice(1) }));
    expect(verify('--receipt', edited, ...data).stdout).toContain('[bad-signature]');

    // Re-signed by someone else's key, claiming this workstation's fingerprint.
    const forger = loadOrCreateSigningKey(mkdtempSync(join(tmpdir(), 'watchroom-forger-')));
    const resigned = copyOf('resigned.json');
    writeFileSync(resigned, canonicalJson({ ...original, segments: original.segments.slice(1) }));
    writeFileSync(`${resigned}.sig`, forger.sign(readFileSync(resigned)));
    const r1 = verify('--receipt', resigned, ...data);
    expect(r1.stdout).toContain('[bad-signature]');
    expect(r1.status).toBe(1);
    // Even checked against the forger's own key, the ledger does not know this receipt's hash.
    const forgerKey = join(mkdtempSync(join(tmpdir(), 'watchroom-forger-pub-')), 'k.pem');
    writeFileSync(forgerKey, forger.publicKeyPem);
    const r2 = verify('--receipt', resigned, ...data, '--key', forgerKey);
    expect(r2.stdout).toContain('[ledger-disagrees]');
    expect(r2.stdout).toContain('[wrong-signer]');

    // A made-up receipt, properly signed by the forger, that the ledger never entered.
    const invented = copyOf('invented.json');
    writeFileSync(invented, canonicalJson({ ...original, receiptId: '00000000-0000-4000-8000-000000000000', signer: { fingerprint: forger.fingerprint, algorithm: 'x' } }));
    writeFileSync(`${invented}.sig`, forger.sign(readFileSync(invented)));
    const r3 = verify('--receipt', invented, ...data, '--key', forgerKey);
    expect(r3.stdout).toContain('[not-in-ledger]');
    expect(r3.status).toBe(1);

    // Not a receipt at all: a sentence, not a stack trace.
    const other = copyOf('other.json');
    writeFileSync(other, '{"hello":1}');
    const r4 = verify('--receipt', other, ...data);
    expect(r4.stdout).toContain('is not a Watchroom deletion receipt');
    expect(r4.status).toBe(1);
  });
});
