/**
 * Checks an evidence package the way a careful recipient would, and says exactly what is wrong:
 * every file against SHA256SUMS (none missing, none extra, renames recognised), the signature, whether
 * the signer is trusted here, the manifest's own consistency, and the chain of custody in the audit
 * extract. Used by the app's verify view and by the watchroom-verify CLI alike. A site package
 * (`watchroom-evidence/2`) also carries each recorder's signed custody answer, checked in
 * recorder-custody-check.ts; its capture entries then prove the sources as the extract's do.
 *
 * A package is data from outside: only regular files are read (regular-file.ts), nothing is
 * followed through a link, and the walk stops at fixed limits, so a hostile folder can neither hang
 * the verifier nor make it read the rest of the disk.
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry } from '../../../shared/api.js';
import type { CustodySigner, VerificationFailure, VerificationReport } from '../../../shared/evidence.js';
import { z } from 'zod';
import { entryHash, parseEntry } from '../audit/audit-ledger.js';
import { checkInclusion } from '../audit/capture-proof.js';
import { canonicalJson } from '../canonical-json.js';
import { sha256File } from '../recording/file-hash.js';
import { NotRegularFileError, readRegular } from '../regular-file.js';
import { NODE_ID } from '../recorders/node-id.js';
import { AUDIT_EXTRACT, MANIFEST, MANIFEST_FORMAT, MANIFEST_FORMAT_SITE, SIGNER_KEY, SUMS, SUMS_SIG, parseSums, recorderCustodyFiles } from './package-files.js';
import { checkRecorderCustody, recorderCustodySchema, type SiteAnchors } from './recorder-custody-check.js';
import { keyFingerprint, verifySignature } from './signing-key.js';

/**
 * A source segment; `inclusion` where its capture is a minute's Merkle root (packages before minute
 * batches have none). In a site package, `recorder` recorded it: its path and entry are that recorder's.
 */
const sourceSegmentSchema = z.looseObject({
  recorder: z.string().regex(NODE_ID).optional(),
  path: z.string(),
  sha256: z.string(),
  startUtc: z.string().optional(),
  endUtc: z.string().optional(),
  bytes: z.number().optional(),
  repaired: z.boolean().optional(),
  clockOffsetMs: z.number().nullable().optional(),
  inclusion: z.looseObject({ entrySeq: z.number(), leafIndex: z.number(), treeSize: z.number(), auditPath: z.array(z.string()) }).optional(),
});

/** A gap in the footage; in a site package, `why` names the takeover entry (in the new holder's answer) that ended it. */
const gapSchema = z.looseObject({
  startUtc: z.string().optional(),
  why: z.looseObject({ takeover: z.looseObject({ from: z.string(), entry: z.looseObject({ ledger: z.string().regex(NODE_ID), seq: z.number(), hash: z.string() }) }) }).optional(),
});

/** What the verifier reads of a manifest, checked before it is read: a package is data from outside. */
const manifestSchema = z.looseObject({
  format: z.string().optional(),
  packageId: z.string().optional(),
  caseReference: z.string().optional(),
  files: z.array(z.looseObject({ path: z.string(), sha256: z.string(), bytes: z.number(), role: z.string(), derivedFrom: z.string().nullable() })).optional(),
  cameras: z.array(z.looseObject({ id: z.string().optional(), clips: z.array(z.unknown()).optional(), sourceSegments: z.array(sourceSegmentSchema).optional(), gaps: z.array(gapSchema).optional() })).optional(),
  custody: z
    .looseObject({
      // `ledger`: the recorder whose ledger holds it (a site package); none for the workstation's own.
      captureEntries: z.array(z.looseObject({ ledger: z.string().regex(NODE_ID).optional(), seq: z.number(), hash: z.string(), segment: z.string().optional(), minute: z.string().optional() })).optional(),
      recorders: z.array(recorderCustodySchema).optional(),
    })
    .optional(),
  signer: z.looseObject({ fingerprint: z.string().optional() }).optional(),
  // Privacy masks (issue 12, point 1): masters kept back in the exporting workstation's evidence store.
  withheldMasters: z.array(z.looseObject({ path: z.string(), sha256: z.string() })).optional(),
});
type Manifest = z.infer<typeof manifestSchema>;

