/**
 * A recorder keeps the unmasked masters of its masked cameras that a workstation withheld from an
 * export (docs/design/site-exports.md §6): a workstation keeps no footage, so the master goes back
 * to the recorder that recorded it, into `<data>/evidence-store/<packageId>/`, as on one machine.
 *
 * A master arrives pending (`.pending/<packageId>/`, owner-only), hashed as it is written and refused
 * unless it is the bytes its token named; the recorder answers with a signed receipt. Once the
 * package is complete the exporting workstation seals it (moved in beside other kept masters), or
 * discards it if the export failed. Only the workstation that sent a package's masters seals or
 * discards them; once kept, a master is deleted over the network only by that workstation within ten
 * minutes of its seal (its export failed after the seal: another recorder could not seal, or the
 * answer was lost), never later and never by anyone else. Pending files a workstation never came
 * back for are swept after a day. Each step is in the recorder's ledger.
 *
 * Requests run concurrently: a package is claimed before anything is awaited, a master is written
 * under `.part` until its bytes are proven, a seal waits for no upload (it refuses while one runs),
 * and the bytes promised to uploads in progress count against the disk's reserve.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { WatchroomError } from '../../../shared/errors.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import { canonicalJson } from '../canonical-json.js';
import { MAX_RECEIVED_FILE_BYTES, roomForUploads } from '../evidence/received-packages.js';
import type { SigningKey } from '../evidence/signing-key.js';

export const RECEIPT_FORMAT = 'watchroom-master-receipt/1';
/** How long a pending master waits for its workstation to seal or discard it. */
export const PENDING_KEPT_MS = 24 * 3_600_000;
/** How long after its seal the sending workstation may still release a kept master (its export failed after the seal). */
export const RELEASE_WINDOW_MS = 10 * 60_000;
/** A package id as workstations make them (randomUUID: lower-case hex); one test for every door and every file name. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A master's path in its package, as the exporting workstation names it (export-footage.ts `mediaName`). */
export const MASTER_PATH = /^master\/[A-Za-z0-9][A-Za-z0-9._-]{0,199}\.mp4$/;
const SHA256 = /^[0-9a-f]{64}$/;

export const masterReceiptSchema = z.strictObject({
  format: z.literal(RECEIPT_FORMAT),
  packageId: z.string().regex(UUID),
  path: z.string().regex(MASTER_PATH),
  sha256: z.string().regex(SHA256),
  bytes: z.number().int().positive(),
  recorder: z.strictObject({ id: z.string(), fingerprint: z.string() }),
  fromNode: z.string(),
  receivedAtUtc: z.string(),
});
export type MasterReceipt = z.infer<typeof masterReceiptSchema>;

export interface KeptMasters {
  /**
   * Takes `body`, which must be `declared`'s bytes, as a pending master of the package; the signed receipt.
   * `accepted` is called once every check passed, before the body is read: the node server's 100 Continue,
   * so a sender refused is told why before it sends anything.
   */
  receive(fromNode: string, packageId: string, path: string, declared: { sha256: string; bytes: number }, body: Readable, accepted?: () => void): Promise<{ body: Buffer; signature: Buffer }>;
  /** The package is in place (its SHA256SUMS hash `sumsSha256`): what `fromNode` sent for it is kept. */
  seal(fromNode: string, packageId: string, sumsSha256: string): { files: number };
  /** The export did not happen: what `fromNode` sent for it, still pending, is dropped. */
  discard(fromNode: string, packageId: string): { files: number };
  /** Drops pending masters older than PENDING_KEPT_MS. */
  sweep(now?: number): void;
}

const refused = (code: 'evidence.master-refused' | 'evidence.master-exists', message: string) => new WatchroomError(code, message);

