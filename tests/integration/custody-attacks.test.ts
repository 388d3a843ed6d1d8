/**
 * The custody code attacked from outside: someone with write access to the data folder, a package, or
 * a recordings share; another process on the same folder; an operator with the browser shell's
 * token. Each test is one weakness found by reading and trying the code, written to FAIL until it is
 * fixed: the comment says the attack and the safe behaviour expected. Real parts throughout: a real
 * ledger and checkpoints, a real RFC 3161 authority (OpenSSL), the built watchroom-verify CLI (run
 * `npm run build` first), a real host, real tmpfs, real cameras and ffmpeg.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
const ALICE = { name: 'alice', role: 'investigator' as const };
const BOB = { name: 'bob', role: 'operator' as const };
import { createHash, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, openSync, closeSync, constants, readFileSync, renameSync, rmSync, statfsSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/api.js';
import type { ExportJob } from '../../shared/evidence.js';
import { AuditLedger, entryHash, GENESIS_HASH } from '../../electron/core/audit/audit-ledger.js';
import { checkLedger } from '../../electron/core/audit/ledger-check.js';
import { CHECKPOINTS_FILE, LedgerCheckpoints, checkpointBody, checkpointDigest, readCheckpoints, type Checkpoint } from '../../electron/core/audit/ledger-checkpoints.js';
import { requestTimestamp } from '../../electron/core/audit/timestamp-authority.js';
import { lockDataDir } from '../../electron/core/data-lock.js';
import { verifyPackage } from '../../electron/core/evidence/package-verifier.js';
import { canonicalJson } from '../../electron/core/canonical-json.js';
import { createCore } from '../../electron/core/core.js';
import { loadOrCreateSigningKey } from '../../electron/core/evidence/signing-key.js';
import { createLogger } from '../../electron/core/logger.js';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { startTestTsa, type TestTsa } from '../fixtures/timestamp-authority.js';
import { waitFor } from '../fixtures/wait-for.js';
import { makeAnchoredLedger } from '../fixtures/anchored-ledger.js';

const VERIFY_CLI = join(import.meta.dirname, '..', '..', 'dist', 'electron', 'cli', 'watchroom-verify.js');
const logger = createLogger({ file: join(tmpdir(), 'watchroom-attack-test.log'), echo: false, secrets: () => [] });

let tsa: TestTsa;
/** A genuine workstation data folder: 23 entries, a time-stamped checkpoint every 5 and at close, mirrored. */
let dataDir: string;
let mirror: string;

beforeAll(async () => {
  tsa = await startTestTsa();
  ({ dataDir, mirror } = await makeAnchoredLedger(tsa));
}, 60_000);

afterAll(async () => {
  await tsa?.close();
});

const ledgerLines = (dir: string) => readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n');
const entriesOf = (dir: string) => ledgerLines(dir).map((l) => JSON.parse(l) as AuditEntry);
const writeEntries = (dir: string, entries: AuditEntry[]) => writeFileSync(join(dir, 'audit.jsonl'), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));

/** What anyone who can write the file can do: fix every hash and link from `from` on. */
function rechain(entries: AuditEntry[], from: number): AuditEntry[] {
  for (let i = from; i < entries.length; i++) {
    entries[i]!.prev = i === 0 ? GENESIS_HASH : entries[i - 1]!.hash;
    entries[i]!.hash = entryHash(entries[i]!);
  }
  return entries;
}

function copyOfData(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'watchroom-forged-')), 'data');
  cpSync(dataDir, dir, { recursive: true });
  return dir;
}

/** Entry 3 edited ("cam-3" → "cam-9") and everything after it re-chained: a whole, valid chain. */
function editAndRechain(dir: string): AuditEntry[] {
  const entries = entriesOf(dir);
  entries[2]!.subject = 'cam-9';
  writeEntries(dir, rechain(entries, 2));
  return entries;
}

