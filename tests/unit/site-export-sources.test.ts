/**
 * How a site export merges what its recorders vouched for (site-export-sources.ts): of a stretch two
 * recorders both hold, the earlier-starting copy is used and the other declared (`alsoRecorded`), so
 * no recorder's copy goes unsaid; every recorder that is up is asked, beside the coverage's holders.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLedger } from '../../electron/core/audit/audit-ledger.js';
import { canonicalJson } from '../../electron/core/canonical-json.js';
import { siteExportSources } from '../../electron/core/evidence/site-export-sources.js';
import { loadOrCreateSigningKey } from '../../electron/core/evidence/signing-key.js';
import type { FetchedCustody, SiteCustody } from '../../electron/core/recorders/site-custody.js';
import { honestAnswer, recordMinute } from '../fixtures/custody-answers.js';

const root = mkdtempSync(join(tmpdir(), 'watchroom-site-sources-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const T0 = Date.UTC(2026, 11, 3, 6, 0);
const key = loadOrCreateSigningKey(join(root, 'keys'));
// Both recorders recorded cam-a's same 12 s (one cut off from the directory), rec-b's copy starting 0.5 s earlier.
const recorded = { 'rec-a': recordMinute(new AuditLedger(join(root, 'a.jsonl')), 'cam-a', T0), 'rec-b': recordMinute(new AuditLedger(join(root, 'b.jsonl')), 'cam-a', T0 - 500) };

function sources(asked: string[]) {
  const custody: SiteCustody = {
    async fetch(q) {
      asked.push(q.recorderId);
      const answer = honestAnswer({ recorderId: q.recorderId, key, packageId: q.packageId, recorded: recorded[q.recorderId as 'rec-a' | 'rec-b'], fromMs: q.fromMs, toMs: q.toMs });
      const body = Buffer.from(canonicalJson(answer));
      return { answer, anchorOf: new Map(), body, signature: key.sign(body), publicKeyPem: key.publicKeyPem, chainRuns: [] } satisfies FetchedCustody;
    },
  };
  return siteExportSources({ coverage: { holders: async () => ['rec-a'] }, holderOf: () => null, liveRecorders: () => ['rec-b'], custody, open: async () => null });
}

describe('a site export’s footage from several recorders', () => {
  it('asks the coverage’s holders and every recorder that is up; uses the earlier-starting copy of a stretch and declares the other', async () => {
    const asked: string[] = [];
    const run = sources(asked).forExport({ packageId: randomUUID(), person: 'ivy', cameraIds: ['cam-a'], fromMs: T0 - 1_000, toMs: T0 + 12_000 });
    const used = await run.segments('cam-a');
    expect(asked.sort()).toEqual(['rec-a', 'rec-b']);
    expect(new Set(used.map((s) => s.recorderId))).toEqual(new Set(['rec-b']));
    const also = await run.alsoRecorded('cam-a');
    expect(also.map((a) => a.recorder)).toEqual(['rec-a', 'rec-a', 'rec-a']);
    expect(also.map((a) => a.path)).toEqual(recorded['rec-a'].segments.map((s) => s.path));
  });
});
