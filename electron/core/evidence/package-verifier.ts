/**
 * Checks an evidence package the way a careful recipient would, and says exactly what is wrong:
 * every file against SHA256SUMS (none missing, none extra, renames recognised), the signature, whether
 * the signer is trusted here, the manifest's own consistency, and the chain of custody in the audit
 * extract. Used by the app's verify view and by the watchroom-verify CLI alike.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { AuditEntry } from '../../../shared/api.js';
import type { VerificationFailure, VerificationReport } from '../../../shared/evidence.js';
import { entryHash } from '../audit/audit-ledger.js';
import { canonicalJson } from '../canonical-json.js';
import { sha256File } from '../recording/file-hash.js';
import { AUDIT_EXTRACT, MANIFEST, MANIFEST_FORMAT, SIGNER_KEY, SUMS, SUMS_SIG, parseSums } from './package-files.js';
import { keyFingerprint, verifySignature } from './signing-key.js';

interface Manifest {
  format?: string;
  packageId?: string;
  caseReference?: string;
  files?: Array<{ path: string; sha256: string; bytes: number; role: string; derivedFrom: string | null }>;
  cameras?: Array<{ sourceSegments?: Array<{ path: string; sha256: string }> }>;
  custody?: { captureEntries?: Array<{ seq: number; hash: string; segment?: string }> };
  signer?: { fingerprint?: string };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export async function verifyPackage(dir: string, trusted: ReadonlySet<string>): Promise<VerificationReport> {
  const failures: VerificationFailure[] = [];
  const fail = (code: string, message: string, file?: string) => failures.push({ code, message, ...(file ? { file } : {}) });
  const report = (extra: Partial<VerificationReport> = {}): VerificationReport => ({
    ok: failures.length === 0,
    packagePath: dir,
    caseReference: null,
    signer: { fingerprint: null, trusted: false },
    filesChecked: 0,
    failures,
    ...extra,
  });
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    fail('not-a-package', 'There is no package folder there.');
    return report();
  }
  for (const required of [SUMS, SUMS_SIG, SIGNER_KEY, MANIFEST]) {
    if (!existsSync(join(dir, required))) fail('package-incomplete', `${required} is missing, so the package cannot be checked in full.`, required);
  }
  const present = listFiles(dir);

  // Manifest first: its sizes tell a truncated file from an altered one.
  let manifest: Manifest | null = null;
  let manifestBytes: Buffer | null = null;
  if (existsSync(join(dir, MANIFEST))) {
    manifestBytes = readFileSync(join(dir, MANIFEST));
    try {
      manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
      if (canonicalJson(manifest) !== manifestBytes.toString('utf8')) fail('manifest-not-canonical', 'manifest.json is not in canonical JSON form (RFC 8785): it was rewritten after export.', MANIFEST);
      if (manifest.format !== MANIFEST_FORMAT) fail('manifest-unknown-format', `manifest.json has format ${String(manifest.format)}, not ${MANIFEST_FORMAT}.`, MANIFEST);
    } catch {
      fail('manifest-unreadable', 'manifest.json is not valid JSON.', MANIFEST);
    }
  }
  const manifestFiles = new Map((manifest?.files ?? []).map((f) => [f.path, f]));

  // Every listed file's hash; what is missing, extra or merely renamed.
  let filesChecked = 0;
  let sumsEntries: Array<{ path: string; sha256: string }> = [];
  const sumsBytes = existsSync(join(dir, SUMS)) ? readFileSync(join(dir, SUMS)) : null;
  if (sumsBytes) {
    const parsed = parseSums(sumsBytes.toString('utf8'));
    if (!parsed.ok) fail('sums-malformed', `SHA256SUMS line ${parsed.line} is not "<sha256>  <file>".`, SUMS);
    else sumsEntries = parsed.entries;
  }
  const listed = new Set(sumsEntries.map((e) => e.path));
  const missing = new Map<string, string>(); // path → listed hash
  for (const entry of sumsEntries) {
    if (!present.includes(entry.path)) {
      missing.set(entry.path, entry.sha256);
      continue;
    }
    const file = join(dir, entry.path);
    const actual = await sha256File(file);
    if (actual === entry.sha256) {
      filesChecked++;
      continue;
    }
    const expectedBytes = manifestFiles.get(entry.path)?.bytes;
    const size = statSync(file).size;
    if (expectedBytes !== undefined && size < expectedBytes) fail('file-truncated', `${entry.path} is ${size} bytes; the manifest says ${expectedBytes}: it was cut short.`, entry.path);
    else fail('file-hash-mismatch', `${entry.path} does not match its SHA-256 in SHA256SUMS: its content changed.`, entry.path);
  }
  const unlisted = present.filter((p) => !listed.has(p) && p !== SUMS && p !== SUMS_SIG);
  for (const path of unlisted) {
    const hash = await sha256File(join(dir, path));
    const from = [...missing].find(([, h]) => h === hash)?.[0];
    if (from) {
      missing.delete(from);
      fail('file-renamed', `${from} was renamed to ${path}.`, path);
    } else fail('file-unlisted', `${path} is not listed in SHA256SUMS: it was added after export.`, path);
  }
  for (const path of missing.keys()) fail('file-missing', `${path} is listed in SHA256SUMS but is not in the package.`, path);

  // The signature over SHA256SUMS, and who made it.
  let fingerprint: string | null = null;
  let signerTrusted = false;
  if (existsSync(join(dir, SIGNER_KEY))) {
    const pem = readFileSync(join(dir, SIGNER_KEY), 'utf8');
    try {
      fingerprint = keyFingerprint(pem);
    } catch {
      fail('signer-key-unreadable', 'signer.pub.pem is not a public key.', SIGNER_KEY);
    }
    if (fingerprint && sumsBytes && existsSync(join(dir, SUMS_SIG))) {
      if (!verifySignature(sumsBytes, readFileSync(join(dir, SUMS_SIG)), pem)) fail('signature-invalid', 'The signature does not match SHA256SUMS: the list was changed after signing, or signed by another key.', SUMS_SIG);
    }
    if (fingerprint) {
      signerTrusted = trusted.has(fingerprint);
      if (!signerTrusted) fail('signer-untrusted', `The package was signed by key ${fingerprint}, which this workstation does not trust.`, SIGNER_KEY);
    }
  }

  if (manifest) {
    if (fingerprint && manifest.signer?.fingerprint !== fingerprint) fail('manifest-signer-mismatch', `The manifest names signer ${String(manifest.signer?.fingerprint)}, but the package carries key ${fingerprint}.`, MANIFEST);
    const masters = new Set((manifest.files ?? []).filter((f) => f.role === 'master').map((f) => f.sha256));
    for (const f of manifest.files ?? []) {
      const inSums = sumsEntries.find((e) => e.path === f.path);
      if (!inSums || inSums.sha256 !== f.sha256) fail('manifest-file-mismatch', `The manifest's SHA-256 for ${f.path} differs from the file's.`, f.path);
      if (f.role === 'working' && (!f.derivedFrom || !masters.has(f.derivedFrom))) fail('derived-from-unknown', `${f.path} says it derives from a master that is not in the package.`, f.path);
    }
    for (const path of present.filter((p) => p.startsWith('master/') || p.startsWith('working/'))) {
      if (!manifestFiles.has(path)) fail('manifest-file-unlisted', `${path} is media the manifest does not describe.`, path);
    }
  }

  checkCustody(dir, manifest, manifestBytes, fail);
  return report({ caseReference: manifest?.caseReference ?? null, signer: { fingerprint, trusted: signerTrusted }, filesChecked });
}

/** The audit extract: entries intact, every capture entry the manifest names present and agreeing, the export entry naming this manifest. */
function checkCustody(dir: string, manifest: Manifest | null, manifestBytes: Buffer | null, fail: (code: string, message: string, file?: string) => void): void {
  if (!existsSync(join(dir, AUDIT_EXTRACT))) return fail('custody-missing', `${AUDIT_EXTRACT} is missing.`, AUDIT_EXTRACT);
  const entries: AuditEntry[] = [];
  for (const [i, line] of readFileSync(join(dir, AUDIT_EXTRACT), 'utf8').split('\n').entries()) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as AuditEntry;
      if (entryHash(e) !== e.hash) fail('custody-entry-altered', `Audit entry ${e.seq} was changed after it was written.`, AUDIT_EXTRACT);
      entries.push(e);
    } catch {
      fail('custody-unreadable', `Line ${i + 1} of the audit extract is not valid JSON.`, AUDIT_EXTRACT);
    }
  }
  if (!manifest) return;
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  const segmentHash = new Map((manifest.cameras ?? []).flatMap((c) => c.sourceSegments ?? []).map((s) => [s.path, s.sha256]));
  for (const ref of manifest.custody?.captureEntries ?? []) {
    const e = bySeq.get(ref.seq);
    if (!e || e.hash !== ref.hash) {
      fail('custody-entry-missing', `Audit entry ${ref.seq} (the recording of ${ref.segment ?? 'a segment'}) is missing from the audit extract.`, AUDIT_EXTRACT);
      continue;
    }
    const path = e.details?.path as string | undefined;
    if (path && segmentHash.get(path) !== e.details?.sha256) fail('custody-capture-mismatch', `${path} had SHA-256 ${String(e.details?.sha256)} when recorded, but the manifest gives ${String(segmentHash.get(path))}.`, AUDIT_EXTRACT);
  }
  const exportEntry = entries.find((e) => e.action === 'evidence.export' && e.details?.packageId === manifest.packageId);
  if (!exportEntry) return fail('custody-export-entry-missing', 'The audit extract has no entry for this export.', AUDIT_EXTRACT);
  if (manifestBytes && exportEntry.details?.manifestSha256 !== sha256(manifestBytes)) {
    fail('manifest-changed-since-export', 'manifest.json is not the manifest recorded in the audit ledger at export: it was edited.', MANIFEST);
  }
}
