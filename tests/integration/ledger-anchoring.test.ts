/**
 * The audit ledger anchored outside itself, attacked as someone with file access would: a real
 * ledger file, checkpoints signed with the workstation key, a mirror folder, RFC 3161 time-stamps from
 * a real authority (OpenSSL behind HTTP), a real tmpfs that fills up, and the watchroom-verify CLI.
 */
import type { WatchroomApi } from '../../shared/api.js';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
const ALICE = { name: 'alice', role: 'investigator' as const };
const BOB = { name: 'bob', role: 'operator' as const };
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/api.js';
import { AuditLedger, entryHash, GENESIS_HASH } from '../../electron/core/audit/audit-ledger.js';
import { CHECKPOINTS_FILE, checkpointBody, type Checkpoint } from '../../electron/core/audit/ledger-checkpoints.js';
import { loadOrCreateSigningKey } from '../../electron/core/evidence/signing-key.js';
import { createCore } from '../../electron/core/core.js';
import { startTestTsa, type TestTsa } from '../fixtures/timestamp-authority.js';
import { waitFor } from '../fixtures/wait-for.js';
import { makeAnchoredLedger } from '../fixtures/anchored-ledger.js';

const VERIFY_CLI = join(import.meta.dirname, '..', '..', 'dist', 'electron', 'cli', 'watchroom-verify.js');
const HOST_CLI = join(import.meta.dirname, '..', '..', 'dist', 'electron', 'cli', 'watchroom-host.js');

let tsa: TestTsa;
/** A workstation's data folder with 23 entries, checkpoints every 5 (time-stamped), and a mirror. */
let dataDir: string;
let mirror: string;

beforeAll(async () => {
  tsa = await startTestTsa();
  ({ dataDir, mirror } = await makeAnchoredLedger(tsa));
}, 60_000);

afterAll(async () => {
  await tsa?.close();
});

const lines = (dir: string) => readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n');
const writeLines = (dir: string, text: string[]) => writeFileSync(join(dir, 'audit.jsonl'), `${text.join('\n')}\n`);

/** Rewrites entries from `from` on so the chain is valid again, as an attacker with a text editor can. */
function rechain(entries: AuditEntry[], from: number): AuditEntry[] {
  for (let i = from; i < entries.length; i++) {
    entries[i]!.prev = i === 0 ? GENESIS_HASH : entries[i - 1]!.hash;
    entries[i]!.hash = entryHash(entries[i]!);
  }
  return entries;
}

function copyOf(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'watchroom-tampered-')), 'data');
  cpSync(dataDir, dir, { recursive: true });
  return dir;
}

function verifyLedger(dir: string, extra: string[] = []) {
  const r = spawnSync(process.execPath, [VERIFY_CLI, '--ledger', dir, '--json', ...extra], { encoding: 'utf8', timeout: 60_000 });
  const report = JSON.parse(r.stdout) as { ok: boolean; problems: Array<{ code: string; seq: number | null }>; checkpoints: number; timestamps: { present: number; checked: number } };
  return { status: r.status, report, first: report.problems[0] };
}