/** With the stolen key: every checkpoint re-signed over the forged hashes; `change` alters the rest. */
function resignCheckpoints(dir: string, entries: AuditEntry[], change: (c: Checkpoint) => Checkpoint = (c) => c): void {
  const key = loadOrCreateSigningKey(join(dir, 'keys'));
  const remade = readCheckpoints(join(dir, CHECKPOINTS_FILE)).map((c) => {
    const next = change({ ...c!, hash: entries[c!.seq - 1]!.hash });
    return JSON.stringify({ ...next, signature: key.sign(checkpointBody(next)).toString('base64') });
  });
  writeFileSync(join(dir, CHECKPOINTS_FILE), `${remade.join('\n')}\n`);
}

const check = (dir: string, extra: { mirrorFile?: string; timestampCaFile?: string } = {}) =>
  checkLedger({ ledgerFile: join(dir, 'audit.jsonl'), checkpointsFile: join(dir, CHECKPOINTS_FILE), publicKeyPem: readFileSync(join(dir, 'keys', 'signing-key.pub.pem'), 'utf8'), ...extra });

describe('ledger history forged or hidden', () => {
  it('the untouched ledger is intact with every anchor (the baseline the attacks below start from)', async () => {
    expect((await check(dataDir, { mirrorFile: join(mirror, CHECKPOINTS_FILE), timestampCaFile: tsa.caFile })).ok).toBe(true);
  });

  // ATTACK (no key needed): edit an old entry, re-chain the rest, delete audit-checkpoints.jsonl.
  // Today the check then has no checkpoint to hold the chain to and says INTACT, even with --tsa-ca:
  // the signed checkpoints that the README says catch a re-chained edit are simply removed.
  // SAFE: a ledger that was checkpointed cannot lose its checkpoints silently (e.g. the ledger
  // records each checkpoint it takes, or a ledger longer than the checkpoint interval / with a
  // shutdown entry but no checkpoint at all is a problem), so the check is not ok.
  it('an edit re-chained with the checkpoints file deleted is not intact (no key needed)', async () => {
    const dir = copyOfData();
    editAndRechain(dir);
    rmSync(join(dir, CHECKPOINTS_FILE));
    const report = await check(dir, { timestampCaFile: tsa.caFile });
    expect(report.ok, 'the forged ledger was reported intact').toBe(false);
  });

  // ATTACK (stolen key, authority reachable): rewrite days-old history, re-chain it, re-make every
  // checkpoint NOW with a fresh, perfectly genuine RFC 3161 token. The check compares a token's time
  // only with its checkpoint's own `at`, which the forger sets to now, so --tsa-ca says INTACT.
  // A time-stamp proves only "this head existed at time T"; it anchors history only if T is compared
  // with when the checkpointed entry says it happened (checkpoints are taken within minutes of it).
  // SAFE: a token dated far later than the entry it checkpoints (beyond the checkpoint interval plus
  // slack) is a problem, so a history re-made later cannot borrow today's time-stamps.
  it('a history re-made later, with fresh genuine time-stamps, is not intact with --tsa-ca', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchroom-remade-'));
    const key = loadOrCreateSigningKey(join(dir, 'keys'));
    const threeDaysAgo = Date.now() - 3 * 86_400_000;
    const entries: AuditEntry[] = [];
    const offsets: number[] = [];
    let offset = 0;
    for (let seq = 1; seq <= 12; seq++) {
      const body = { seq, at: new Date(threeDaysAgo + seq * 60_000).toISOString(), actor: 'alice', action: 'recording.view', subject: `cam-${seq}`, details: { i: seq }, prev: entries.at(-1)?.hash ?? GENESIS_HASH };
      const entry = { ...body, hash: entryHash(body) } as AuditEntry;
      entries.push(entry);
      offsets.push(offset);
      offset += Buffer.byteLength(`${JSON.stringify(entry)}\n`);
    }
    writeEntries(dir, entries);
    const lines: string[] = [];
    for (const seq of [5, 10, 12]) {
      const unsigned = { seq, hash: entries[seq - 1]!.hash, offset: offsets[seq - 1]!, at: new Date().toISOString(), key: key.fingerprint };
      const c: Checkpoint = { ...unsigned, signature: key.sign(checkpointBody(unsigned)).toString('base64') };
      c.timestamp = (await requestTimestamp(tsa.url, checkpointDigest(c))).toString('base64');
      lines.push(JSON.stringify(c));
    }
    writeFileSync(join(dir, CHECKPOINTS_FILE), `${lines.join('\n')}\n`);
    const report = await check(dir, { timestampCaFile: tsa.caFile });
    expect(report.timestamps).toEqual({ present: 3, checked: 3 });
    expect(report.ok, 'entries of three days ago anchored by time-stamps of today').toBe(false);
  });

  // ATTACK (stolen key): the README's re-signed rewrite, but the tokens are dropped and each
  // checkpoint says `timestampProblem: "…HTTP 503"` as a real outage would. `if (!c.timestamp)
  // continue` lets every checkpoint through, so --tsa-ca reports INTACT while nothing was checked.
  // SAFE: when the check is asked to hold the ledger to an authority (--tsa-ca), checkpoints
  // without a token are problems (the chain is only anchored up to the last time-stamped one).
  it('a re-signed rewrite with its time-stamps stripped is not intact with --tsa-ca', async () => {
    const dir = copyOfData();
    const entries = editAndRechain(dir);
    resignCheckpoints(dir, entries, ({ timestamp: _dropped, ...c }) => ({ ...c, timestampProblem: 'the time-stamp authority answered HTTP 503' }));
    const report = await check(dir, { timestampCaFile: tsa.caFile });
    expect(report.timestamps.checked).toBe(0);
    expect(report.ok, 'INTACT with --tsa-ca although no time-stamp was checked').toBe(false);
  });

  // ATTACK: the mirror folder given is empty (the share remounted empty, wiped, or simply the wrong
  // folder). The CLI says "held against the mirror" and INTACT for a rewrite re-signed with the
  // stolen key: a mirror without the checkpoints file reads as "no checkpoints", never as missing.
  // SAFE: checkpoints the workstation has and the mirror lacks (beyond a recent tail) are problems,
  // and a --mirror folder with no checkpoints file at all is refused or reported, never INTACT.
  it('watchroom-verify --ledger --mirror EMPTY does not say INTACT for a re-signed rewrite', () => {
    const dir = copyOfData();
    resignCheckpoints(dir, editAndRechain(dir));
    const empty = mkdtempSync(join(tmpdir(), 'watchroom-empty-mirror-'));
    const r = spawnSync(process.execPath, [VERIFY_CLI, '--ledger', dir, '--mirror', empty], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout).toContain('held against the mirror');
    expect(r.status, r.stdout).toBe(1);
    expect(r.stdout).not.toContain('INTACT');
  });

  // ATTACK (data-folder write): delete audit-checkpoints.jsonl while the app runs. The mirror is
  // topped up by LINE COUNT (`local.slice(have)`), so once the local file restarts at one line the
  // mirror, which already holds more, receives nothing until the new local file outgrows it: the
  // next checkpoints (here: all of them) never leave the disk the attacker controls.
  // SAFE: the mirror receives every checkpoint it does not hold, compared by entry number (seq).
  it('checkpoints taken after the local checkpoints file was deleted still reach the mirror', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchroom-mirror-count-'));
    const mirrorDir = mkdtempSync(join(tmpdir(), 'watchroom-mirror-count-m-'));
    const key = loadOrCreateSigningKey(join(dir, 'keys'));
    const ledger = new AuditLedger(join(dir, 'audit.jsonl'));
    const checkpoints = new LedgerCheckpoints({ ledger, dataDir: dir, key: () => key, logger, mirrorDir, everyEntries: 1_000_000 });
    try {
      for (let i = 1; i <= 3; i++) {
        ledger.append(ALICE, 'recording.view', `cam-${i}`);
        await checkpoints.take();
      }
      expect(readCheckpoints(join(mirrorDir, CHECKPOINTS_FILE)).map((c) => c?.seq)).toEqual([1, 2, 3]);
      rmSync(join(dir, CHECKPOINTS_FILE));
      for (let i = 4; i <= 5; i++) {
        ledger.append(ALICE, 'recording.view', `cam-${i}`);
        await checkpoints.take();
      }
      expect(readCheckpoints(join(dir, CHECKPOINTS_FILE)).map((c) => c?.seq)).toEqual([4, 5]);
      expect(readCheckpoints(join(mirrorDir, CHECKPOINTS_FILE)).map((c) => c?.seq), 'checkpoints 4 and 5 never reached the mirror').toEqual([1, 2, 3, 4, 5]);
    } finally {
      await checkpoints.close();
      ledger.close();
    }
  });
});

