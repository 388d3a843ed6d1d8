/**
 * A report's folder, laid out and signed like an evidence package: report.json (canonical JSON, the
 * figures), report.pdf (their printable reading), signer.pub.pem, README.txt, and SHA256SUMS over
 * them with SHA256SUMS.sig (ECDSA P-256, DER), so sha256sum and openssl alone check it. It is written
 * under a temporary name and renamed into place: a folder under its final name is always complete.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../canonical-json.js';
import { RECIPIENT_README, SIGNER_KEY, SUMS, SUMS_SIG, formatSums, utcStamp } from '../evidence/package-files.js';
import type { SigningKey } from '../evidence/signing-key.js';
import type { OversightReport } from './oversight-report.js';

export const REPORTS_DIR = 'reports';
export const REPORT_JSON = 'report.json';
export const REPORT_PDF = 'report.pdf';
/** A report folder's name as the core makes it (a counter when two are made in the same second). */
export const REPORT_FOLDER = /^oversight-(\d{4}-\d{2})-(\d{8}T\d{6}Z)(?:-\d{1,4})?$/;

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export interface WrittenReport {
  folder: string;
  name: string;
  reportSha256: string;
}

export function writeReportFolder(dataDir: string, input: { report: OversightReport; pdf: Buffer; key: SigningKey; atMs: number }): WrittenReport {
  const { report, pdf, key } = input;
  const root = join(dataDir, REPORTS_DIR);
  const base = `oversight-${report.period.month}-${utcStamp(input.atMs)}`;
  let name = base;
  for (let n = 2; existsSync(join(root, name)) || existsSync(join(root, `.partial-${name}`)); n++) name = `${base}-${n}`;
  const temp = join(root, `.partial-${name}`);
  mkdirSync(temp, { recursive: true, mode: 0o700 });
  const json = Buffer.from(canonicalJson(report));
  const files: Array<[string, Buffer | string]> = [
    [REPORT_JSON, json],
    [REPORT_PDF, pdf],
    [SIGNER_KEY, key.publicKeyPem],
    [RECIPIENT_README, reportReadme(report, key.fingerprint)],
  ];
  for (const [path, data] of files) writeFileSync(join(temp, path), data);
  const sums = formatSums(files.map(([path, data]) => ({ path, sha256: sha256(data) })));
  writeFileSync(join(temp, SUMS), sums);
  writeFileSync(join(temp, SUMS_SIG), key.sign(Buffer.from(sums)));
  const folder = join(root, name);
  renameSync(temp, folder);
  return { folder, name, reportSha256: sha256(json) };
}

export function reportReadme(report: OversightReport, fingerprint: string): string {
  const { period, checkpoint } = report;
  return `Watchroom oversight report — ${period.month}

WHAT IT COVERS
  Every entry of the workstation's audit ledger dated in ${period.month}, UTC calendar month
  (${period.fromUtc} up to, not including, ${period.toUtc}), read up to the signed ledger
  checkpoint at entry ${checkpoint.seq} (taken ${checkpoint.at}, head hash ${checkpoint.hash}).
  It is built from the ledger alone: whoever holds the ledger and its checkpoints can rebuild
  report.json byte for byte.

WHAT IS HERE
  report.json      The figures: views (live, and recorded playback with reasons), exports and
                   disclosures by legal basis and recipient organisation, mask lifts, deletions,
                   failed sign-ins and configuration changes. Canonical JSON (RFC 8785).
  report.pdf       The same figures as printable tables and charts (A4).
  SHA256SUMS, SHA256SUMS.sig   The SHA-256 of every other file, and a signature over that list.
  signer.pub.pem   The workstation's public key.

HOW TO CHECK IT WITH STANDARD TOOLS ONLY
  In this folder:
    1. sha256sum -c SHA256SUMS
         Every line must say OK. (On macOS: shasum -a 256 -c SHA256SUMS)
    2. openssl dgst -sha256 -verify signer.pub.pem -signature SHA256SUMS.sig SHA256SUMS
         Must print "Verified OK".
    3. openssl pkey -pubin -in signer.pub.pem -outform DER | sha256sum
         Must equal the workstation key's fingerprint as the organisation publishes it (without
         the colons). For this report it is:
           ${fingerprint}

  Steps 1-3 show the report was not changed since the workstation signed it. That its figures are
  what the ledger says takes the ledger itself:

HOW TO CHECK IT AGAINST THE LEDGER
    watchroom-verify --report <this folder> --data <the workstation's data folder> [--key KEY.pem]
  checks the signature, that checkpoint ${checkpoint.seq} is in the data folder's checkpoints and
  signed by the key, that the ledger up to it is intact, and recomputes report.json from it: any
  difference fails, naming the first section that differs.
`;
}
