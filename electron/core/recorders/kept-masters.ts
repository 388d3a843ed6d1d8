/**
 * A recorder keeps the unmasked masters of its masked cameras that a workstation withheld from an
 * export (docs/design/site-exports.md §6): a workstation keeps no footage, so the master goes back
 * to the recorder that recorded it, into `<data>/evidence-store/<packageId>/`, as on one machine.
 *
 * A master arrives pending (`.pending/<packageId>/`, owner-only), hashed as it is written and refused
 * unless it is the bytes its token named; the recorder answers with a signed receipt. Once the
 * package is in place the exporting workstation seals it (moved in beside other kept masters), or
 * discards it if the export failed. Only pending files can be discarded, only by the workstation that
 * sent them: a kept master cannot be deleted over the network. Pending files a workstation never came
 * back for are swept after a day. Each step is in the recorder's ledger.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
/** A master's path in its package, as the exporting workstation names it (export-footage.ts `mediaName`). */
export const MASTER_PATH = /^master\/[A-Za-z0-9][A-Za-z0-9._-]{0,199}\.mp4$/;
const SHA256 = /^[0-9a-f]{64}$/;

export const masterReceiptSchema = z.strictObject({
  format: z.literal(RECEIPT_FORMAT),
  packageId: z.uuid(),
  path: z.string().regex(MASTER_PATH),
  sha256: z.string().regex(SHA256),
  bytes: z.number().int().positive(),
  recorder: z.strictObject({ id: z.string(), fingerprint: z.string() }),
  fromNode: z.string(),
  receivedAtUtc: z.string(),
});
export type MasterReceipt = z.infer<typeof masterReceiptSchema>;

export interface KeptMasters {
  /** Takes `body`, which must be `declared`'s bytes, as a pending master of the package; the signed receipt. */
  receive(fromNode: string, packageId: string, path: string, declared: { sha256: string; bytes: number }, body: Readable): Promise<{ body: Buffer; signature: Buffer }>;
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
  const files = (packageId: string) => (existsSync(join(dir(packageId), 'master')) ? readdirSync(join(dir(packageId), 'master')).map((f) => `master/${f}`) : []);
  return {
    root,
    dir,
    files,
    ownerOf: (packageId: string) => (existsSync(ownerFile(packageId)) ? readFileSync(ownerFile(packageId), 'utf8') : null),
    claim: (packageId: string, fromNode: string) => writeFileSync(ownerFile(packageId), fromNode, { mode: 0o600 }),
    drop(packageId: string) {
      rmSync(dir(packageId), { recursive: true, force: true });
      rmSync(ownerFile(packageId), { force: true });
    },
    /** Packages whose sender last claimed them before `beforeMs`. */
    staleSince: (beforeMs: number) =>
      existsSync(root) ? readdirSync(root).filter((n) => n.endsWith('.owner') && statSync(join(root, n)).mtimeMs < beforeMs).map((n) => n.slice(0, -'.owner'.length)) : [],
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
  if (!z.uuid().safeParse(packageId).success) throw refused('evidence.master-refused', 'A package is named by a UUID.');
};

export function keptMasters(deps: { storeDir: string; dataDir: string; ledger: AuditLedger; key: () => SigningKey; recorderId: string }): KeptMasters {
  const pending = pendingStore(deps.storeDir);
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

  return {
    async receive(fromNode, packageId, path, declared, body) {
      checkArrival(packageId, path, declared);
      const owner = pending.ownerOf(packageId);
      if (owner !== null && owner !== fromNode) throw refused('evidence.master-refused', `Package ${packageId}'s masters are being sent by another workstation.`);
      const file = join(pending.dir(packageId), path);
      if (existsSync(join(deps.storeDir, packageId)) || existsSync(file)) throw refused('evidence.master-exists', `The recorder already holds ${path} of package ${packageId}; a kept master is never replaced.`);
      if (declared.bytes > (await roomForUploads(deps.dataDir))) throw new WatchroomError('export.disk-full', 'The recorder’s disk has no room for this master beyond what its recordings and audit ledger need.');
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      if (owner === null) pending.claim(packageId, fromNode);
      try {
        await writeNamed(file, declared, body);
      } catch (error) {
        // Nothing of it stays; nor the package's claim by this workstation, if this was its first master.
        if (owner === null) pending.drop(packageId);
        else rmSync(file, { force: true });
        throw error;
      }
      const key = deps.key();
      const receipt: MasterReceipt = { format: RECEIPT_FORMAT, packageId, path, sha256: declared.sha256, bytes: declared.bytes, recorder: { id: deps.recorderId, fingerprint: key.fingerprint }, fromNode, receivedAtUtc: new Date().toISOString() };
      deps.ledger.append('system', 'evidence.master-received', packageId, { packageId, path, sha256: receipt.sha256, bytes: receipt.bytes, fromNode });
      const text = Buffer.from(canonicalJson(receipt));
      return { body: text, signature: key.sign(text) };
    },
    seal(fromNode, packageId, sumsSha256) {
      if (!SHA256.test(sumsSha256)) throw refused('evidence.master-refused', 'A seal names the SHA-256 of the package’s SHA256SUMS.');
      const files = pendingOf(fromNode, packageId);
      if (!files.length) throw refused('evidence.master-refused', `Nothing of package ${packageId} is pending here.`);
      if (existsSync(join(deps.storeDir, packageId))) throw refused('evidence.master-exists', `Package ${packageId}'s masters are already kept.`);
      renameSync(pending.dir(packageId), join(deps.storeDir, packageId));
      pending.drop(packageId);
      deps.ledger.append('system', 'evidence.master-kept', packageId, { packageId, sumsSha256, fromNode, files });
      return { files: files.length };
    },
    discard: (fromNode, packageId) => discarded(packageId, fromNode, pendingOf(fromNode, packageId), 'discarded by the exporting workstation'),
    sweep(now = Date.now()) {
      for (const packageId of pending.staleSince(now - PENDING_KEPT_MS)) discarded(packageId, pending.ownerOf(packageId), pending.files(packageId), 'never sealed: swept after a day');
    },
  };
}
