import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
const ALICE = { name: 'alice', role: 'investigator' as const };
const BOB = { name: 'bob', role: 'operator' as const };
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLedger, GENESIS_HASH, entryHash } from '../../electron/core/audit/audit-ledger.js';
import { tailLines } from '../../electron/core/audit/tail-lines.js';

const ledgerFile = () => join(mkdtempSync(join(tmpdir(), 'watchroom-ledger-')), 'audit.jsonl');

function fill(file: string, n: number): AuditLedger {
  const ledger = new AuditLedger(file);
  for (let i = 1; i <= n; i++) ledger.append(ALICE, 'stream.open', `cam-${i}`, { i });
  return ledger;
}

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n');

describe('AuditLedger', () => {
  it('chains every entry to the one before, across restarts', async () => {
    const file = ledgerFile();
    fill(file, 3).close();
    const reopened = new AuditLedger(file);
    const fourth = reopened.append(BOB, 'settings.retention', 'retention');
    expect(fourth.seq).toBe(4);
    const all = lines(file).map((l) => JSON.parse(l));
    expect(all[0].prev).toBe(GENESIS_HASH);
    for (let i = 1; i < all.length; i++) expect(all[i].prev).toBe(all[i - 1].hash);
    for (const e of all) expect(entryHash(e)).toBe(e.hash);
    expect(await reopened.verify()).toEqual({ ok: true, entries: 4, lastHash: fourth.hash });
    expect(reopened.list(2).map((e) => e.seq)).toEqual([3, 4]);
    // An entry can be read back where append said it went, also after a restart.
    const { offset, ...written } = fourth;
    expect(reopened.readAt(offset)).toEqual(written);
    expect(reopened.readAt(0)).toMatchObject({ seq: 1, subject: 'cam-1' });
  });

  it('names the entry where an edit breaks the chain', async () => {
    const file = ledgerFile();
    fill(file, 5).close();
    writeFileSync(file, readFileSync(file, 'utf8').replace('"cam-3"', '"cam-9"'));
    expect(await new AuditLedger(file).verify()).toMatchObject({ ok: false, seq: 3, reason: 'entry 3 was changed after it was written' });
  });

  it('names the gap where a line was removed', async () => {
    const file = ledgerFile();
    fill(file, 5).close();
    const kept = lines(file).filter((_, i) => i !== 1);
    writeFileSync(file, `${kept.join('\n')}\n`);
    expect(await new AuditLedger(file).verify()).toMatchObject({ ok: false, seq: 3, reason: 'entry 3 follows entry 1: entries are missing or out of order' });
  });

  it('notices an entry re-hashed after an edit, because the next one no longer links to it', async () => {
    const file = ledgerFile();
    fill(file, 3).close();
    const all = lines(file).map((l) => JSON.parse(l));
    all[1].subject = 'cam-x';
    all[1].hash = entryHash(all[1]);
    writeFileSync(file, `${all.map((e) => JSON.stringify(e)).join('\n')}\n`);
    expect(await new AuditLedger(file).verify()).toMatchObject({ ok: false, seq: 3, reason: 'entry 3 does not link to the entry before it' });
  });

  it('drops a line cut off mid-write, records that it did, and keeps the chain whole', async () => {
    const file = ledgerFile();
    fill(file, 2).close();
    appendFileSync(file, '{"seq":3,"at":"2026-');
    const ledger = new AuditLedger(file);
    const last = ledger.list(1)[0]!;
    expect(last).toMatchObject({ seq: 3, action: 'audit.partial-line-dropped', details: { bytes: 20 } });
    expect(await ledger.verify()).toMatchObject({ ok: true, entries: 3 });
  });
});

describe('tailLines', () => {
  it('returns the last lines however they fall across read chunks', () => {
    const file = ledgerFile();
    const text = Array.from({ length: 50 }, (_, i) => `${i}:${'x'.repeat(i * 5000)}`);
    writeFileSync(file, `${text.join('\n')}\n`);
    expect(tailLines(file, 3).lines.map((l) => l.split(':')[0])).toEqual(['47', '48', '49']);
    expect(tailLines(file, 100).lines).toHaveLength(50);
    appendFileSync(file, 'partial');
    const { lines: last, completeBytes } = tailLines(file, 1);
    expect(last[0]!.startsWith('49:')).toBe(true);
    expect(completeBytes).toBe(readFileSync(file).length - 'partial'.length);
  });
});