/** Far beyond any real package (a day of 16 cameras is a few hundred files), far below a disk. */
export const PACKAGE_LIMITS = { entries: 10_000, depth: 8 } as const;
/** Largest size read into memory for each of the package's own text files. */
const MAX_BYTES: Record<string, number> = {
  [MANIFEST]: 32 << 20,
  [SUMS]: 4 << 20,
  [SUMS_SIG]: 4 << 10,
  [SIGNER_KEY]: 64 << 10,
  [AUDIT_EXTRACT]: 64 << 20,
};

type Fail = (code: string, message: string, file?: string) => void;

/** Every regular file under `dir` (as a/b/c), and what is refused: links, pipes, devices, too much. */
async function listFiles(dir: string, fail: Fail): Promise<string[]> {
  const out: string[] = [];
  let entries = 0;
  const walk = async (rel: string, depth: number): Promise<boolean> => {
    for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      // Every entry counts, folders too: a tree of empty folders must not keep the walk going for hours.
      if (++entries > PACKAGE_LIMITS.entries) return (fail('package-too-large', `The folder holds more than ${PACKAGE_LIMITS.entries} files and folders; it is not a package.`), false);
      if (e.isDirectory()) {
        if (depth >= PACKAGE_LIMITS.depth) return (fail('package-too-deep', `${path} lies more than ${PACKAGE_LIMITS.depth} folders deep; a package is never that deep.`, path), false);
        if (!(await walk(path, depth + 1))) return false;
      } else if (e.isFile()) {
        out.push(path);
      } else {
        fail('not-regular-file', `${path} is ${e.isSymbolicLink() ? 'a symbolic link' : e.isFIFO() ? 'a named pipe' : 'a device or socket'}; a package holds only regular files, and it was not read.`, path);
      }
    }
    return true;
  };
  await walk('', 0);
  return out.sort();
}

/** One of the package's own small files, or null (and a failure) if it cannot be read as one. */
async function readOwnFile(dir: string, name: string, present: readonly string[], fail: Fail): Promise<Buffer | null> {
  if (!present.includes(name)) return null;
  try {
    const bytes = await readRegular(join(dir, name), MAX_BYTES[name]!);
    if (!bytes) fail('file-too-large', `${name} is larger than any real package's ${name}; it was not read.`, name);
    return bytes;
  } catch (error) {
    if (error instanceof NotRegularFileError) return (fail('not-regular-file', `${name} is not a regular file; it was not read.`, name), null);
    throw error;
  }
}