describe('ledger checkpoints', () => {
  it('are signed, time-stamped by the authority, mirrored, and the intact ledger verifies with standard tools behind it', () => {
    const local = readFileSync(join(dataDir, CHECKPOINTS_FILE), 'utf8');
    expect(readFileSync(join(mirror, CHECKPOINTS_FILE), 'utf8')).toBe(local);
    const checkpoints = local.trim().split('\n').map((l) => JSON.parse(l) as Checkpoint);
    expect(checkpoints.map((c) => c.seq)).toEqual([5, 10, 15, 20, 23]);
    expect(checkpoints.every((c) => typeof c.timestamp === 'string')).toBe(true);
    expect(tsa.answered()).toBe(5);
    // OpenSSL alone confirms a token covers its checkpoint.
    const work = mkdtempSync(join(tmpdir(), 'watchroom-tsr-'));
    writeFileSync(join(work, 'cp.json'), checkpointBody(checkpoints[0]!));
    writeFileSync(join(work, 'cp.tsr'), Buffer.from(checkpoints[0]!.timestamp!, 'base64'));
    const ok = spawnSync('openssl', ['ts', '-verify', '-data', join(work, 'cp.json'), '-in', join(work, 'cp.tsr'), '-CAfile', tsa.caFile], { encoding: 'utf8' });
    expect(ok.stdout).toContain('Verification: OK');

    const intact = verifyLedger(dataDir, ['--mirror', mirror, '--tsa-ca', tsa.caFile]);
    expect(intact.status, JSON.stringify(intact.report)).toBe(0);
    expect(intact.report).toMatchObject({ ok: true, checkpoints: 5, timestamps: { present: 5, checked: 5 } });
  });

  it('tamper corpus: each change is caught by watchroom-verify --ledger, naming the entry', () => {
    const cases: Record<string, [string, number, (dir: string) => void, string[]?]> = {
      'tail cut': ['entries-missing', 21, (d) => writeLines(d, lines(d).slice(0, 20))],
      'entry removed': ['entry-out-of-sequence', 8, (d) => writeLines(d, lines(d).filter((_, i) => i !== 6))],
      'entries reordered': ['entry-out-of-sequence', 12, (d) => {
        const l = lines(d);
        [l[10], l[11]] = [l[11]!, l[10]!];
        writeLines(d, l);
      }],
      'line garbled': ['entry-unreadable', 14, (d) => {
        const l = lines(d);
        l[13] = l[13]!.slice(0, 40) + '#garbled#';
        writeLines(d, l);
      }],
      'old entry edited, no re-chain': ['entry-altered', 3, (d) => writeLines(d, lines(d).map((l) => l.replace('"cam-3"', '"cam-9"')))],
      // The chain is whole again; only the checkpoint (signed, mirrored, time-stamped) contradicts it.
      'old entry edited and the rest re-chained': ['checkpoint-mismatch', 5, (d) => {
        const entries = lines(d).map((l) => JSON.parse(l) as AuditEntry);
        entries[2]!.subject = 'cam-9';
        writeLines(d, rechain(entries, 2).map((e) => JSON.stringify(e)));
      }],
    };
    for (const [name, [code, seq, tamper, extra]] of Object.entries(cases)) {
      const dir = copyOf();
      tamper(dir);
      const { status, report, first } = verifyLedger(dir, extra);
      expect(status, name).toBe(1);
      expect(first, `${name}: ${JSON.stringify(report.problems)}`).toMatchObject({ code, seq });
    }
  });

  it('a rewrite re-chained and re-signed with the stolen workstation key is caught by the mirror and by the time-stamps', () => {
    const dir = copyOf();
    const entries = lines(dir).map((l) => JSON.parse(l) as AuditEntry);
    entries[2]!.subject = 'cam-9';
    rechain(entries, 2);
    writeLines(dir, entries.map((e) => JSON.stringify(e)));
    // The attacker has the key file too: every checkpoint re-made to match, tokens carried over.
    const key = loadOrCreateSigningKey(join(dir, 'keys'));
    const remade = readFileSync(join(dir, CHECKPOINTS_FILE), 'utf8').trim().split('\n').map((l) => {
      const c = JSON.parse(l) as Checkpoint;
      const hash = entries[c.seq - 1]!.hash;
      return JSON.stringify({ ...c, hash, signature: key.sign(checkpointBody({ ...c, hash })).toString('base64') });
    });
    writeFileSync(join(dir, CHECKPOINTS_FILE), `${remade.join('\n')}\n`);

    expect(verifyLedger(dir).status, 'locally the forgery is consistent').toBe(0);
    const withMirror = verifyLedger(dir, ['--mirror', mirror]);
    expect(withMirror.status).toBe(1);
    expect(withMirror.first).toMatchObject({ code: 'checkpoint-differs-from-mirror', seq: 5 });
    const withTimestamps = verifyLedger(dir, ['--tsa-ca', tsa.caFile]);
    expect(withTimestamps.status).toBe(1);
    expect(withTimestamps.first).toMatchObject({ code: 'timestamp-invalid', seq: 5 });
  });

  it('a checkpoint signed by another key, or by nobody, is refused', () => {
    const dir = copyOf();
    const other = loadOrCreateSigningKey(mkdtempSync(join(tmpdir(), 'watchroom-other-key-')));
    const text = readFileSync(join(dir, CHECKPOINTS_FILE), 'utf8').trim().split('\n');
    const c = JSON.parse(text[1]!) as Checkpoint;
    text[1] = JSON.stringify({ ...c, signature: other.sign(checkpointBody(c)).toString('base64') });
    writeFileSync(join(dir, CHECKPOINTS_FILE), `${text.join('\n')}\n`);
    const { status, first } = verifyLedger(dir);
    expect(status).toBe(1);
    expect(first).toMatchObject({ code: 'checkpoint-signature-invalid', seq: 10 });
  });
});