describe('the ledger at start-up', () => {
  // ATTACK (data-folder write, NO key): after a re-chained edit (which the start-up check reports
  // as checkpoint-mismatch), append one unsigned line to audit-checkpoints.jsonl with offset -1.
  // lastCheckpoint() takes the newest line that parses, without its signature, as where to start;
  // createReadStream({ start: -1 }) throws, checkLedger rejects, the .catch only logs, and the
  // status stays { check: 'running' } for ever: the banner never shows the problems it had found.
  // SAFE: start-up starts from the newest checkpoint whose signature holds (or the genesis), and a
  // check that cannot run ends as "problems" saying so, never as a silent "running".
  it('one unsigned checkpoint line with a bad offset does not silence the start-up check', async () => {
    const startUpCheck = async (dir: string) => {
      const core = createCore({ dataDir: dir, appVersion: 'test', shell: 'browser' });
      try {
        const status = await waitFor('the start-up check to end', async () => {
          const now = await core.system.getAuditStatus();
          return now.check && now.check.state !== 'running' ? now : undefined;
        }, 20_000).catch(() => null);
        return status?.check?.state ?? 'still running';
      } finally {
        await core.close();
      }
    };
    const dir = copyOfData();
    editAndRechain(dir);
    const control = join(mkdtempSync(join(tmpdir(), 'watchroom-control-')), 'data');
    cpSync(dir, control, { recursive: true });
    expect(await startUpCheck(control), 'without the extra line the edit is reported').toBe('problems');
    writeFileSync(join(dir, CHECKPOINTS_FILE), `${JSON.stringify({ seq: 23, hash: 'f'.repeat(64), offset: -1, at: new Date().toISOString(), key: 'forged', signature: 'AA==' })}\n`, { flag: 'a' });
    expect(await startUpCheck(dir), 'the start-up check never ended').toBe('problems');
  });

  // ATTACK (data-folder write, NO key): append one line whose seq is Number.MAX_SAFE_INTEGER. At
  // start-up the ledger continues from the newest line that parses, so every entry after it is
  // numbered 2^53 and up, which parseEntry rejects: every reader skips them, readAt() returns null,
  // and from then on each export is refused as export.footage-unproven (its capture entries cannot be
  // read back) until someone edits the ledger by hand.
  // SAFE: the ledger never writes an entry it cannot read back (start-up refuses or sets aside a
  // last line it cannot continue, or continues from the last entry whose chain holds).
  it('an entry appended after a forged last line can be read back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchroom-max-seq-'));
    const file = join(dir, 'audit.jsonl');
    const genuine = new AuditLedger(file);
    const first = genuine.append(ALICE, 'recording.view', 'cam-1');
    genuine.close();
    const body = { seq: Number.MAX_SAFE_INTEGER, at: new Date().toISOString(), actor: 'system', action: 'audit.note', subject: 'audit', prev: first.hash };
    writeFileSync(file, `${JSON.stringify({ ...body, hash: entryHash(body) })}\n`, { flag: 'a' });
    const ledger = new AuditLedger(file);
    try {
      const next = ledger.append('system', 'segment.closed', 'cam-1', { path: 'cam-1/x.ts', sha256: '0'.repeat(64) });
      expect(ledger.readAt(next.offset), `entry ${next.seq} was written but cannot be read back`).toMatchObject({ action: 'segment.closed' });
    } finally {
      ledger.close();
    }
  });
});