/** `.pending/<packageId>/` and the sender it belongs to (`.pending/<packageId>.owner`). */
function pendingStore(storeDir: string) {
  const root = join(storeDir, '.pending');
  const dir = (packageId: string) => join(root, packageId);
  const ownerFile = (packageId: string) => join(root, `${packageId}.owner`);
  /** Masters that arrived whole (a `.part` is one still arriving, or one a crash cut short). */
  const files = (packageId: string) => (existsSync(join(dir(packageId), 'master')) ? readdirSync(join(dir(packageId), 'master')).filter((f) => !f.endsWith('.part')).map((f) => `master/${f}`) : []);
  return {
    root,
    dir,
    files,
    ownerOf: (packageId: string) => (existsSync(ownerFile(packageId)) ? readFileSync(ownerFile(packageId), 'utf8') : null),
    /** Claims the package for `fromNode`; false if another claim was there first. */
    claim(packageId: string, fromNode: string): boolean {
      mkdirSync(root, { recursive: true, mode: 0o700 });
      try {
        writeFileSync(ownerFile(packageId), fromNode, { mode: 0o600, flag: 'wx' });
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error; // the store cannot be written: said as such, not as someone else's claim
      }
    },
    drop(packageId: string) {
      if (!UUID.test(packageId)) return; // never a path of anyone's choosing
      rmSync(dir(packageId), { recursive: true, force: true });
      rmSync(ownerFile(packageId), { force: true });
    },
    /** Packages whose sender last claimed them before `beforeMs` (only `<uuid>.owner` files, not followed through links). */
    staleSince: (beforeMs: number) =>
      existsSync(root)
        ? readdirSync(root)
            .filter((n) => UUID.test(n.slice(0, -'.owner'.length)) && n.endsWith('.owner'))
            .filter((n) => {
              const st = lstatSync(join(root, n));
              return st.isFile() && st.mtimeMs < beforeMs;
            })
            .map((n) => n.slice(0, -'.owner'.length))
        : [],
  };
}

/** What a seal left beside the kept package (`.kept/<packageId>.json`): who sealed it, with which SHA256SUMS hash, when. */
function keptRecords(storeDir: string) {
  const file = (packageId: string) => join(storeDir, '.kept', `${packageId}.json`);
  return {
    write(packageId: string, record: { fromNode: string; sumsSha256: string; keptAt: number }) {
      mkdirSync(join(storeDir, '.kept'), { recursive: true, mode: 0o700 });
      writeFileSync(file(packageId), JSON.stringify(record), { mode: 0o600 });
    },
    read(packageId: string): { fromNode: string; sumsSha256: string; keptAt: number } | null {
      try {
        return JSON.parse(readFileSync(file(packageId), 'utf8')) as { fromNode: string; sumsSha256: string; keptAt: number };
      } catch {
        return null;
      }
    },
    remove: (packageId: string) => rmSync(file(packageId), { force: true }),
  };
}

/** Writes `body` to `file` (a new file, owner-only) if it is exactly `declared`'s bytes; refused otherwise. */
async function writeNamed(file: string, declared: { sha256: string; bytes: number }, body: Readable): Promise<void> {
  const hash = createHash('sha256');
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      hash.update(chunk);
      done(bytes > declared.bytes ? refused('evidence.master-refused', 'The master is larger than its sender said.') : null, chunk);
    },
  });
  await pipeline(body, counted, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  const sha256 = hash.digest('hex');
  if (bytes !== declared.bytes || sha256 !== declared.sha256) throw refused('evidence.master-refused', `The master that arrived (${bytes} bytes, SHA-256 ${sha256}) is not the one named (${declared.bytes} bytes, ${declared.sha256}); nothing was kept.`);
}

function checkArrival(packageId: string, path: string, declared: { sha256: string; bytes: number }): void {
  checkPackage(packageId);
  if (!MASTER_PATH.test(path)) throw refused('evidence.master-refused', `“${path.slice(0, 200)}” is not a master's path in a package.`);
  if (!SHA256.test(declared.sha256) || !Number.isSafeInteger(declared.bytes) || declared.bytes < 1 || declared.bytes > MAX_RECEIVED_FILE_BYTES) throw refused('evidence.master-refused', 'A master is sent with its SHA-256 and its size.');
}
const checkPackage = (packageId: string) => {
  if (!UUID.test(packageId)) throw refused('evidence.master-refused', 'A package is named by a UUID.');
};

