/**
 * Which recorders' answers travel in a site package (recorder-custody-files.ts): one that vouches for
 * footage, and one that holds only the takeover ending a gap (it took the camera over as the window
 * ended), since the manifest's gap names that entry; one with neither adds nothing to prove.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLedger } from '../../electron/core/audit/audit-ledger.js';
import { canonicalJson } from '../../electron/core/canonical-json.js';
import { recorderCustodyFiles } from '../../electron/core/evidence/package-files.js';
import { writeRecorderCustody } from '../../electron/core/evidence/recorder-custody-files.js';
import { loadOrCreateSigningKey } from '../../electron/core/evidence/signing-key.js';
import type { CustodyAnswer } from '../../electron/core/recorders/custody-answer.js';
import type { FetchedCustody } from '../../electron/core/recorders/site-custody.js';
import { honestAnswer, recordMinute } from '../fixtures/custody-answers.js';

const root = mkdtempSync(join(tmpdir(), 'watchroom-custody-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 11, 3, 6, 0);
const key = loadOrCreateSigningKey(join(root, 'keys'));
const ledger = new AuditLedger(join(root, 'audit.jsonl'));
const recorded = recordMinute(ledger, 'cam-a', T0);
const { offset: _o, ...takeover } = ledger.append('system', 'recording.takeover', 'cam-a', { from: 'rec-a', leaseRanOutAt: T0 + 9_000, takenAt: T0 + 11_000, epoch: 2 });

/** `recorderId`'s answer, bent by `change`, as the workstation holds it once checked. */
function fetched(recorderId: string, change: (a: CustodyAnswer) => void): FetchedCustody {
  const answer = honestAnswer({ recorderId, key, packageId: randomUUID(), recorded, fromMs: T0, toMs: T0 + 12_000 });
  change(answer);
  const body = Buffer.from(canonicalJson(answer));
  return { answer, anchorOf: new Map(), body, signature: key.sign(body), publicKeyPem: key.publicKeyPem, chainRuns: [] };
}

describe('the custody folders of a site package', () => {
  it('carries a recorder vouching for footage and one holding only the takeover that ends a gap, each answer byte for byte; not one with neither', () => {
    const temp = mkdtempSync(join(root, 'pkg-'));
    const written = writeRecorderCustody(temp, [
      fetched('rec-a', () => undefined),
      fetched('rec-b', (a) => void ((a.segments = []), (a.captureEntries = []), (a.takeovers = [takeover]))),
      fetched('rec-c', (a) => void ((a.segments = []), (a.captureEntries = []))),
    ]);
    expect(written.map((r) => r.id)).toEqual(['rec-a', 'rec-b']);
    expect(existsSync(join(temp, recorderCustodyFiles('rec-c').answer))).toBe(false);
    const b = JSON.parse(readFileSync(join(temp, recorderCustodyFiles('rec-b').answer), 'utf8'));
    expect(b.takeovers).toEqual([takeover]);
  });
});