describe('ledger durability', () => {
  it('a malformed line in the middle or at the end never stops the ledger: readers skip it, the chain check names it', async () => {
    const dir = copyOf();
    const l = lines(dir);
    l[9] = 'not json at all';
    writeLines(dir, [...l, '{"seq": "garbled"}']);
    const ledger = new AuditLedger(join(dir, 'audit.jsonl'));
    expect(ledger.list(3).map((e) => e.seq)).toEqual([21, 22, 23]);
    const next = ledger.append(BOB, 'stream.open', 'cam-1');
    expect(next).toMatchObject({ seq: 24, prev: JSON.parse(l[22]!).hash });
    let n = 0;
    for await (const _ of ledger.entries()) n++;
    expect(n).toBe(23); // 24 entries less the one garbled
    expect(await ledger.verify()).toMatchObject({ ok: false, seq: 10 });
    ledger.close();
  });

  it('with its disk full, entries wait in order with their places fixed, actions go on, and all are written when space returns', async () => {
    const mount = mkdtempSync(join(tmpdir(), 'watchroom-ledger-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]);
    try {
      const ledger = new AuditLedger(join(mount, 'audit.jsonl'), { retryMs: 50, maxQueued: 40 });
      const first = ledger.append(ALICE, 'stream.open', 'cam-1');
      const statuses: string[] = [];
      ledger.onStatus((s) => statuses.push(s.state));
      // Fill the disk to the last byte.
      const filler = join(mount, 'filler');
      spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { stdio: 'ignore' });
      const waiting = Array.from({ length: 30 }, (_, i) => ledger.append(ALICE, 'stream.open', `cam-${i + 2}`, { pad: 'x'.repeat(200) }));
      expect(ledger.status()).toMatchObject({ state: 'degraded', problem: 'its disk is full' });
      expect(ledger.status().queued).toBeGreaterThan(0);
      expect(statuses).toContain('degraded');
      // Readers see what waits, where it will be.
      expect(ledger.readAt(waiting[29]!.offset)).toMatchObject({ seq: 31, subject: 'cam-31' });
      expect(ledger.list(1)[0]).toMatchObject({ seq: 31 });
      // Beyond the bound, an action is refused rather than done unrecorded.
      const refused = (() => {
        try {
          for (let i = 0; i < 40; i++) ledger.append(ALICE, 'stream.open', 'cam-x', { pad: 'x'.repeat(200) });
          return null;
        } catch (error) {
          return error as { code: string };
        }
      })();
      expect(refused?.code).toBe('audit.unavailable');

      rmSync(filler);
      await waitFor('the ledger written again', () => ledger.status().state === 'ok' || undefined, 20_000);
      expect(statuses.at(-1)).toBe('ok');
      const onDisk = readFileSync(join(mount, 'audit.jsonl'), 'utf8').trim().split('\n').map((x) => JSON.parse(x) as AuditEntry);
      expect(onDisk[0]).toMatchObject({ seq: first.seq });
      expect(onDisk.map((e) => e.seq)).toEqual(onDisk.map((_, i) => i + 1));
      for (const w of waiting) expect(ledger.readAt(w.offset)).toMatchObject({ seq: w.seq, hash: w.hash });
      expect(await ledger.verify()).toMatchObject({ ok: true });
      ledger.close();
    } finally {
      execFileSync('umount', ['-l', mount]);
    }
  });
});

describe('one process per data folder', () => {
  it('refuses a second core, and a second watchroom-host, on one data folder; a crashed owner’s lock is taken over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchroom-locked-'));
    const core = createCore({ dataDir: dir, appVersion: 'test', shell: 'browser' });
    expect(() => createCore({ dataDir: dir, appVersion: 'test', shell: 'browser' })).toThrow(expect.objectContaining({ code: 'data.in-use' }));
    const second = spawnSync(process.execPath, [HOST_CLI, '--port', '0', '--data', dir, '--no-demo'], { encoding: 'utf8', timeout: 30_000 });
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/Another Watchroom \(process \d+ .*\) is using the data folder/);
    await core.close();
    expect(existsSync(join(dir, 'watchroom.lock'))).toBe(false);

    // A host killed outright leaves its lock; the next start finds its owner gone and takes it.
    const host = spawn(process.execPath, [HOST_CLI, '--port', '0', '--data', dir, '--no-demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    host.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await waitFor('the host listening', () => out.includes('listening') || undefined, 30_000);
    host.kill('SIGKILL');
    await new Promise((resolve) => host.once('exit', resolve));
    expect(existsSync(join(dir, 'watchroom.lock'))).toBe(true);
    const again = createCore({ dataDir: dir, appVersion: 'test', shell: 'browser' });
    await again.close();
  });
});

/** The audit status once the start-up check of the ledger has run. */
const ledgerChecked = (api: Pick<WatchroomApi, 'getAuditStatus'>) =>
  waitFor('the ledger checked', async () => {
    const s = await api.getAuditStatus();
    return s.check?.state !== 'running' ? s : undefined;
  }, 30_000);

