/**
 * A recorder's custody answer, checked as a workstation checks it before exporting the recorder's
 * footage: a real ledger with a sealed minute, real checkpoints and real ECDSA keys; then each way a
 * forger could bend the answer. And the run of the recorder's chain from a capture entry to its
 * checkpoint, streamed line by line: intact, edited and re-chained, cut, or started elsewhere.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/api.js';
import { AuditLedger, entryHash } from '../../electron/core/audit/audit-ledger.js';
import { checkChainRun } from '../../electron/core/audit/chain-run.js';
import type { Checkpoint } from '../../electron/core/audit/ledger-checkpoints.js';
import { canonicalJson } from '../../electron/core/canonical-json.js';
import { loadOrCreateSigningKey, type SigningKey } from '../../electron/core/evidence/signing-key.js';
import { checkCustodyAnswer, type CustodyAnswer, type CustodyQuestion } from '../../electron/core/recorders/custody-answer.js';
import { honestAnswer, recordMinute, signedCheckpoint } from '../fixtures/custody-answers.js';

const dir = mkdtempSync(join(tmpdir(), 'watchroom-custody-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = loadOrCreateSigningKey(join(dir, 'recorder-keys'));
const other = loadOrCreateSigningKey(join(dir, 'forger-keys'));
const T0 = Date.UTC(2026, 11, 3, 6, 0);
const PACKAGE = '6f1d2c3b-1a2b-4c3d-8e4f-5a6b7c8d9e0f';

const ledger = new AuditLedger(join(dir, 'audit.jsonl'));
const recorded = recordMinute(ledger, 'cam-a', T0);
const { minute, head } = recorded;
const checkpoint = (by: SigningKey, at: { seq: number; hash: string; offset: number }): Checkpoint => signedCheckpoint(by, at, T0 + 60_000);

const question: CustodyQuestion = { recorderId: 'rec-a', packageId: PACKAGE, cameras: ['cam-a'], fromMs: T0, toMs: T0 + 12_000 };
const honest = (): CustodyAnswer => honestAnswer({ recorderId: 'rec-a', key, packageId: PACKAGE, recorded, fromMs: T0, toMs: T0 + 12_000 });
const signed = (answer: CustodyAnswer, by: SigningKey = key) => {
  const body = Buffer.from(canonicalJson(answer));
  return { body, signature: by.sign(body) };
};
const check = (answer: CustodyAnswer, by: SigningKey = key) => {
  const { body, signature } = signed(answer, by);
  return checkCustodyAnswer(body, signature, key.publicKeyPem, question);
};

describe('a recorder’s custody answer', () => {
  it('holds when honest: each capture entry is anchored by the first checkpoint at or after it', () => {
    const { answer, anchorOf } = check(honest());
    expect(answer.segments).toHaveLength(3);
    expect(anchorOf.get(minute.seq)).toMatchObject({ seq: head.seq, hash: head.hash });
  });

  it.each<[string, (a: CustodyAnswer) => void | SigningKey]>([
    ['signed by another key', () => other],
    ['for another package', (a) => void (a.packageId = '00000000-0000-4000-8000-000000000000')],
    ['for another window', (a) => void (a.toMs += 1)],
    ['a segment’s hash changed (footage swapped, its index rewritten)', (a) => void (a.segments[1]!.sha256 = 'f'.repeat(64))],
    ['a segment’s times stretched', (a) => void (a.segments[0]!.endMs += 1)],
    // What its minute's entry recorded besides the hash: its index edited on the recorder's disk.
    ['a segment’s clock drift not what its minute recorded', (a) => void (a.segments[1]!.clockOffsetMs = 3_599_000)],
    ['a drift measured said to be unmeasured', (a) => void delete a.segments[0]!.clockOffsetMs],
    ['a segment closed by salvage said to be closed by ffmpeg', (a) => void delete a.segments[2]!.repaired],
    ['a segment outside the window', (a) => void (a.segments[2]!.startMs = a.toMs)],
    ['a segment named twice', (a) => void a.segments.push({ ...a.segments[0]! })],
    ['a capture entry changed (another root)', (a) => void (a.captureEntries[0]!.details!.root = '0'.repeat(64))],
    ['a capture entry changed and re-hashed (its root no longer reached)', (a) => {
      const e = a.captureEntries[0]!;
      e.details!.root = '0'.repeat(64);
      const { hash: _h, ...body } = e;
      e.hash = entryHash(body);
    }],
    ['its capture entry left out', (a) => void (a.captureEntries = [])],
    ['an anchor signed by another key', (a) => void (a.anchors = [checkpoint(other, head)])],
    ['no anchor at or after the capture entry', (a) => void (a.anchors = [checkpoint(key, { seq: minute.seq - 1, hash: 'a'.repeat(64), offset: 0 })])],
  ])('is refused when %s', (_what, bend) => {
    const answer = honest();
    const by = bend(answer);
    expect(() => check(answer, by ?? key)).toThrowError(expect.objectContaining({ code: 'export.recorder-custody-invalid' }));
  });

  it('is refused when its bytes are not the canonical form that was signed, or are not JSON', () => {
    const body = Buffer.from(JSON.stringify(honest(), null, 2));
    expect(() => checkCustodyAnswer(body, key.sign(body), key.publicKeyPem, question)).toThrow(/canonical form/);
    const junk = Buffer.from('not json');
    expect(() => checkCustodyAnswer(junk, key.sign(junk), key.publicKeyPem, question)).toThrow(/not JSON/);
  });
});

describe('a run of the recorder’s chain, from a capture entry to its checkpoint', () => {
  const lines = () => readFileSync(ledger.file, 'utf8').split('\n').filter(Boolean);
  const run = (ls: string[]) => (async function* () { yield* ls; })();
  const fromMinute = () => lines().slice(minute.seq - 1, head.seq);

  it('holds when it runs unbroken from the entry to the checkpoint’s', async () => {
    expect(await checkChainRun(run(fromMinute()), [minute], head)).toBeNull();
  });

  it('is refused when an entry was edited and the rest re-chained, a line is missing, it starts elsewhere, or stops short', async () => {
    // Edited and re-chained: every link holds, but the run no longer ends at the hash the checkpoint signed.
    const entries = fromMinute().map((l) => JSON.parse(l) as AuditEntry);
    entries[2]!.subject = 'cam-x';
    for (let i = 0; i < entries.length; i++) {
      if (i > 0) entries[i]!.prev = entries[i - 1]!.hash;
      const { hash: _h, ...body } = entries[i]!;
      entries[i]!.hash = entryHash(body);
    }
    expect(await checkChainRun(run(entries.map((e) => JSON.stringify(e))), [minute], head)).toMatch(/not the one its checkpoint signed/);
    expect(await checkChainRun(run(fromMinute().filter((_, i) => i !== 3)), [minute], head)).toMatch(/missing or out of order/);
    expect(await checkChainRun(run(lines().slice(0, head.seq)), [minute], head)).toMatch(/does not start at entry/);
    expect(await checkChainRun(run(fromMinute().slice(0, -1)), [minute], head)).toMatch(/ends before entry/);
    // An answered entry that is in the run under its number, but with another hash.
    const sixth = JSON.parse(fromMinute()[3]!) as AuditEntry;
    expect(await checkChainRun(run(fromMinute()), [minute, { seq: sixth.seq, hash: 'e'.repeat(64) }], head)).toMatch(/not the one that was answered/);
  });
});