/** The hash of a package file; null (and a failure) when it is not a regular file any more. */
async function hashOf(dir: string, path: string, fail: Fail): Promise<string | null> {
  try {
    return await sha256File(join(dir, path));
  } catch (error) {
    if (error instanceof NotRegularFileError) return (fail('not-regular-file', `${path} is not a regular file; it was not read.`, path), null);
    throw error;
  }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Why `dir` is no evidence package at all (nothing there, a file, a folder with neither of a
 * package's own files), or null when it looks like one. `shown` is the path as the person knows it.
 */
export async function whyNotAPackage(dir: string, shown = dir): Promise<string | null> {
  const info = await stat(dir).catch(() => null);
  if (!info) return `There is no folder “${shown}”.`;
  if (!info.isDirectory()) return `“${shown}” is a file, not an evidence package: choose the package’s folder (the one named WR-…).`;
  const top = await readdir(dir).catch(() => null);
  if (!top) return `Watchroom may not read the folder “${shown}”.`;
  if (!top.includes(SUMS) && !top.includes(MANIFEST)) return `“${shown}” is not an evidence package: it has no ${MANIFEST}.`;
  return null;
}

/** The package being checked: its folder, the regular files found in it, and where failures go. */
interface Checking {
  dir: string;
  present: readonly string[];
  fail: Fail;
}

/** `site`: verifying on a site, whose directory holds its recorders' checkpoints (recorder-custody-check.ts). */
export async function verifyPackage(dir: string, trusted: ReadonlySet<string>, site?: SiteAnchors): Promise<VerificationReport> {
  const failures: VerificationFailure[] = [];
  const fail: Fail = (code, message, file) => void failures.push({ code, message, ...(file ? { file } : {}) });
  let signer: VerificationReport['signer'] = { fingerprint: null, trusted: false };
  let custodySigners: CustodySigner[] = [];
  let caseReference: string | null = null;
  let filesChecked = 0;
  const report = (): VerificationReport => {
    // Every signer vouches for part of the package: one key not trusted here, and nothing is verified.
    const allTrusted = signer.trusted && custodySigners.every((s) => s.trusted);
    const outcome = failures.length > 0 ? 'failed' : allTrusted ? 'verified' : 'signer-untrusted';
    return { ok: outcome === 'verified', outcome, packagePath: dir, caseReference, signer, custodySigners, filesChecked, failures };
  };

  // Only a folder that looks like a package is walked: pointed at / or /etc, say so and stop.
  const notPackage = await whyNotAPackage(dir);
  if (notPackage) return (fail('not-a-package', notPackage), report());
  const pkg: Checking = { dir, present: await listFiles(dir, fail), fail };
  for (const required of [SUMS, SUMS_SIG, SIGNER_KEY, MANIFEST]) {
    if (!pkg.present.includes(required) && !failures.some((f) => f.file === required)) fail('package-incomplete', `${required} is missing, so the package cannot be checked in full.`, required);
  }

  // Manifest first: its sizes tell a truncated file from an altered one.
  const { manifest, manifestBytes } = await readManifest(pkg);
  caseReference = manifest?.caseReference ?? null;
  const sums = await readSums(pkg);
  filesChecked = await checkListedFiles(pkg, sums.entries, manifest);
  signer = await checkSignature(pkg, sums.bytes, trusted);
  if (manifest) checkManifestAgainstPackage(pkg, manifest, sums.entries, signer);
  const recorders = manifest?.format === MANIFEST_FORMAT_SITE ? await checkRecorderCustody(pkg, manifest, trusted, site) : null;
  custodySigners = recorders?.signers ?? [];

  const extract = await readOwnFile(dir, AUDIT_EXTRACT, pkg.present, fail);
  if (!pkg.present.includes(AUDIT_EXTRACT)) fail('custody-missing', `${AUDIT_EXTRACT} is missing.`, AUDIT_EXTRACT);
  else if (extract) checkCustody(extract, manifest, manifestBytes, recorders?.entries ?? new Map(), fail);
  return report();
}

/** The manifest, if it is one: valid JSON of the right form; also whether it is canonical and of this format. */
async function readManifest({ dir, present, fail }: Checking): Promise<{ manifest: Manifest | null; manifestBytes: Buffer | null }> {
  const manifestBytes = await readOwnFile(dir, MANIFEST, present, fail);
  if (!manifestBytes) return { manifest: null, manifestBytes };
  let raw: unknown;
  try {
    raw = JSON.parse(manifestBytes.toString('utf8'));
  } catch {
    fail('manifest-unreadable', 'manifest.json is not valid JSON.', MANIFEST);
  }
  const parsed = raw === undefined ? null : manifestSchema.safeParse(raw);
  if (parsed && !parsed.success) fail('manifest-malformed', `manifest.json is not a Watchroom manifest: ${parsed.error.issues[0]?.path.join('.') || 'its top level'} has the wrong form.`, MANIFEST);
  if (!parsed?.success) return { manifest: null, manifestBytes };
  const manifest = parsed.data;
  if (canonicalJson(raw) !== manifestBytes.toString('utf8')) fail('manifest-not-canonical', 'manifest.json is not in canonical JSON form (RFC 8785): it was rewritten after export.', MANIFEST);
  if (manifest.format !== MANIFEST_FORMAT && manifest.format !== MANIFEST_FORMAT_SITE) fail('manifest-unknown-format', `manifest.json has format ${String(manifest.format)}, not ${MANIFEST_FORMAT} or ${MANIFEST_FORMAT_SITE}.`, MANIFEST);
  return { manifest, manifestBytes };
}

type SumsEntry = { path: string; sha256: string };

/** SHA256SUMS as read (for the signature) and its entries: none if it cannot be read as a list. */
async function readSums({ dir, present, fail }: Checking): Promise<{ bytes: Buffer | null; entries: SumsEntry[] }> {
  const bytes = await readOwnFile(dir, SUMS, present, fail);
  if (!bytes) return { bytes, entries: [] };
  const parsed = parseSums(bytes.toString('utf8'));
  if (!parsed.ok) return (fail('sums-malformed', `SHA256SUMS line ${parsed.line} is not "<sha256>  <file>".`, SUMS), { bytes, entries: [] });
  if (new Set(parsed.entries.map((e) => e.path)).size !== parsed.entries.length) return (fail('sums-duplicate-path', 'SHA256SUMS lists one file more than once.', SUMS), { bytes, entries: [] });
  return { bytes, entries: parsed.entries };
}

/** Every listed file's hash, and what is missing, extra or merely renamed; returns how many matched. */
async function checkListedFiles({ dir, present, fail }: Checking, sumsEntries: readonly SumsEntry[], manifest: Manifest | null): Promise<number> {
  const manifestFiles = new Map((manifest?.files ?? []).map((f) => [f.path, f]));
  let matched = 0;
  const listed = new Set(sumsEntries.map((e) => e.path));
  const missing = new Map<string, string>(); // path → listed hash
  for (const entry of sumsEntries) {
    if (!present.includes(entry.path)) {
      missing.set(entry.path, entry.sha256);
      continue;
    }
    const actual = await hashOf(dir, entry.path, fail);
    if (actual === null) continue;
    if (actual === entry.sha256) {
      matched++;
      continue;
    }
    const expectedBytes = manifestFiles.get(entry.path)?.bytes;
    const size = (await stat(join(dir, entry.path))).size;
    if (expectedBytes !== undefined && size < expectedBytes) fail('file-truncated', `${entry.path} is ${size} bytes; the manifest says ${expectedBytes}: it was cut short.`, entry.path);
    else fail('file-hash-mismatch', `${entry.path} does not match its SHA-256 in SHA256SUMS: its content changed.`, entry.path);
  }
  const unlisted = present.filter((p) => !listed.has(p) && p !== SUMS && p !== SUMS_SIG);
  for (const path of unlisted) {
    const hash = await hashOf(dir, path, fail);
    const from = [...missing].find(([, h]) => h === hash)?.[0];
    if (from) {
      missing.delete(from);
      fail('file-renamed', `${from} was renamed to ${path}.`, path);
    } else fail('file-unlisted', `${path} is not listed in SHA256SUMS: it was added after export.`, path);
  }
  for (const path of missing.keys()) fail('file-missing', `${path} is listed in SHA256SUMS but is not in the package.`, path);
  return matched;
}

/** The signature over SHA256SUMS, and who made it. */
async function checkSignature({ dir, present, fail }: Checking, sumsBytes: Buffer | null, trusted: ReadonlySet<string>): Promise<VerificationReport['signer']> {
  const pemBytes = await readOwnFile(dir, SIGNER_KEY, present, fail);
  if (!pemBytes) return { fingerprint: null, trusted: false };
  const pem = pemBytes.toString('utf8');
  let fingerprint: string | null = null;
  try {
    fingerprint = keyFingerprint(pem);
  } catch {
    fail('signer-key-unreadable', 'signer.pub.pem is not a public key.', SIGNER_KEY);
  }
  const signature = await readOwnFile(dir, SUMS_SIG, present, fail);
  if (fingerprint && sumsBytes && signature && !verifySignature(sumsBytes, signature, pem)) {
    fail('signature-invalid', 'The signature does not match SHA256SUMS: the list was changed after signing, or signed by another key.', SUMS_SIG);
  }
  return { fingerprint, trusted: fingerprint !== null && trusted.has(fingerprint) };
}

/** The manifest agrees with the package: same signer, same hashes, masters for every working copy, no media it omits. */
function checkManifestAgainstPackage({ present, fail }: Checking, manifest: Manifest, sumsEntries: readonly SumsEntry[], signer: VerificationReport['signer']): void {
  if (signer.fingerprint && manifest.signer?.fingerprint !== signer.fingerprint) fail('manifest-signer-mismatch', `The manifest names signer ${String(manifest.signer?.fingerprint)}, but the package carries key ${signer.fingerprint}.`, MANIFEST);
  // A working copy derives from a master in the package, or from one the manifest declares withheld (a masked camera's).
  const withheld = manifest.withheldMasters ?? [];
  const masters = new Set([...(manifest.files ?? []).filter((f) => f.role === 'master').map((f) => f.sha256), ...withheld.map((w) => w.sha256)]);
  for (const w of withheld) if (present.includes(w.path)) fail('withheld-master-present', `${w.path} is declared withheld, yet it is in the package.`, w.path);
  for (const f of manifest.files ?? []) {
    const inSums = sumsEntries.find((e) => e.path === f.path);
    if (!inSums || inSums.sha256 !== f.sha256) fail('manifest-file-mismatch', `The manifest's SHA-256 for ${f.path} differs from the file's.`, f.path);
    if (f.role === 'working' && (!f.derivedFrom || !masters.has(f.derivedFrom))) fail('derived-from-unknown', `${f.path} says it derives from a master that is not in the package.`, f.path);
  }
  const described = new Set((manifest.files ?? []).map((f) => f.path));
  for (const path of present.filter((p) => p.startsWith('master/') || p.startsWith('working/'))) {
    if (!described.has(path)) fail('manifest-file-unlisted', `${path} is media the manifest does not describe.`, path);
  }
}

/** Where a ledger's entries are in the package: the workstation's in the audit extract, a recorder's in its custody answer. */
function ledgerIn(ledger: string | undefined): { name: string; short: string; file: string } {
  return ledger ? { name: `recorder ${ledger}'s custody answer`, short: 'that answer', file: recorderCustodyFiles(ledger).answer } : { name: 'the audit extract', short: 'the extract', file: AUDIT_EXTRACT };
}

/** An entry's key across the package's ledgers: seq (or a segment's path) within the ledger that holds it, '' for the workstation's. */
const inLedger = (ledger: string | undefined, at: number | string) => `${ledger ?? ''}#${at}`;

/** The audit extract's entries, each intact. */
function readExtract(extract: Buffer, fail: Fail): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const [i, line] of extract.toString('utf8').split('\n').entries()) {
    if (!line.trim()) continue;
    const e = parseEntry(line);
    if (!e) {
      fail('custody-unreadable', `Line ${i + 1} of the audit extract is not an audit entry.`, AUDIT_EXTRACT);
      continue;
    }
    if (entryHash(e) !== e.hash) fail('custody-entry-altered', `Audit entry ${e.seq} was changed after it was written.`, AUDIT_EXTRACT);
    entries.push(e);
  }
  return entries;
}