describe('start-up check of the ledger', () => {
  it('starts with a garbled line in the middle and at the end, sets each aside once, records what it found, and records footage as usual', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchroom-garbled-'));
    const first = createCore({ dataDir: dir, appVersion: 'test', shell: 'browser', checkpointEvery: { entries: 3 } });
    await first.ready;
    for (let i = 0; i < 6; i++) await first.system.savePreset({ name: `Preset ${i}` });
    await first.close();
    // After the last checkpoint (the shutdown one), a line garbled in the middle and one at the end.
    const ledgerFile = join(dir, 'audit.jsonl');
    const l = readFileSync(ledgerFile, 'utf8').trim().split('\n');
    writeFileSync(ledgerFile, `${[...l, l.at(-1)!.replace('"system"', '"sys\u0000tem"').slice(0, 30), ...l.slice(-1)].join('\n')}\n{broken\n`);

    // The first start finds them; the second checks from the first's shutdown checkpoint, past them.
    for (const [start, found] of [[1, 'problems'], [2, 'ok']] as const) {
      const core = createCore({ dataDir: dir, appVersion: 'test', shell: 'browser' });
      await core.ready; // recording starts: no recording.start-failed
      const api = core.system;
      const status = await ledgerChecked(api);
      expect(status, `start ${start}`).toMatchObject({ state: 'ok', check: { state: found } });
      const entries = await api.listAudit({ limit: 50 });
      expect(entries.filter((e) => e.action === 'audit.line-set-aside'), `start ${start}`).toHaveLength(2);
      expect(entries.filter((e) => e.action === 'audit.checked').at(-1)?.details).toMatchObject({ ok: found === 'ok' });
      await core.close();
    }
  }, 90_000);

  it('trusts, at the next start, the entries of a run killed before its first regular checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchroom-killed-run-'));
    const first = createCore({ dataDir: dir, appVersion: 'test', shell: 'browser' });
    await first.ready;
    await first.system.savePreset({ name: 'Before' });
    await first.close(); // the shutdown checkpoint
    const seqOf = (line: string | undefined) => (line ? (JSON.parse(line) as { seq: number }).seq : 0);
    const lastLine = (file: string) => readFileSync(join(dir, file), 'utf8').trim().split('\n').at(-1);
    const stoppedAt = seqOf(lastLine('audit.jsonl'));
    // A run that writes entries, has its first one checkpointed, and is killed outright.
    const host = spawn(process.execPath, [HOST_CLI, '--port', '0', '--data', dir, '--no-demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await waitFor('the run’s first entry checkpointed', () => seqOf(lastLine(CHECKPOINTS_FILE)) > stoppedAt || undefined, 30_000);
    host.kill('SIGKILL');
    await new Promise((resolve) => host.once('exit', resolve));
    expect(seqOf(lastLine('audit.jsonl'))).toBeGreaterThan(stoppedAt);

    const core = createCore({ dataDir: dir, appVersion: 'test', shell: 'browser' });
    const status = await ledgerChecked(core.system);
    expect(status.check).toMatchObject({ state: 'ok', problems: [] });
    expect((await core.system.listAudit({ limit: 50 })).some((e) => e.action === 'audit.entries-set-aside')).toBe(false);
    await core.close();
  });

  it('sets aside entries written while Watchroom was stopped, however well they are chained', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchroom-stopped-'));
    const first = createCore({ dataDir: dir, appVersion: 'test', shell: 'browser' });
    await first.ready;
    await first.system.savePreset({ name: 'Before' });
    await first.close(); // the shutdown checkpoint
    // Someone with the file, no key: a capture entry for footage of their choosing, chained correctly.
    const ledgerFile = join(dir, 'audit.jsonl');
    const last = JSON.parse(readFileSync(ledgerFile, 'utf8').trim().split('\n').at(-1)!) as AuditEntry;
    const body = { seq: last.seq + 1, at: new Date().toISOString(), actor: 'system', action: 'segment.closed', subject: 'cam-x', details: { path: 'cam-x/2026-12-01/1-2.ts', sha256: 'a'.repeat(64) }, prev: last.hash };
    writeFileSync(ledgerFile, `${JSON.stringify({ ...body, hash: entryHash(body) })}\n`, { flag: 'a' });

    const core = createCore({ dataDir: dir, appVersion: 'test', shell: 'browser' });
    const api = core.system;
    const status = await ledgerChecked(api);
    expect(status.check).toMatchObject({ state: 'problems', problems: [`Entries ${last.seq + 1} to ${last.seq + 1} were written while Watchroom was stopped: they are set aside and trusted for nothing.`] });
    expect((await api.listAudit({ limit: 10 })).find((e) => e.action === 'audit.entries-set-aside')?.details).toMatchObject({ fromSeq: last.seq + 1, toSeq: last.seq + 1, entries: 1 });
    await core.close();
  });
});