describe('one process per data folder', () => {
  // ATTACK: one process, one data folder named two ways (a symlink, or relative and absolute).
  // `held` is keyed by the path string, so the second lock finds "our own pid" in the file, takes it
  // for a previous process's and removes it: two cores write one ledger (the fork the lock exists to
  // prevent), and releasing either removes the other's lock. SAFE: the folder is identified by what
  // it is (realpath, or device + inode), and the second lock is refused with data.in-use.
  it('refuses a second lock on the same folder reached through a symlink', () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchroom-lock-'));
    const alias = join(mkdtempSync(join(tmpdir(), 'watchroom-lock-alias-')), 'data');
    symlinkSync(dir, alias);
    const release = lockDataDir(dir);
    let second: (() => void) | null = null;
    try {
      expect(() => (second = lockDataDir(alias))).toThrow(expect.objectContaining({ code: 'data.in-use' }));
    } finally {
      (second as (() => void) | null)?.();
      release();
    }
  });
});

/** A process that takes the data lock the moment `go` appears, says whether it got it, and holds it until `done` appears. */
const LOCK_CHILD = `
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const { lockDataDir } = await import(process.argv[3]);
const dir = process.argv[2];
console.log('ready');
while (!existsSync(join(dir, 'go'))) {} // all start together
try {
  const release = lockDataDir(dir);
  console.log('got');
  const held = setInterval(() => { if (existsSync(join(dir, 'done'))) { clearInterval(held); release(); } }, 50);
} catch (error) {
  console.log('refused: ' + String(error?.code ?? error)); // anything but data.in-use is a fault to see
}
`;

