/**
 * The verifier on a site package (`watchroom-evidence/2`, docs/design/site-exports.md, stage C): each
 * recorder vouches for the footage it recorded with its own signed custody answer, and the package is
 * verified only if the workstation and every recorder are trusted here. Packages are made whole in
 * the test (fixtures/site-package.ts) and every change is sealed again by the workstation, so what
 * catches it is the recorders' custody and nothing else. A one-machine package (`/1`) verifies as it did.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VerificationReport } from '../../shared/evidence.js';
import type { Checkpoint, CheckpointAnchor } from '../../electron/core/audit/ledger-checkpoints.js';
import { verifyPackage } from '../../electron/core/evidence/package-verifier.js';
import { recorderCustodyFiles } from '../../electron/core/evidence/package-files.js';
import { sitePackages, type Bend } from '../fixtures/site-package.js';

const root = mkdtempSync(join(tmpdir(), 'watchroom-site-package-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const { keys, site, oneMachine } = sitePackages(root);
const ws = keys.workstation.fingerprint;
const recA = keys.recorders['rec-a']!.fingerprint;
const recB = keys.recorders['rec-b']!.fingerprint;
const allReal = new Set([ws, recA, recB]);
/** A gap of cam-b said to end where rec-b took it over from rec-a, by the entry `entry` names. */
const takeoverGap = (entry: { ledger: string; seq: number; hash: string }) => ({
  startUtc: '2026-12-03T06:00:20.000Z',
  endUtc: '2026-12-03T06:00:40.000Z',
  why: { takeover: { from: 'rec-a', by: 'rec-b', leaseRanOutAtUtc: '2026-12-03T06:00:30.000Z', takenAtUtc: '2026-12-03T06:00:31.000Z', entry: { ledger: entry.ledger, seq: entry.seq, hash: entry.hash } } },
});
const codes = (r: VerificationReport) => [...new Set(r.failures.map((f) => f.code))].sort();

