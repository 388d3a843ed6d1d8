/**
 * Four-eyes disclosure and the disclosure register (issue 12, points 2 and 3) against a real core:
 * a demo camera recording through real ffmpeg, real SQLite, a real ledger, real packages checked
 * with the recipient's tools. Requests are made by an investigator (ivy) and an administrator
 * (tester), decided by an evidence officer (eve) and a second administrator (ada).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DisclosureRequest, DisclosureRequestInput } from '../../shared/disclosures.js';
import type { ExportJob } from '../../shared/evidence.js';
import { readLedgerLines } from '../../electron/core/audit/audit-ledger.js';
import { disclosureRegister } from '../../electron/core/disclosure/disclosure-register.js';
import { REGISTER_COLUMNS } from '../../electron/core/disclosure/register-csv.js';
import { TEST_PASSWORD, type SignedInPerson } from '../fixtures/people.js';
import { recordedStretch } from '../fixtures/recorded-range.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';

let h: TestHost;
let cameraId: string;
let range: { fromMs: number; toMs: number };
let ivy: SignedInPerson;
let eve: SignedInPerson;
let ada: SignedInPerson;
let n = 0;

const input = (over: Partial<DisclosureRequestInput['export']> = {}, legalBasis: DisclosureRequestInput['legalBasis'] = { basis: 'police-investigation', text: 'Op Larch' }): DisclosureRequestInput => ({
  export: { cameraIds: [cameraId], ...range, reason: 'Assault outside block C', caseReference: `DISC-${++n}`, recipient: { person: 'DC Priya Shah', organisation: 'Metropolitan Police' }, workingCopy: false, ...over },
  legalBasis,
});

type Entry = { seq: number; at: string; actor: string; role?: string; action: string; subject: string; details?: Record<string, any> };
const ledger = (): Entry[] => readFileSync(join(h.dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const about = (requestId: string) => ledger().filter((e) => e.details?.requestId === requestId || e.details?.disclosure?.requestId === requestId);
const exportsDir = () => join(h.dataDir, 'exports');
const packages = () => (existsSync(exportsDir()) ? readdirSync(exportsDir()).filter((name) => !name.startsWith('.')) : []);

/** The request once its build has ended (built or failed). */
async function built(by: SignedInPerson, id: string): Promise<DisclosureRequest> {
  return waitFor(`request ${id} to be built`, async () => {
    const r = (await by.api.listDisclosureRequests()).find((x) => x.id === id);
    return r && (r.state === 'built' || r.state === 'failed') ? r : undefined;
  }, 120_000);
}

beforeAll(async () => {
  h = await startTestHost({ segmentSeconds: 2 });
  cameraId = (await h.api.addDemoCameras())[0]!.id;
  const recorded = await recordedStretch(h.api, cameraId, 6_000);
  range = { fromMs: recorded.startMs + 500, toMs: recorded.startMs + 3_500 };
  ivy = await h.as('ivy', 'investigator');
  eve = await h.as('eve', 'evidence-officer');
  ada = await h.as('ada', 'admin');
}, 120_000);
afterAll(async () => h?.close());

