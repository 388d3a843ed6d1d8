/** The oversight report's data: a month of real ledger entries read into figures, and the same bytes every time. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLedger, readLedgerLines } from '../../electron/core/audit/audit-ledger.js';
import { firstDifference, monthBounds, oversightReport, reportBytes, type OversightReport } from '../../electron/core/oversight/oversight-report.js';
import { expected, MONTH, writeOversightMonth } from '../fixtures/oversight-month.js';

let file: string;
let head: { seq: number; hash: string };
const checkpoint = () => ({ seq: head.seq, hash: head.hash, at: '2026-11-01T00:00:00.000Z', key: 'aa:bb' });
const report = (month = MONTH, cp = checkpoint()) => oversightReport(readLedgerLines(file), month, cp);

beforeAll(() => {
  file = join(mkdtempSync(join(tmpdir(), 'wr-oversight-')), 'audit.jsonl');
  const clock = { ms: 0 };
  const ledger = new AuditLedger(file, { now: () => clock.ms });
  writeOversightMonth(ledger, clock);
  const last = ledger.list(1)[0]!;
  head = { seq: last.seq, hash: last.hash };
  ledger.close();
});

describe('the oversight report data', () => {
  it('covers the UTC month and its ledger span, and names the checkpoint', async () => {
    const r = await report();
    expect(r.period).toMatchObject({ month: MONTH, fromUtc: '2026-10-01T00:00:00.000Z', toUtc: '2026-11-01T00:00:00.000Z' });
    expect(r.ledger).toEqual({ firstSeq: expected.firstSeq, lastSeq: expected.lastSeq, entries: expected.entries });
    expect(r.checkpoint).toEqual(checkpoint());
    expect(r.views.perDay).toHaveLength(31);
  });

  it('counts live views and their time per person and per camera, and lists playback sessions with reasons and length', async () => {
    const r = await report();
    expect(r.views.live).toEqual(expected.live);
    expect(r.views.playback.list).toMatchObject(expected.playback);
    expect(r.views.playback).toMatchObject({ sessions: 2, seconds: 960 });
    expect(r.views.perDay.find((d) => d.day === '2026-10-01')).toEqual({ day: '2026-10-01', live: 1, playback: 0 });
    expect(r.cameras).toEqual([{ id: 'cam-a', name: 'Front door' }, { id: 'cam-b', name: 'Yard' }]);
  });

  it('takes disclosures from the register, by legal basis and recipient organisation', async () => {
    const r = await report();
    expect(r.exports).toMatchObject({ total: 4, internal: 1, disclosures: 3, requests: { requested: 4, approved: 3, refused: 1 }, byLegalBasis: expected.byLegalBasis, byOrganisation: expected.byOrganisation });
    expect(r.exports.register.map((row) => [row.caseReference, row.approver?.name, row.problems])).toEqual([['CASE-r1', 'eve', []], ['CASE-r2', 'eve', []], ['CASE-r3', 'eve', []]]);
    expect(r.exports.register[0]).not.toHaveProperty('atLocal');
  });

  it('lists mask lifts with how long they lasted, deletions per camera, failed sign-ins per account and configuration changes', async () => {
    const r = await report();
    expect(r.maskLifts.list).toMatchObject(expected.lifts);
    expect(r.deletions).toMatchObject(expected.deletions);
    expect(r.deletions.perDay.find((d) => d.day === '2026-10-28')).toEqual({ day: '2026-10-28', segments: 3, bytes: 7000 });
    expect(r.failedSignIns).toMatchObject(expected.failed);
    expect(r.configuration.changes.map((c) => c.action)).toEqual(expected.config);
    expect(r.configuration.changes[0]).toMatchObject({ actor: 'root', role: 'admin', subject: 'cam-a', atUtc: '2026-10-01T07:00:00.000Z' });
  });

  it('reads nothing after the checkpoint', async () => {
    const r = await report(MONTH, { ...checkpoint(), seq: 20 });
    expect(r.ledger.lastSeq).toBe(20);
    expect(r.failedSignIns.total).toBe(0);
  });

  it('gives byte-identical JSON from the same ledger, and names the first section that differs from another', async () => {
    const [a, b] = [await report(), await report()];
    expect(reportBytes(a).equals(reportBytes(b))).toBe(true);
    const edited = JSON.parse(reportBytes(a).toString()) as OversightReport;
    edited.deletions.bytes = 1;
    edited.configuration.total = 0;
    expect(firstDifference(a, edited)).toBe('deletions');
    expect(firstDifference(a, b)).toBeNull();
  });

  it('refuses a month that is not YYYY-MM, and an empty month has empty tables', async () => {
    expect(() => monthBounds('2026-13')).toThrow(/not a month/);
    expect(() => monthBounds('Oct 2026')).toThrow(/YYYY-MM/);
    const r = await report('2026-08');
    expect(r.ledger).toEqual({ firstSeq: null, lastSeq: null, entries: 0 });
    expect(r.views.perDay).toHaveLength(31);
    expect(r.exports.register).toEqual([]);
  });
});