describe('a site package (watchroom-evidence/2)', () => {
  it('is verified when honest and the workstation and both recorders are trusted, each recorder named as a custody signer', async () => {
    const report = await verifyPackage(site(), allReal);
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ ok: true, outcome: 'verified', signer: { fingerprint: ws, trusted: true } });
    expect(report.custodySigners).toEqual([
      { recorderId: 'rec-a', fingerprint: recA, trusted: true },
      { recorderId: 'rec-b', fingerprint: recB, trusted: true },
    ]);
    // Two masters, manifest, extract, signer key, and three custody files per recorder.
    expect(report.filesChecked).toBe(11);
  });

  describe('verified on the site that admitted its recorders', () => {
    /** The anchors a recorder's answer in the package names: what an honest directory holds of it. */
    const anchorsIn = (dir: string, recorderId: string): Checkpoint[] => JSON.parse(readFileSync(join(dir, recorderCustodyFiles(recorderId).answer), 'utf8')).anchors;
    /** A directory holding these copies of one recorder's checkpoints. */
    const directoryOf = (copies: Checkpoint[]): CheckpointAnchor => ({
      seqs: async () => new Set(copies.map((c) => c.seq)),
      add: async () => undefined,
      all: async () => copies,
      around: async (from, to) => {
        const before = copies.filter((c) => c.seq < from).at(-1);
        return [...(before ? [before] : []), ...copies.filter((c) => c.seq >= from && c.seq <= to)];
      },
    });
    const onSite = (dir: string, bend: (recorderId: string, copies: Checkpoint[]) => Checkpoint[] = (_id, c) => c) => (recorderId: string, fingerprint: string) =>
      keys.recorders[recorderId]?.fingerprint === fingerprint ? directoryOf(bend(recorderId, anchorsIn(dir, recorderId))) : null;

    it('says each recorder’s anchors are the directory’s copies', async () => {
      const dir = site();
      const report = await verifyPackage(dir, allReal, onSite(dir));
      expect(report).toMatchObject({ outcome: 'verified', failures: [] });
      expect(report.custodySigners.map((s) => [s.recorderId, s.heldByDirectory])).toEqual([['rec-a', true], ['rec-b', true]]);
    });

    it.each([
      ['its anchor is not among the directory’s copies', (_id: string, _c: Checkpoint[]) => []],
      ['the directory’s copy of its anchor is of another chain (another hash at that entry)', (_id: string, c: Checkpoint[]) => c.map((x) => ({ ...x, hash: 'f'.repeat(64) }))],
      ['the directory holds a shutdown checkpoint just before its capture entry', (_id: string, c: Checkpoint[]) => [{ ...c[0]!, seq: 0, shutdown: true } as Checkpoint, ...c]],
    ])('fails when %s', async (_what, bend) => {
      const dir = site();
      const report = await verifyPackage(dir, allReal, onSite(dir, (id, copies) => (id === 'rec-b' ? bend(id, copies) : copies)));
      expect(report).toMatchObject({ ok: false, outcome: 'failed' });
      expect(codes(report)).toEqual(['custody-recorder-anchor-unheld']);
      expect(report.custodySigners.map((s) => [s.recorderId, s.heldByDirectory])).toEqual([['rec-a', true], ['rec-b', false]]);
    });

    it('does not hold to this site’s directory a recorder it did not admit with that key (a package of another site)', async () => {
      const dir = site({ recorderKeys: { 'rec-a': keys.forger } });
      const report = await verifyPackage(dir, new Set([...allReal, keys.forger.fingerprint]), onSite(dir));
      expect(report).toMatchObject({ outcome: 'verified', failures: [] });
      expect(report.custodySigners.map((s) => [s.recorderId, s.heldByDirectory])).toEqual([['rec-a', undefined], ['rec-b', true]]);
    });
  });

  it('is intact but not verified when one recorder’s key is not trusted here, and watchroom-verify exits 3 naming it', async () => {
    const dir = site();
    const report = await verifyPackage(dir, new Set([ws, recA]));
    expect(report).toMatchObject({ ok: false, outcome: 'signer-untrusted', failures: [], signer: { trusted: true } });
    expect(report.custodySigners).toEqual([
      { recorderId: 'rec-a', fingerprint: recA, trusted: true },
      { recorderId: 'rec-b', fingerprint: recB, trusted: false },
    ]);

    const data = join(root, 'cli-data');
    mkdirSync(data, { recursive: true });
    const pem = (name: string) => join(root, 'keys', name, 'signing-key.pub.pem');
    const cli = join(import.meta.dirname, '..', '..', 'electron', 'cli', 'watchroom-verify.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', cli, dir, '--data', data, '--trust', pem('ws-1'), '--trust', pem('rec-a')], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(3);
    expect(run.stdout).toContain(`Custody: recorder rec-a, ${recA} (trusted here)`);
    expect(run.stdout).toContain(`Custody: recorder rec-b, ${recB} (NOT trusted here)`);
    expect(run.stdout).toContain(`Compare ${recB} with`);
  }, 60_000);

  // Each change, sealed again, is caught by the check it aims at, and by nothing a reseal would undo.
  it.each<[string, string[], Bend]>([
    ['custody.json was edited after the recorder signed it', ['custody-recorder-answer-invalid'], { custodyFiles: (id, f) => void (id === 'rec-a' && (f.answer = Buffer.from(f.answer!.toString().replace('"forPerson":"ivy"', '"forPerson":"eve"')))) }],
    ['custody.json.sig was made by another key', ['custody-recorder-answer-invalid'], { custodyFiles: (id, f) => void (id === 'rec-a' && (f.signature = keys.forger.sign(f.answer!))) }],
    // The answer's signature does not hold under the swapped key either.
    ['recorder.pub.pem was swapped for another key', ['custody-recorder-answer-invalid', 'custody-recorder-key-mismatch'], { custodyFiles: (id, f) => void (id === 'rec-b' && (f.key = Buffer.from(keys.forger.publicKeyPem))) }],
    ['the manifest names another key for a recorder than the one it carries', ['custody-recorder-key-mismatch'], { manifest: (m) => void (m.custody.recorders[1].fingerprint = keys.forger.fingerprint) }],
    ['the answer, signed by the recorder, names another key as its own', ['custody-recorder-key-mismatch'], { answer: (id, a) => void (id === 'rec-a' && (a.recorder.fingerprint = keys.forger.fingerprint)) }],
    ['the answer, signed by the recorder, is for another package', ['custody-recorder-answer-foreign'], { answer: (id, a) => void (id === 'rec-a' && (a.packageId = randomUUID())) }],
    ['the manifest’s answerSha256 is not the answer’s', ['custody-recorder-answer-mismatch'], { manifest: (m) => void (m.custody.recorders[0].answerSha256 = 'f'.repeat(64)) }],
    // Its inclusion path no longer leads to the minute's root from the changed hash either.
    ['a source’s SHA-256 in the manifest is not the one its recorder gave', ['custody-inclusion-invalid', 'custody-source-not-in-answer'], { manifest: (m) => void (m.cameras[0].sourceSegments[1].sha256 = 'e'.repeat(64)) }],
    // The recorder's answer, and its minute's entry, say otherwise.
    ['a source’s clock drift in the manifest is not what its minute recorded', ['custody-capture-details-differ'], { manifest: (m) => void (m.cameras[0].sourceSegments[1].clockOffsetMs = -3_599_000) }],
    ['a source closed by salvage is said in the manifest to be closed normally', ['custody-capture-details-differ'], { manifest: (m) => void (m.cameras[0].sourceSegments[2].repaired = false) }],
    ['a source names a recorder with no custody in the package', ['custody-capture-missing', 'custody-source-not-in-answer'], { manifest: (m) => void (m.cameras[1].sourceSegments[0].recorder = 'rec-z') }],
    ['a recorder’s signature file is not in the package', ['custody-recorder-files-missing'], { custodyFiles: (id, f) => void (id === 'rec-b' && (f.signature = null)) }],
    ['the manifest points a recorder’s answer elsewhere', ['custody-recorder-files-missing'], { manifest: (m) => void (m.custody.recorders[0].answer = 'manifest.json') }],
    ['a gap is said to end at a takeover its recorder’s answer does not hold', ['custody-gap-reason-unproven'], { manifest: (m) => void (m.cameras[1].gaps = [takeoverGap({ ledger: 'rec-b', seq: 999, hash: 'a'.repeat(64) })]) }],
    // The entry is rec-b's, in its answer, intact: but a minute's capture, not a takeover.
    ['a gap is said to end at an entry of the recorder that is no takeover', ['custody-gap-reason-unproven'], { manifest: (m) => void (m.cameras[1].gaps = [takeoverGap(m.custody.captureEntries.find((e: { ledger?: string }) => e.ledger === 'rec-b'))]) }],
  ])('fails when %s', async (_what, expected, bend) => {
    const report = await verifyPackage(site(bend), allReal);
    expect(report).toMatchObject({ ok: false, outcome: 'failed' });
    expect(codes(report)).toEqual(expected);
  });

  it('is never verified when a forger re-made it with its own key in a recorder’s place, consistent in every file', async () => {
    const report = await verifyPackage(site({ recorderKeys: { 'rec-a': keys.forger } }), allReal);
    // Every file agrees with the forger's key, so nothing is broken: only whose key it is gives it away.
    expect(report).toMatchObject({ ok: false, outcome: 'signer-untrusted', failures: [] });
    expect(report.custodySigners).toContainEqual({ recorderId: 'rec-a', fingerprint: keys.forger.fingerprint, trusted: false });
  });
});

describe('a one-machine package (watchroom-evidence/1)', () => {
  it('verifies as before, its capture entry in the audit extract and no custody signers', async () => {
    const report = await verifyPackage(oneMachine(), new Set([ws]));
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ ok: true, outcome: 'verified', custodySigners: [] });
  });
});