describe('one process per data folder, started together', () => {
  // ATTACK (or just two launches at once: a double-click, a service restart racing a user): the lock
  // file is made empty by open(O_EXCL) and only then written; a second process that reads it in
  // between finds it "unreadable: a crash while it was being written; nobody holds it", removes it
  // and makes its own. The same check-then-remove also races when two processes take over a dead
  // owner's lock: one removes the lock the other has just made. Measured: 6 processes released
  // together got 4 or 5 owners within the first two rounds, in each of three runs.
  // SAFE: exactly one owner, always (e.g. the lock written to a temporary file and link()ed into
  // place, so it is never seen empty; a take-over that renames the stale lock away atomically, or
  // flock on an open descriptor).
  it('never gives one data folder two owners, over repeated simultaneous starts', async () => {
    const dist = join(import.meta.dirname, '..', '..', 'dist', 'electron', 'core', 'data-lock.js');
    const script = join(mkdtempSync(join(tmpdir(), 'watchroom-lock-race-')), 'child.mjs');
    writeFileSync(script, LOCK_CHILD);
    for (let round = 0; round < 10; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'watchroom-lock-race-'));
      if (round % 2 === 1) writeFileSync(join(dir, 'watchroom.lock'), JSON.stringify({ pid: 2 ** 22 + 1, host: hostname(), since: 'a crash' }));
      const kids = Array.from({ length: 6 }, () => spawn(process.execPath, [script, dir, pathToFileURL(dist).href], { stdio: ['ignore', 'pipe', 'inherit'] }));
      const said = kids.map(() => [] as string[]);
      kids.forEach((k, i) => k.stdout.on('data', (c: Buffer) => said[i]!.push(...c.toString().trim().split('\n'))));
      const ended = Promise.all(kids.map((k) => new Promise((resolve) => k.once('close', resolve))));
      await waitFor('every process ready', () => said.every((s) => s.includes('ready')) || undefined, 30_000);
      writeFileSync(join(dir, 'go'), '');
      // The owner holds on until every other process has had its answer, however slow the machine.
      await waitFor('every process answered', () => said.every((s) => s.includes('got') || s.some((line) => line.startsWith('refused'))) || undefined, 60_000);
      writeFileSync(join(dir, 'done'), '');
      await ended;
      const owners = said.filter((s) => s.includes('got')).length;
      for (const s of said) expect(s.filter((line) => line.startsWith('refused')).every((line) => line === 'refused: data.in-use'), s.join(' ')).toBe(true);
      expect(owners, `round ${round} (${round % 2 ? 'a dead owner’s lock' : 'no lock'}): ${owners} processes hold the data folder`).toBe(1);
    }
  }, 300_000); // sixty Node processes in all: slow on a busy machine, and not a figure this test judges
});

