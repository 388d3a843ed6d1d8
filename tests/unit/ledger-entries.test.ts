/** The ledger view's reading aids: newest first, a filter by person or action, details in one short line. */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/api.js';
import { matchesFilter, newestFirst, summarizeDetails, SUMMARY_MAX_CHARS } from '../../renderer/src/ledger/ledger-entries.js';

const entry = (seq: number, actor: string, action: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({ seq, at: new Date(seq * 1000).toISOString(), actor, action, subject: 's', prev: '0', hash: '1', ...extra });

describe('newestFirst', () => {
  it('puts the highest sequence number first without changing the list it was given', () => {
    const oldestFirst = [entry(1, 'system', 'audit.checked'), entry(2, 'ann', 'auth.sign-in'), entry(3, 'bob', 'camera.add')];
    expect(newestFirst(oldestFirst).map((e) => e.seq)).toEqual([3, 2, 1]);
    expect(oldestFirst.map((e) => e.seq)).toEqual([1, 2, 3]);
  });
});

describe('matchesFilter', () => {
  const ann = entry(1, 'ann', 'evidence.export-started', { role: 'evidence-officer' });
  const system = entry(2, 'system', 'audit.checked');

  it('matches the account name, the role (as written or as shown) and the action, ignoring case', () => {
    expect(matchesFilter(ann, 'ANN')).toBe(true);
    expect(matchesFilter(ann, 'evidence-officer')).toBe(true);
    expect(matchesFilter(ann, 'Evidence officer')).toBe(true);
    expect(matchesFilter(ann, 'export')).toBe(true);
    expect(matchesFilter(system, 'system')).toBe(true);
  });

  it('needs every word to match, and an empty filter keeps everything', () => {
    expect(matchesFilter(ann, 'ann export')).toBe(true);
    expect(matchesFilter(ann, 'ann camera')).toBe(false);
    expect(matchesFilter(system, 'ann')).toBe(false);
    expect(matchesFilter(system, '   ')).toBe(true);
  });

  it('does not match on the subject or details, which the filter does not offer', () => {
    expect(matchesFilter(entry(3, 'bob', 'camera.add', { subject: 'gate-camera', details: { name: 'Gate' } }), 'gate')).toBe(false);
  });
});

describe('summarizeDetails', () => {
  it('is empty without details', () => {
    expect(summarizeDetails(undefined)).toBe('');
    expect(summarizeDetails({})).toBe('');
  });

  it('lists plain values, spells out short lists and counts long lists and objects', () => {
    expect(summarizeDetails({ name: 'Gate', recording: true, cameras: ['a', 'b'], added: [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }], range: { from: 1, to: 2 }, problems: [] })).toBe(
      'name: Gate · recording: true · cameras: a, b · added: 4 items · range: 2 fields · problems: none',
    );
  });

  it('shows only what changed between before and after', () => {
    const details = { before: { displayName: 'Ann', role: 'operator', disabled: false }, after: { displayName: 'Ann', role: 'admin', disabled: false } };
    expect(summarizeDetails(details)).toBe('role operator → admin');
    expect(summarizeDetails({ before: 15, after: 5 })).toBe('15 → 5');
    expect(summarizeDetails({ jobId: 'j1', before: { maxAgeDays: 30 }, after: { maxAgeDays: 7 } })).toBe('maxAgeDays 30 → 7 · jobId: j1');
  });

  it('shows moments in local time and leaves durations as numbers', () => {
    const startMs = new Date(2026, 0, 2, 3, 4, 5).getTime();
    expect(summarizeDetails({ startMs, beforeMs: 8000 })).toBe('startMs: 2026-01-02 03:04:05 · beforeMs: 8000');
  });

  it('shows a UTC moment written as ISO text (an evidence package’s span) the way times are written, in UTC', () => {
    expect(summarizeDetails({ startUtc: '2026-12-01T13:05:09.000Z', endUtc: '2026-12-01T13:06:00Z' })).toBe('startUtc: 2026-12-01 13:05:09 UTC · endUtc: 2026-12-01 13:06:00 UTC');
    expect(summarizeDetails({ note: '2026-12-01 is the day' })).toBe('note: 2026-12-01 is the day');
  });

  it('keeps a lone before or after as a plain value', () => {
    expect(summarizeDetails({ before: 'x' })).toBe('before: x');
  });

  it('shortens long values and long lines', () => {
    expect(summarizeDetails({ reason: 'r'.repeat(100) })).toBe(`reason: ${'r'.repeat(39)}…`);
    const long = summarizeDetails(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`key${i}`, 'value'])));
    expect(long).toHaveLength(SUMMARY_MAX_CHARS);
    expect(long.endsWith('…')).toBe(true);
  });
});