/** What receiving masters shares: the store, and the uploads in progress (per package, and the bytes they were allowed). */
interface Uploads {
  deps: { dataDir: string; ledger: AuditLedger; key: () => SigningKey; recorderId: string };
  pending: ReturnType<typeof pendingStore>;
  keptDir(packageId: string): string;
  arriving: Map<string, number>;
  /** The files of uploads in progress (`<package>/<path>`), taken before anything is awaited. */
  files: Set<string>;
  promised: number;
}

async function receiveMaster(u: Uploads, fromNode: string, packageId: string, path: string, declared: { sha256: string; bytes: number }, body: Readable, accepted = () => {}): Promise<{ body: Buffer; signature: Buffer }> {
  const { deps, pending, arriving } = u;
  checkArrival(packageId, path, declared);
  if (existsSync(u.keptDir(packageId))) throw refused('evidence.master-exists', `The recorder already keeps package ${packageId}; a kept master is never replaced or added to.`);
  // Claimed before anything is awaited: two first masters of one package cannot both take it.
  const claimedNow = pending.claim(packageId, fromNode);
  if (pending.ownerOf(packageId) !== fromNode) throw refused('evidence.master-refused', `Package ${packageId}'s masters are being sent by another workstation.`);
  const file = join(pending.dir(packageId), path);
  const upload = `${packageId}/${path}`;
  // Two uploads of one master racing: the second is refused here, before either awaits, and never touches the first's .part.
  if (u.files.has(upload) || existsSync(file) || existsSync(`${file}.part`)) throw refused('evidence.master-exists', `The recorder already holds ${path} of package ${packageId}; a kept master is never replaced.`);
  u.files.add(upload);
  arriving.set(packageId, (arriving.get(packageId) ?? 0) + 1);
  u.promised += declared.bytes;
  try {
    if (u.promised > (await roomForUploads(deps.dataDir))) throw new WatchroomError('export.disk-full', 'The recorder’s disk has no room for this master beyond what its recordings and audit ledger need.');
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    accepted();
    await writeNamed(`${file}.part`, declared, body);
    renameSync(`${file}.part`, file);
  } catch (error) {
    // Nothing of it stays; nor the claim, if this request made it and nothing else of the package is here or arriving.
    rmSync(`${file}.part`, { force: true });
    if (claimedNow && arriving.get(packageId) === 1 && pending.files(packageId).length === 0) pending.drop(packageId);
    throw error;
  } finally {
    u.files.delete(upload);
    u.promised -= declared.bytes;
    const left = arriving.get(packageId)! - 1;
    if (left) arriving.set(packageId, left);
    else arriving.delete(packageId);
  }
  const key = deps.key();
  const receipt: MasterReceipt = { format: RECEIPT_FORMAT, packageId, path, sha256: declared.sha256, bytes: declared.bytes, recorder: { id: deps.recorderId, fingerprint: key.fingerprint }, fromNode, receivedAtUtc: new Date().toISOString() };
  deps.ledger.append('system', 'evidence.master-received', packageId, { packageId, path, sha256: receipt.sha256, bytes: receipt.bytes, fromNode });
  const text = Buffer.from(canonicalJson(receipt));
  return { body: text, signature: key.sign(text) };
}