/**
 * The audit extract: entries intact; every source segment of every camera proven by its capture
 * entry (its minute's `recording.minute`, whose root its inclusion path must lead to from its hash,
 * times and size; or in older packages the hash its `segment.closed` took); the export entry naming
 * this manifest. In a site package a source's capture entry is in the answer of the recorder that
 * recorded it (`recorderEntries`, already checked), under that recorder's seq; a recorder whose
 * answer does not hold (null) has been reported, and what it would prove is not reported again.
 */
function checkCustody(extract: Buffer, manifest: Manifest | null, manifestBytes: Buffer | null, recorderEntries: ReadonlyMap<string, readonly AuditEntry[] | null>, fail: Fail): void {
  const entries = readExtract(extract, fail);
  if (!manifest) return;
  const ledgers: Array<[string | undefined, readonly AuditEntry[]]> = [[undefined, entries], ...[...recorderEntries].flatMap(([id, es]) => (es ? [[id, es] as [string, readonly AuditEntry[]]] : []))];
  const reported = (ledger: string | undefined) => ledger !== undefined && recorderEntries.get(ledger) === null;
  const bySeq = new Map(ledgers.flatMap(([ledger, es]) => es.map((e) => [inLedger(ledger, e.seq), e] as const)));
  for (const ref of manifest.custody?.captureEntries ?? []) {
    if (reported(ref.ledger)) continue;
    const e = bySeq.get(inLedger(ref.ledger, ref.seq));
    const where = ledgerIn(ref.ledger);
    if (!e || e.hash !== ref.hash) fail('custody-entry-missing', `Audit entry ${ref.seq} (the recording of ${ref.segment ?? (ref.minute ? `the minute ${ref.minute}` : 'a segment')}) is missing from ${where.name}.`, where.file);
  }
  const closed = ledgers.flatMap(([ledger, es]) => es.filter((e) => e.action === 'segment.closed' && typeof e.details?.path === 'string').map((e) => [inLedger(ledger, String(e.details!.path)), e.details!.sha256] as const));
  const captured = new Map(closed);
  for (const camera of manifest.cameras ?? []) {
    const sources = camera.sourceSegments ?? [];
    if ((camera.clips ?? []).length > 0 && sources.length === 0) fail('custody-capture-missing', `Camera ${String(camera.id)} has footage but names no recorded segment it came from.`, MANIFEST);
    for (const s of sources) {
      if (reported(s.recorder)) continue;
      const where = ledgerIn(s.recorder);
      const capture = inLedger(s.recorder, s.path);
      if (s.inclusion) checkSourceInclusion(String(camera.id), s, bySeq, fail);
      else if (!captured.has(capture)) fail('custody-capture-missing', `${s.path} has no capture entry in ${where.name}: nothing proves it unchanged since it was recorded.`, where.file);
      else if (captured.get(capture) !== s.sha256) fail('custody-capture-mismatch', `${s.path} had SHA-256 ${String(captured.get(capture))} when recorded, but the manifest gives ${s.sha256}.`, where.file);
    }
  }
  checkGapReasons(manifest, bySeq, reported, fail);
  const exportEntry = entries.find((e) => e.action === 'evidence.export' && e.details?.packageId === manifest.packageId);
  if (!exportEntry) return fail('custody-export-entry-missing', 'The audit extract has no entry for this export.', AUDIT_EXTRACT);
  if (manifestBytes && exportEntry.details?.manifestSha256 !== sha256(manifestBytes)) {
    fail('manifest-changed-since-export', 'manifest.json is not the manifest recorded in the audit ledger at export: it was edited.', MANIFEST);
  }
}