describe('four eyes', () => {
  it('an export with a recipient is not built by startExport: it must be a request', async () => {
    const before = packages();
    await expect(ivy.api.startExport(input().export)).rejects.toMatchObject({ code: 'disclosure.needs-approval' });
    expect(packages()).toEqual(before);
  });

  it('the requester cannot approve or refuse their own request, from this session or a second one; an administrator who asked neither', async () => {
    const asked = await h.api.requestDisclosure(input());
    const second = h.core.api((await h.core.system.signIn({ name: 'tester', password: TEST_PASSWORD })).token);
    for (const api of [h.api, second]) {
      await expect(api.approveDisclosure({ id: asked.id })).rejects.toMatchObject({ code: 'disclosure.own-request', message: expect.stringMatching(/someone else/) });
      await expect(api.refuseDisclosure({ id: asked.id, reason: 'Changed my mind' })).rejects.toMatchObject({ code: 'disclosure.own-request' });
    }
    // An investigator may ask but not decide, not even someone else's.
    await expect(ivy.api.approveDisclosure({ id: asked.id })).rejects.toMatchObject({ code: 'auth.forbidden', permission: 'disclosure.approve' });
    const still = (await h.api.listDisclosureRequests()).find((r) => r.id === asked.id)!;
    expect(still).toMatchObject({ state: 'pending', decidedBy: null, jobId: null });
    expect(about(asked.id).map((e) => e.action)).toEqual(['disclosure.requested']);
  });

  it('an approved request builds a package whose manifest and README.txt name both people; request, approval, export and seal are in the ledger in that order', async () => {
    const asked = await ivy.api.requestDisclosure(input({}, { basis: 'court', text: 'Order 2026/114' }));
    expect(asked).toMatchObject({ state: 'pending', requestedBy: { name: 'ivy', role: 'investigator' } });
    expect((await eve.api.listDisclosureRequests()).map((r) => r.id)).toContain(asked.id);
    const approved = await eve.api.approveDisclosure({ id: asked.id, note: 'Proportionate; court order seen.' });
    expect(approved).toMatchObject({ state: 'approved', decidedBy: { name: 'eve', role: 'evidence-officer' }, note: 'Proportionate; court order seen.' });
    const done = await built(ivy, asked.id);
    expect(done.state, done.failure ?? '').toBe('built');
    const pkg = join(exportsDir(), done.packageName!);

    const manifest = JSON.parse(readFileSync(join(pkg, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      caseReference: asked.export.caseReference,
      recipient: asked.export.recipient,
      exportedBy: { user: 'ivy', role: 'investigator' },
      requestedBy: { user: 'ivy', name: 'Test ivy', role: 'investigator' },
      approval: { requestId: asked.id, user: 'eve', name: 'Test eve', role: 'evidence-officer', note: 'Proportionate; court order seen.' },
      legalBasis: { basis: 'court', text: 'Order 2026/114' },
    });
    const readme = readFileSync(join(pkg, 'README.txt'), 'utf8');
    expect(readme).toMatch(/Requested by: Test ivy \(ivy, investigator\)/);
    expect(readme).toMatch(/Approved by: +Test eve \(eve, evidence-officer\)/);
    expect(readme).toMatch(/Proportionate; court order seen\./);
    // The recipient's tools, then Watchroom's own verifier.
    expect(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: pkg }).status).toBe(0);
    expect(spawnSync('openssl', ['dgst', '-sha256', '-verify', 'signer.pub.pem', '-signature', 'SHA256SUMS.sig', 'SHA256SUMS'], { cwd: pkg, encoding: 'utf8' }).stdout.trim()).toBe('Verified OK');
    expect(await eve.api.verifyPackage({ path: pkg })).toMatchObject({ ok: true, outcome: 'verified' });

    const entries = about(asked.id);
    expect(entries.map((e) => [e.action, e.actor])).toEqual([['disclosure.requested', 'ivy'], ['disclosure.approved', 'eve'], ['evidence.export', 'ivy'], ['evidence.sealed', 'ivy']]);
    const [request, approval, exported, sealed] = entries as [Entry, Entry, Entry, Entry];
    expect(approval.details).toMatchObject({ requestId: asked.id, caseReference: asked.export.caseReference, recipient: asked.export.recipient, legalBasis: { basis: 'court' }, note: 'Proportionate; court order seen.', requestSha256: request.details!.requestSha256 });
    expect(exported.details!.disclosure).toMatchObject({ requestId: asked.id, requestedBy: { name: 'ivy' }, approvedBy: { name: 'eve' }, requestSha256: request.details!.requestSha256 });
    expect(sealed.details).toMatchObject({ packageId: manifest.packageId, package: done.packageName, sha256sumsSha256: createHash('sha256').update(readFileSync(join(pkg, 'SHA256SUMS'))).digest('hex') });
    // The package's own custody extract carries the export entry naming both people.
    const extract = readFileSync(join(pkg, 'custody', 'audit-extract.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(extract.at(-1)).toMatchObject({ seq: exported.seq, action: 'evidence.export', details: { disclosure: { approvedBy: { name: 'eve' } } } });
  }, 150_000);

  it('a refused request builds nothing (no job, no package folder) and the requester reads the reason; a refusal needs a reason', async () => {
    const asked = await ivy.api.requestDisclosure(input());
    await expect(eve.api.refuseDisclosure({ id: asked.id, reason: '  ' })).rejects.toMatchObject({ code: 'api.invalid-argument' });
    const before = packages();
    const refused = await eve.api.refuseDisclosure({ id: asked.id, reason: 'No legal basis shown for a second camera.' });
    expect(refused).toMatchObject({ state: 'refused', jobId: null, note: 'No legal basis shown for a second camera.' });
    const seen = (await ivy.api.listDisclosureRequests()).find((r) => r.id === asked.id);
    expect(seen).toMatchObject({ state: 'refused', note: 'No legal basis shown for a second camera.', decidedBy: { name: 'eve' }, packageName: null });
    expect(packages()).toEqual(before);
    expect(readdirSync(exportsDir()).filter((name) => name.startsWith('.partial-'))).toEqual([]);
    expect(about(asked.id).map((e) => [e.action, e.actor, e.details?.reason ?? null])).toEqual([
      ['disclosure.requested', 'ivy', 'Assault outside block C'],
      ['disclosure.refused', 'eve', 'No legal basis shown for a second camera.'],
    ]);
    expect(ledger().filter((e) => e.action.startsWith('evidence.export') && e.subject === asked.export.caseReference)).toEqual([]);
  });
});

describe('attacks on four eyes', () => {
  it('an approval replayed, or sent from two sessions at once, builds one package', async () => {
    const asked = await ivy.api.requestDisclosure(input());
    const eve2 = h.core.api((await h.core.system.signIn({ name: 'eve', password: TEST_PASSWORD })).token);
    const outcomes = await Promise.allSettled([eve.api.approveDisclosure({ id: asked.id }), eve2.approveDisclosure({ id: asked.id }), ada.api.approveDisclosure({ id: asked.id })]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'disclosure.not-pending' });
    const done = await built(ivy, asked.id);
    await expect(eve.api.approveDisclosure({ id: asked.id })).rejects.toMatchObject({ code: 'disclosure.not-pending' });
    expect(packages().filter((name) => name.startsWith(`WR-${asked.export.caseReference}-`))).toEqual([done.packageName]);
    expect(about(asked.id).map((e) => e.action)).toEqual(['disclosure.requested', 'disclosure.approved', 'evidence.export', 'evidence.sealed']);
  }, 150_000);

  it('a refused request cannot be approved later', async () => {
    const asked = await ivy.api.requestDisclosure(input());
    await ada.api.refuseDisclosure({ id: asked.id, reason: 'Wrong recipient.' });
    await expect(eve.api.approveDisclosure({ id: asked.id })).rejects.toMatchObject({ code: 'disclosure.not-pending' });
    expect((await ivy.api.listDisclosureRequests()).find((r) => r.id === asked.id)).toMatchObject({ state: 'refused', jobId: null });
    expect(about(asked.id).map((e) => e.action)).toEqual(['disclosure.requested', 'disclosure.refused']);
  });

  it.each(['demoted', 'disabled'] as const)('a requester %s since asking gets nothing out: approval is refused, the request can still be refused', async (how) => {
    const who = await h.as(`ivy-${how}`, 'investigator');
    const asked = await who.api.requestDisclosure(input());
    const id = (await h.api.listPeople()).find((p) => p.name === who.name)!.id;
    await h.api.updatePerson({ id, changes: how === 'demoted' ? { role: 'operator' } : { disabled: true } });
    const before = packages();
    await expect(eve.api.approveDisclosure({ id: asked.id })).rejects.toMatchObject({ code: 'disclosure.requester-cannot-export', message: expect.stringMatching(how === 'demoted' ? /role is now Operator/ : /disabled/) });
    expect((await eve.api.listDisclosureRequests()).find((r) => r.id === asked.id)).toMatchObject({ state: 'pending', jobId: null });
    await eve.api.refuseDisclosure({ id: asked.id, reason: 'Requester no longer entitled.' });
    expect(packages()).toEqual(before);
    expect(about(asked.id).map((e) => e.action)).toEqual(['disclosure.requested', 'disclosure.refused']);
  });

  it('what is built is exactly what was asked: an approval cannot carry changes, and the request hash ties request, approval, ledger and manifest', async () => {
    const asked = await ivy.api.requestDisclosure(input({ reason: 'Only the door camera, 3 s' }));
    // Extra fields are not part of an approval: whatever they say is not built.
    const sneaky = { id: asked.id, note: 'ok', export: { ...asked.export, reason: 'Everything', recipient: { person: 'Press', organisation: 'Tabloid' } } } as never;
    await eve.api.approveDisclosure(sneaky);
    const done = await built(ivy, asked.id);
    const manifest = JSON.parse(readFileSync(join(exportsDir(), done.packageName!, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ reason: 'Only the door camera, 3 s', recipient: asked.export.recipient, requested: { startUtc: new Date(range.fromMs).toISOString(), endUtc: new Date(range.toMs).toISOString() } });
    const request = about(asked.id)[0]!;
    const canonical = (await import('../../electron/core/canonical-json.js')).canonicalJson({ export: asked.export, legalBasis: asked.legalBasis });
    expect(request.details!.requestSha256).toBe(createHash('sha256').update(canonical).digest('hex'));
    expect(manifest.approval.requestSha256).toBe(request.details!.requestSha256);
    // There is no call that edits a request.
    expect(Object.keys(h.api).filter((m) => /disclosure/i.test(m)).sort()).toEqual(['approveDisclosure', 'disclosuresCsv', 'listDisclosureRequests', 'listDisclosures', 'refuseDisclosure', 'requestDisclosure']);
  }, 150_000);
});

describe('a request edited behind Watchroom’s back', () => {
  it('a request changed in its database before approval builds, but the register names the difference from what was asked', async () => {
    const asked = await ivy.api.requestDisclosure(input({ caseReference: 'EDITED-1', reason: 'Door camera only' }));
    const db = new Database(join(h.dataDir, 'disclosures.db'));
    const stored = JSON.parse((db.prepare('SELECT request FROM disclosure_requests WHERE id = ?').get(asked.id) as { request: string }).request);
    stored.export.recipient = { person: 'Someone else', organisation: 'Tabloid' };
    db.prepare('UPDATE disclosure_requests SET request = ? WHERE id = ?').run(JSON.stringify(stored), asked.id);
    db.close();
    await eve.api.approveDisclosure({ id: asked.id });
    expect((await built(ivy, asked.id)).state).toBe('built');
    const [row] = await eve.api.listDisclosures({ text: 'EDITED-1' });
    expect(row!.problems).toEqual(['What was built differs from what was asked or approved (the request hashes disagree).']);
  }, 150_000);
});

describe('the disclosure register', () => {
  const organisation = 'Müller, "Quick" & Sons\nLoss adjusters — café 中文';
  const cases: DisclosureRequestInput['legalBasis'][] = [
    { basis: 'court', text: 'Crown Court order T2026/0042' },
    { basis: 'insurance', text: '' },
    { basis: 'other', text: 'Coroner’s request, inquest 88' },
  ];

  it('three disclosures with different legal bases appear in the register and its CSV, each row matching its ledger entries', async () => {
    const made: DisclosureRequest[] = [];
    for (const [i, basis] of cases.entries()) {
      const asked = await ivy.api.requestDisclosure(input({ caseReference: `REG-${i + 1}`, reason: i === 0 ? '=HYPERLINK("http://evil.example","click")' : `Register ${i + 1}`, recipient: { person: `Recipient ${i + 1}`, organisation } }, basis));
      await eve.api.approveDisclosure({ id: asked.id, note: `Approved ${i + 1}` });
      expect((await built(ivy, asked.id)).state).toBe('built');
      made.push(asked);
    }
    const rows = (await eve.api.listDisclosures({ text: 'REG-' })).reverse();
    expect(rows.map((r) => r.caseReference)).toEqual(['REG-1', 'REG-2', 'REG-3']);
    const byseq = new Map(ledger().map((e) => [e.seq, e]));
    for (const [i, row] of rows.entries()) {
      const asked = made[i]!;
      const exported = byseq.get(row.exportSeq)!;
      expect(byseq.get(row.requestSeq!)).toMatchObject({ action: 'disclosure.requested', actor: 'ivy', details: { requestId: asked.id } });
      expect(byseq.get(row.approvalSeq!)).toMatchObject({ action: 'disclosure.approved', actor: 'eve', at: row.approvedAtUtc, details: { requestId: asked.id, note: `Approved ${i + 1}` } });
      expect(exported).toMatchObject({ action: 'evidence.export', actor: 'ivy', at: row.atUtc, details: { packageId: row.packageId, recipient: { organisation }, signer: row.signer, disclosure: { requestId: asked.id } } });
      expect(byseq.get(row.sealedSeq!)).toMatchObject({ action: 'evidence.sealed', details: { packageId: row.packageId, sha256sumsSha256: row.packageSha256 } });
      expect(row.packageSha256).toBe(createHash('sha256').update(readFileSync(join(exportsDir(), row.packageName, 'SHA256SUMS'))).digest('hex'));
      expect(row).toMatchObject({
        requester: { name: 'ivy', displayName: 'Test ivy', role: 'investigator' },
        approver: { name: 'eve', displayName: 'Test eve', role: 'evidence-officer' },
        recipient: { person: `Recipient ${i + 1}`, organisation },
        legalBasis: cases[i],
        reason: asked.export.reason,
        cameras: [{ id: cameraId, name: expect.any(String) }],
        fromUtc: new Date(range.fromMs).toISOString(),
        toUtc: new Date(range.toMs).toISOString(),
        signer: (await h.api.getSigningKey()).fingerprint,
      });
      expect(row.requestSeq! < row.approvalSeq! && row.approvalSeq! < row.exportSeq && row.exportSeq < row.sealedSeq!).toBe(true);
      expect(row.problems).toEqual([]);
    }
    expect((await eve.api.listDisclosures({ text: 'REG-', legalBasis: 'insurance' })).map((r) => r.caseReference)).toEqual(['REG-2']);
    expect((await eve.api.listDisclosures({ text: 'coroner' })).map((r) => r.caseReference)).toEqual(['REG-3']);

    // Anyone holding the ledger gets the same rows from a copy of the file alone.
    const copy = join(h.dataDir, 'ledger-copy.jsonl');
    copyFileSync(join(h.dataDir, 'audit.jsonl'), copy);
    expect((await disclosureRegister(readLedgerLines(copy), { text: 'REG-' })).reverse()).toEqual(rows);

    // The CSV, read back by Python's csv module in strict mode: same cells, BOM, CRLF, no formula.
    const csv = await eve.api.disclosuresCsv({ text: 'REG-' });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const outsideQuotes = csv.replace(/"(?:[^"]|"")*"/g, '');
    expect(outsideQuotes).not.toMatch(/[^\r]\n/);
    expect(outsideQuotes.endsWith('\r\n')).toBe(true);
    const file = join(h.dataDir, 'register.csv');
    writeFileSync(file, csv, 'utf8');
    const parsed = spawnSync('python3', [join(import.meta.dirname, '..', 'fixtures', 'csv-parse.py'), file], { encoding: 'utf8' });
    expect(parsed.status, parsed.stderr).toBe(0);
    const [header, ...cells] = JSON.parse(parsed.stdout) as string[][];
    expect(header).toEqual(REGISTER_COLUMNS);
    const col = (name: string) => REGISTER_COLUMNS.indexOf(name);
    expect(cells.map((c) => c[col('Case reference')])).toEqual(['REG-3', 'REG-2', 'REG-1']);
    for (const c of cells) {
      const row = rows.find((r) => r.caseReference === c[col('Case reference')])!;
      expect(c).toHaveLength(REGISTER_COLUMNS.length);
      expect(c[col('Recipient organisation')]).toBe(organisation);
      expect(c[col('Legal basis')]).toBe(row.legalBasis!.basis);
      expect(c[col('Legal basis text')]).toBe(row.legalBasis!.text);
      expect(c[col('Left (UTC)')]).toBe(row.atUtc);
      expect(c[col('Package SHA-256 (of SHA256SUMS)')]).toBe(row.packageSha256);
      expect([c[col('Request seq')], c[col('Approval seq')], c[col('Export seq')], c[col('Sealed seq')]]).toEqual([row.requestSeq, row.approvalSeq, row.exportSeq, row.sealedSeq].map(String));
      expect(c[col('Camera ids')]).toBe(cameraId);
    }
    // The reason that starts with "=" reads as text, never as a formula.
    expect(cells.find((c) => c[col('Case reference')] === 'REG-1')![col('Reason')]).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(cells.every((c) => c.every((cell) => !/^[=+\-@\t\r]/.test(cell)))).toBe(true);
  }, 400_000);
});