export function keptMasters(deps: { storeDir: string; dataDir: string; ledger: AuditLedger; key: () => SigningKey; recorderId: string; now?: () => number }): KeptMasters {
  const now = deps.now ?? Date.now;
  const pending = pendingStore(deps.storeDir);
  const records = keptRecords(deps.storeDir);
  const keptDir = (packageId: string) => join(deps.storeDir, packageId);
  const uploads: Uploads = { deps, pending, keptDir, arriving: new Map(), files: new Set(), promised: 0 };
  const arriving = uploads.arriving;
  /** Pending files of a package sent by `fromNode`, after checking it is theirs. */
  const pendingOf = (fromNode: string, packageId: string): string[] => {
    checkPackage(packageId);
    const owner = pending.ownerOf(packageId);
    if (owner === null) return [];
    if (owner !== fromNode) throw refused('evidence.master-refused', `The masters pending for package ${packageId} were sent by another workstation; only it may seal or discard them.`);
    return pending.files(packageId);
  };
  const discarded = (packageId: string, fromNode: string | null, files: string[], why: string) => {
    pending.drop(packageId);
    if (files.length) deps.ledger.append('system', 'evidence.master-discarded', packageId, { packageId, fromNode, files, why });
    return { files: files.length };
  };
  /** A kept package released by the workstation that sealed it, within the window; refused otherwise. */
  const release = (fromNode: string, packageId: string) => {
    const record = records.read(packageId);
    if (!record || record.fromNode !== fromNode || now() - record.keptAt > RELEASE_WINDOW_MS) throw refused('evidence.master-exists', `Package ${packageId}'s masters are kept; kept masters are not deleted over the network.`);
    const files = readdirSync(join(keptDir(packageId), 'master')).map((f) => `master/${f}`);
    rmSync(keptDir(packageId), { recursive: true, force: true });
    records.remove(packageId);
    deps.ledger.append('system', 'evidence.master-discarded', packageId, { packageId, fromNode, files, why: 'released by the workstation that sealed it: its export failed after the seal' });
    return { files: files.length };
  };

  return {
    receive: (fromNode, packageId, path, declared, body, accepted) => receiveMaster(uploads, fromNode, packageId, path, declared, body, accepted),
    seal(fromNode, packageId, sumsSha256) {
      if (!SHA256.test(sumsSha256)) throw refused('evidence.master-refused', 'A seal names the SHA-256 of the package’s SHA256SUMS.');
      checkPackage(packageId);
      const done = records.read(packageId);
      // Sealed already, by this workstation for this package: its answer was lost, and it asks again.
      if (done && done.fromNode === fromNode && done.sumsSha256 === sumsSha256) return { files: readdirSync(join(keptDir(packageId), 'master')).length };
      if (existsSync(keptDir(packageId))) throw refused('evidence.master-exists', `Package ${packageId}'s masters are already kept.`);
      const files = pendingOf(fromNode, packageId);
      if (arriving.get(packageId)) throw refused('evidence.master-refused', `A master of package ${packageId} is still arriving; seal once every one was received.`);
      if (!files.length) throw refused('evidence.master-refused', `Nothing of package ${packageId} is pending here.`);
      for (const f of readdirSync(join(pending.dir(packageId), 'master'))) if (f.endsWith('.part')) rmSync(join(pending.dir(packageId), 'master', f), { force: true });
      renameSync(pending.dir(packageId), keptDir(packageId));
      records.write(packageId, { fromNode, sumsSha256, keptAt: now() });
      pending.drop(packageId);
      deps.ledger.append('system', 'evidence.master-kept', packageId, { packageId, sumsSha256, fromNode, files });
      return { files: files.length };
    },
    discard(fromNode, packageId) {
      checkPackage(packageId);
      if (existsSync(keptDir(packageId))) return release(fromNode, packageId);
      return discarded(packageId, fromNode, pendingOf(fromNode, packageId), 'discarded by the exporting workstation');
    },
    sweep(at = now()) {
      for (const packageId of pending.staleSince(at - PENDING_KEPT_MS)) if (!arriving.has(packageId)) discarded(packageId, pending.ownerOf(packageId), pending.files(packageId), 'never sealed: swept after a day');
    },
  };
}