/** A gap said to end at a takeover: that entry is in the taking recorder's answer, a takeover of this camera from the recorder named. */
function checkGapReasons(manifest: Manifest, bySeq: ReadonlyMap<string, AuditEntry>, reported: (ledger: string) => boolean, fail: Fail): void {
  for (const camera of manifest.cameras ?? []) {
    for (const gap of camera.gaps ?? []) {
      const said = gap.why?.takeover;
      if (!said || reported(said.entry.ledger)) continue;
      const e = bySeq.get(inLedger(said.entry.ledger, said.entry.seq));
      if (!e || e.hash !== said.entry.hash || e.action !== 'recording.takeover' || e.subject !== camera.id || e.details?.from !== said.from) {
        fail('custody-gap-reason-unproven', `The gap in camera ${String(camera.id)}'s footage from ${String(gap.startUtc)} is said to end at recorder ${said.entry.ledger}'s takeover (entry ${said.entry.seq}), which its custody answer does not hold as such.`, ledgerIn(said.entry.ledger).file);
      }
    }
  }
}

/** A source segment proven by its minute: the entry it names is in its ledger's entries, and its path leads from the segment to that entry's root. */
function checkSourceInclusion(cameraId: string, s: z.infer<typeof sourceSegmentSchema>, bySeq: ReadonlyMap<string, AuditEntry>, fail: Fail): void {
  const proof = s.inclusion!;
  const where = ledgerIn(s.recorder);
  const entry = bySeq.get(inLedger(s.recorder, proof.entrySeq));
  if (!entry || entry.action !== 'recording.minute') {
    return fail('custody-capture-missing', `${s.path} is not a leaf of any capture entry in ${where.name} (it names entry ${proof.entrySeq}, which ${where.short} does not hold as a minute's capture): nothing proves it unchanged since it was recorded.`, where.file);
  }
  const segment = { cameraId, path: s.path, sha256: s.sha256, startMs: Date.parse(s.startUtc ?? ''), endMs: Date.parse(s.endUtc ?? ''), bytes: s.bytes ?? Number.NaN, repaired: s.repaired === true, clockOffsetMs: s.clockOffsetMs ?? null };
  if (![segment.startMs, segment.endMs, segment.bytes].every(Number.isFinite)) return fail('custody-inclusion-invalid', `${s.path} lacks the times or size its capture leaf binds, so its inclusion path cannot be checked.`, MANIFEST);
  const why = checkInclusion(segment, proof, entry);
  if (why) fail(({ 'not-a-leaf': 'custody-not-a-leaf', 'path-wrong': 'custody-inclusion-invalid', 'details-differ': 'custody-capture-details-differ' } as const)[why.code], why.message, where.file);
}