describe('a hostile package', () => {
  // ATTACK: a package whose manifest.json is valid canonical JSON but has `files` (or `cameras`) of
  // the wrong type. verifyPackage throws a TypeError (`.map is not a function`) instead of reporting:
  // the CLI prints "could not finish", the app answers 500 and enters NO evidence.verify in the
  // ledger, so a recipient's check of a doctored package leaves no trace. SAFE: a report with
  // outcome failed (manifest malformed), like any other broken manifest.
  it('a manifest with fields of the wrong type gives a failed report, not an exception', async () => {
    for (const manifest of [{ format: 'watchroom-evidence/1', files: 'all of them' }, { format: 'watchroom-evidence/1', files: [], cameras: { id: 'x' } }]) {
      const dir = mkdtempSync(join(tmpdir(), 'watchroom-odd-manifest-'));
      writeFileSync(join(dir, 'manifest.json'), canonicalJson(manifest));
      mkdirSync(join(dir, 'custody'));
      writeFileSync(join(dir, 'custody', 'audit-extract.jsonl'), '');
      const report = await verifyPackage(dir, new Set()).catch((error: unknown) => ({ threw: String(error) }));
      expect(report, JSON.stringify(manifest)).toMatchObject({ outcome: 'failed' });
    }
  });
});

/**
 * One upload; its HTTP status. A refused upload's connection is closed while the body is still being
 * sent, and the client may reuse that socket for the next request: a reset is tried again.
 */
async function put(url: string, cookie: string, size: number): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await fetch(url, { method: 'PUT', headers: { cookie, connection: 'close' }, body: new Uint8Array(size).fill(7) })).status;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