describe('a build cut short', () => {
  it('closing Watchroom while an approved disclosure builds closes cleanly; the next start fails the request with the reason and keeps nothing', async () => {
    // A long span with a re-encoded working copy: still building when Watchroom closes.
    const all = (await h.api.listRecordings({ cameraId, fromMs: Date.now() - 600_000, toMs: Date.now() })).at(-1)!;
    const asked = await ivy.api.requestDisclosure(input({ caseReference: 'CUT-1', fromMs: all.startMs, toMs: all.endMs - 1_000, workingCopy: true }));
    const approved = await eve.api.approveDisclosure({ id: asked.id });
    expect((await h.api.getExport({ id: approved.jobId! })).state).toBe('running');
    const dataDir = h.dataDir;
    await h.host.close();
    await expect(h.core.close()).resolves.toBeUndefined();

    h = await startTestHost({ dataDir });
    const after = (await h.api.listDisclosureRequests()).find((r) => r.id === asked.id);
    expect(after).toMatchObject({ state: 'failed', failure: expect.stringMatching(/stopped while the package was being built/) });
    expect(packages().filter((name) => name.startsWith('WR-CUT-1-'))).toEqual([]);
    expect(readdirSync(exportsDir()).filter((name) => name.startsWith('.partial-'))).toEqual([]);
    await expect(h.api.approveDisclosure({ id: asked.id })).rejects.toMatchObject({ code: 'disclosure.not-pending' });
  }, 120_000);
});
