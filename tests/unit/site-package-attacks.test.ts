/**
 * Attacks on a finished site package (`watchroom-evidence/2`) in someone's hands, as the verifier
 * (app and watchroom-verify alike) meets them: custody folders added, moved between packages, swapped
 * for links or pipes, and the manifest's recorder fields bent. Packages are made whole by
 * fixtures/site-package.ts; "resealed" means the change was sealed again with the workstation's key
 * (a lying workstation: more than someone holding the package can do), so only the recorders' custody
 * can catch it. Each test asserts the safe behaviour.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VerificationReport } from '../../shared/evidence.js';
import { verifyPackage } from '../../electron/core/evidence/package-verifier.js';
import { recorderCustodyFiles } from '../../electron/core/evidence/package-files.js';
import { sitePackages } from '../fixtures/site-package.js';

const root = mkdtempSync(join(tmpdir(), 'watchroom-site-package-attacks-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const { keys, site } = sitePackages(root);
const allReal = new Set([keys.workstation.fingerprint, keys.recorders['rec-a']!.fingerprint, keys.recorders['rec-b']!.fingerprint]);
const codes = (r: VerificationReport) => [...new Set(r.failures.map((f) => f.code))].sort();
const recA = recorderCustodyFiles('rec-a');

describe('a site package in someone’s hands', () => {
  it('fails with a custody folder added for a recorder the manifest does not name (a genuine one, from another package)', async () => {
    const dir = site();
    const other = site();
    cpSync(join(other, 'custody/recorders/rec-b'), join(dir, 'custody/recorders/rec-c'), { recursive: true });
    const report = await verifyPackage(dir, allReal);
    expect(report).toMatchObject({ ok: false, outcome: 'failed' });
    expect(codes(report)).toEqual(['file-unlisted']);
    expect(report.custodySigners.map((s) => s.recorderId)).toEqual(['rec-a', 'rec-b']);
  });

  it('fails when a recorder’s custody files are replaced by the same recorder’s genuine answer to another package', async () => {
    const dir = site();
    const other = site();
    for (const path of Object.values(recA)) writeFileSync(join(dir, path), readFileSync(join(other, path)));
    const report = await verifyPackage(dir, allReal);
    expect(report.outcome).toBe('failed');
    expect(codes(report)).toEqual(expect.arrayContaining(['file-hash-mismatch', 'custody-recorder-answer-foreign', 'custody-recorder-answer-mismatch']));
  });

  it('fails when a lying workstation moves in a recorder’s genuine answer to another package and reseals everything', async () => {
    const other = site();
    const dir = site({ custodyFiles: (id, f) => void (id === 'rec-a' && Object.assign(f, { answer: readFileSync(join(other, recA.answer)), signature: readFileSync(join(other, recA.signature)) })) });
    const report = await verifyPackage(dir, allReal);
    expect(report.outcome).toBe('failed');
    expect(codes(report)).toContain('custody-recorder-answer-foreign');
  });

  it('fails when the manifest’s recorder fields are swapped between the two recorders, even resealed by the workstation', async () => {
    const dir = site({
      manifest: (m) => {
        for (const s of m.cameras[0].sourceSegments) s.recorder = 'rec-b';
        for (const s of m.cameras[1].sourceSegments) s.recorder = 'rec-a';
        for (const c of m.custody.captureEntries) c.ledger = c.ledger === 'rec-a' ? 'rec-b' : 'rec-a';
      },
    });
    const report = await verifyPackage(dir, allReal);
    expect(report.outcome).toBe('failed');
    expect(codes(report)).toContain('custody-source-not-in-answer');
  });

  it('fails, following nothing, when a recorder’s custody folder is a link to another package’s', async () => {
    const dir = site();
    const other = site();
    rmSync(join(dir, 'custody/recorders/rec-a'), { recursive: true });
    symlinkSync(join(other, 'custody/recorders/rec-a'), join(dir, 'custody/recorders/rec-a'));
    const report = await verifyPackage(dir, allReal);
    expect(report.outcome).toBe('failed');
    expect(codes(report)).toEqual(expect.arrayContaining(['not-regular-file', 'custody-recorder-files-missing']));
  });

  it('fails at once, without waiting on it, when a recorder’s custody.json is a named pipe', async () => {
    const dir = site();
    rmSync(join(dir, recA.answer));
    execFileSync('mkfifo', [join(dir, recA.answer)]);
    const report = await verifyPackage(dir, allReal);
    expect(report.outcome).toBe('failed');
    expect(codes(report)).toEqual(expect.arrayContaining(['not-regular-file']));
  }, 10_000);

  it('fails a manifest whose recorder id climbs out of the package, resealed', async () => {
    const dir = site({ manifest: (m) => void (m.custody.recorders[0].id = '../../outside') });
    const report = await verifyPackage(dir, allReal);
    expect(report.outcome).toBe('failed');
    expect(codes(report)).toContain('manifest-malformed');
  });
});