describe('a hostile package folder', () => {
  // ATTACK: a "package" whose tree is folders, not files. The walk limits count files only, and
  // depth; folders are walked without limit, so 8 levels of 10 empty folders each (10^8 readdir
  // calls, a tree any zip can carry) keep the verifier, and the app's verify call, busy for hours.
  // Shown here with 10,001 empty folders, more entries than PACKAGE_LIMITS.files allows.
  // SAFE: every entry walked (folders too) counts against the limit, and the walk stops with
  // package-too-large.
  it('stops walking at the entry limit when the entries are folders', async () => {
    // On a tmpfs of its own: removing 10,001 folders from the shared disk takes longer than the test.
    const dir = mkdtempSync(join(tmpdir(), 'watchroom-folder-bomb-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', dir]);
    try {
      writeFileSync(join(dir, 'manifest.json'), canonicalJson({ format: 'watchroom-evidence/1' }));
      for (let i = 0; i <= 10_000; i++) mkdirSync(join(dir, `d${i}`));
      const report = await verifyPackage(dir, new Set());
      expect(report.failures.map((f) => f.code)).toContain('package-too-large');
    } finally {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('uploads and the disk the ledger shares', () => {
  let mount: string;
  let h: TestHost | undefined;
  afterAll(async () => {
    await h?.host.close();
    await h?.core.close();
    spawnSync('umount', ['-l', mount]);
    rmSync(mount, { recursive: true, force: true });
  });

  // ATTACK (an operator with the host's token, or any page holding its cookie): upload package
  // files under fresh upload ids, each within the per-file limit, until the disk is full. Only the
  // upload that hits ENOSPC is removed; the rest stay a day. The data folder's disk (ledger,
  // recordings, exports) is left with less than one file's worth free, and the audit ledger can no
  // longer be written: auditing degrades and exports are refused, from an upload "for checking".
  // SAFE: uploads are bounded in total (and by a free-space reserve), refused with 507/413 while
  // the ledger can still take its entries.
  it('uploads cannot fill the data folder’s disk until the audit ledger can no longer be written', async () => {
    mount = mkdtempSync(join(tmpdir(), 'watchroom-upload-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mount]);
    h = await startTestHost({ dataDir: join(mount, 'data'), maxReceivedFileBytes: 512 * 1024 });
    await h.core.ready;
    const cookie = `watchroom_token_${h.host.port}=${h.token}`;
    const brokenPackage = join(h.dataDir, 'received', randomUUID(), 'WR-0');
    mkdirSync(brokenPackage, { recursive: true });
    writeFileSync(join(brokenPackage, 'manifest.json'), '{}');
    // Large files until one is refused, then small ones to top up, as an attacker would.
    const refusals: string[] = [];
    for (const size of [512 * 1024, 4096]) {
      for (let i = 0; i < 200; i++) {
        const status = await put(`${h.baseUrl}/received/${randomUUID()}/WR-1/master/${i}.mp4`, cookie, size);
        if (status !== 200) {
          refusals.push(`${size} B: ${status}`);
          break;
        }
      }
    }
    const free = statfsSync(mount);
    // Actions that only write the ledger: each verification is entered in it (the folder is set up
    // as a broken package before the disk fills, so it is verified rather than refused).
    for (let i = 0; i < 50; i++) await h.api.verifyPackage({ path: brokenPackage });
    expect(await h.api.getAuditStatus(), `free after uploads: ${free.bavail * free.bsize} bytes; refused: ${refusals.join(', ')}`).toMatchObject({ state: 'ok', queued: 0 });
  }, 120_000);
});

describe('footage on a recordings share', () => {
  let h: TestHost;
  let cameraId: string;
  let range: { fromMs: number; toMs: number };
  beforeAll(async () => {
    h = await startTestHost();
    await h.core.ready;
    const cam = await startTestCamera({ codec: 'h264', label: 'Attack 1' });
    cameraId = (await h.api.addCamera({ name: 'Share', url: cam.url })).id;
    const index = h.core.recordings.index;
    const first = await waitFor('a closed segment', () => index.segments(cameraId, 0, Date.now() + 60_000)[0], 40_000);
    range = { fromMs: first.startMs + 500, toMs: first.startMs + 3_000 };
    await waitFor('footage past the range', () => index.segments(cameraId, 0, Date.now() + 60_000).some((s) => s.endMs >= range.toMs) || undefined, 40_000);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await stopAllTestCameras();
  });

  // ATTACK (write access to the recordings folder only, e.g. a share): replace the first segment of
  // a range with a named pipe. Before any proven read, buildPackage calls keyframeOffsetsOfFile,
  // which is a plain readFile: it follows links and waits on a pipe for ever. The export never ends;
  // cancelling only aborts a signal nothing checks while readFile waits, so the job stays "running";
  // ExportJobs.close() (the app's shutdown) waits for it; and one of libuv's four threads stays
  // blocked. A link to /dev/zero instead makes readFile read up to 2 GB into memory.
  // SAFE: the keyframes are read through openRegular (or from the proven bytes), so the export ends
  // promptly as failed (export.footage-changed / not a regular file), and cancel always ends it.
  it('an export whose first segment was replaced by a named pipe ends as failed instead of hanging', async () => {
    const victim = h.core.recordings.index.segments(cameraId, range.fromMs, range.toMs)[0]!;
    const file = join(h.core.recordings.root, victim.path);
    const original = `${file}.original`;
    renameSync(file, original);
    execFileSync('mkfifo', [file]);
    let job: ExportJob | null = null;
    try {
      job = await h.api.startExport({ cameraIds: [cameraId], ...range, reason: 'attack test', caseReference: 'C-FIFO', recipient: null, workingCopy: false });
      const ended = await waitFor('the export to end', async () => {
        const now = await h.api.getExport({ id: job!.id });
        return now.state === 'running' ? undefined : now;
      }, 30_000).catch(() => null);
      expect(ended?.state, 'the export was still running 30 s later, blocked on the pipe').toBe('failed');
    } finally {
      if (job) await h.api.cancelExport({ id: job.id }).catch(() => undefined);
      // Release the thread blocked in open(): a writer that closes at once gives readFile its end.
      closeSync(openSync(file, constants.O_RDWR | constants.O_NONBLOCK));
      rmSync(file, { force: true });
      renameSync(original, file);
    }
  }, 90_000);
});

describe('a capture entry written after the fact', () => {
  let h: TestHost;
  let cameraId: string;
  beforeAll(async () => {
    h = await startTestHost();
    await h.core.ready;
    const cam = await startTestCamera({ codec: 'h264', label: 'Attack 2' });
    cameraId = (await h.api.addCamera({ name: 'Yard', url: cam.url })).id;
    const index = h.core.recordings.index;
    await waitFor('three closed segments', () => index.segments(cameraId, 0, Date.now() + 60_000).length >= 3 || undefined, 60_000);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await stopAllTestCameras();
  });

  // ATTACK (data-folder write, NO key, no SQLite tools): with the app stopped, overwrite a recorded
  // segment with other footage, append ONE correctly chained `segment.closed` line for that path
  // carrying the new file's SHA-256 (anyone can compute the chain), and delete recordings.sqlite.
  // At start-up the reconciler re-indexes every file and takes the LAST capture entry it finds for a
  // path (`found.set` in captureHashes), i.e. the forged one; the app continues the chain from it and
  // later checkpoints anchor it. The export then "proves" the swapped footage, and the package
  // verifies as VERIFIED with the workstation's own signature (and watchroom-verify --ledger is
  // INTACT). Only a direct SQLite edit of ledger_offset is needed otherwise.
  // SAFE: a segment's capture entry is the FIRST segment.closed for its path (written when it closed);
  // a later one is never accepted as proof (reconcile and export refuse, or flag, a second capture
  // entry), so the export ends with export.footage-changed / footage-unproven.
  it('footage swapped with a forged capture entry appended to the ledger is not exported', async () => {
    const before = h.core.recordings.index.segments(cameraId, 0, Date.now() + 60_000);
    const victim = before[0]!;
    const other = before[2]!;
    const root = h.core.recordings.root;
    const dataDir = h.dataDir;
    await h.host.close();
    await h.core.close();

    const swapped = readFileSync(join(root, other.path));
    writeFileSync(join(root, victim.path), swapped);
    const ledgerFile = join(dataDir, 'audit.jsonl');
    const last = JSON.parse(readFileSync(ledgerFile, 'utf8').trim().split('\n').at(-1)!) as AuditEntry;
    const sha = createHash('sha256').update(swapped).digest('hex');
    const body = { seq: last.seq + 1, at: new Date().toISOString(), actor: 'system', action: 'segment.closed', subject: cameraId, details: { path: victim.path, sha256: sha, startMs: victim.startMs, endMs: victim.endMs, bytes: swapped.length }, prev: last.hash };
    writeFileSync(ledgerFile, `${JSON.stringify({ ...body, hash: entryHash(body) })}\n`, { flag: 'a' });
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `recordings.sqlite${suffix}`), { force: true });

    h = await startTestHost({ dataDir });
    await h.core.ready;
    const job = await h.api.startExport({ cameraIds: [cameraId], fromMs: victim.startMs, toMs: victim.endMs, reason: 'attack test', caseReference: 'C-FORGED', recipient: null, workingCopy: false });
    const ended = await waitFor('the export to end', async () => {
      const now = await h.api.getExport({ id: job.id });
      return now.state === 'running' ? undefined : now;
    }, 60_000);
    const verdict = ended.packagePath ? (await verifyPackage(ended.packagePath, new Set([(await h.api.getSigningKey()).fingerprint]))).outcome : null;
    const ledger = await checkLedger({ ledgerFile, checkpointsFile: join(dataDir, CHECKPOINTS_FILE), publicKeyPem: (await h.api.getSigningKey()).publicKeyPem });
    expect(ended.state, `swapped footage exported; its package verifies as: ${verdict}; the ledger check says ok: ${ledger.ok}`).toBe('failed');
  }, 120_000);
});
