/** Names and small text files of an evidence package, shared by the exporter and the verifier. */
import { WatchroomError } from '../../../shared/errors.js';
import { NODE_ID } from '../recorders/node-id.js';

export const MANIFEST = 'manifest.json';
export const SUMS = 'SHA256SUMS';
export const SUMS_SIG = 'SHA256SUMS.sig';
export const SIGNER_KEY = 'signer.pub.pem';
export const AUDIT_EXTRACT = 'custody/audit-extract.jsonl';
export const RECIPIENT_README = 'README.txt';
export const MANIFEST_FORMAT = 'watchroom-evidence/1';
/** A package whose footage came from a site's recorders (docs/design/site-exports.md, stage C); one machine keeps writing `/1`. */
export const MANIFEST_FORMAT_SITE = 'watchroom-evidence/2';

/**
 * Where a site package keeps one recorder's custody: its answer byte for byte as it signed it, its
 * signature over those bytes, its public key. The id is a site node id, so always one safe path segment.
 */
export function recorderCustodyFiles(recorderId: string): { answer: string; signature: string; key: string } {
  if (!NODE_ID.test(recorderId)) throw new Error(`${JSON.stringify(recorderId)} is not a recorder id.`);
  const dir = `custody/recorders/${recorderId}`;
  return { answer: `${dir}/custody.json`, signature: `${dir}/custody.json.sig`, key: `${dir}/recorder.pub.pem` };
}

/** A name safe in every file system and in a sha256sum line: letters, digits, . _ - only. */
export function safeName(text: string): string {
  return text.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 60) || 'x';
}

/**
 * A readable part of a file name in any script ("Вход", "北门" stay themselves): letters, marks and
 * digits of every language, . _ -, nothing a file system or a sha256sum line treats specially. Not
 * unique by itself ("Gate 1" and "Gate/1" meet): media names put the camera id before it.
 */
export function readableName(text: string): string {
  return text.normalize('NFC').replace(/[^\p{L}\p{M}\p{N}._-]+/gu, '_').replace(/^[._]+|_+$/g, '').slice(0, 40) || 'camera';
}

/** 2026-11-23T02:10:00.000Z → 20261123T021000Z */
export function utcStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** 2026-11-23T02:10:00.123Z → 20261123T021000.123Z: media names to the millisecond. */
export function utcStampMs(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '');
}

/**
 * The name of one media file: camera id (unique), readable name, and its times to the millisecond;
 * `taken` holds the names already used in this package, and a clash (never expected) gets a counter
 * rather than overwriting anything.
 */
export function mediaName(camera: { id: string; name: string }, startMs: number, endMs: number, suffix: string, taken: Set<string>): string {
  const base = `${camera.id}_${readableName(camera.name)}_${utcStampMs(startMs)}_${utcStampMs(endMs)}${suffix}`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  taken.add(name);
  return name;
}

/** sha256sum's text format: `<hex>  <path>`, one per line, sorted by path; a path twice is refused. */
export function formatSums(entries: ReadonlyArray<{ path: string; sha256: string }>): string {
  const paths = new Set(entries.map((e) => e.path));
  if (paths.size !== entries.length) throw new WatchroomError('export.duplicate-path', 'Two files of the package would have the same name; nothing was signed.');
  return [...entries]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((e) => `${e.sha256}  ${e.path}\n`)
    .join('');
}

export type SumsParse = { ok: true; entries: Array<{ path: string; sha256: string }> } | { ok: false; line: number };

export function parseSums(text: string): SumsParse {
  const entries: Array<{ path: string; sha256: string }> = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const [i, line] of lines.entries()) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) return { ok: false, line: i + 1 };
    entries.push({ sha256: m[1]!, path: m[2]! });
  }
  return { ok: true, entries };
}

/** Who asked and who approved, for a disclosure (issue 12, point 2). */
export interface ReadmeDisclosure {
  requestId: string;
  requestedBy: { name: string; displayName: string; role: string };
  requestedAtUtc: string;
  approvedBy: { name: string; displayName: string; role: string };
  approvedAtUtc: string;
  note: string;
  legalBasis: { basis: string; text: string };
}

/** The README's disclosure section: both people by name and role, the basis and the approver's note. */
function disclosureSection(d: ReadmeDisclosure): string {
  const basis = d.legalBasis.text ? `${d.legalBasis.basis} (${d.legalBasis.text})` : d.legalBasis.basis;
  return `
DISCLOSURE (FOUR EYES)
  Requested by: ${d.requestedBy.displayName} (${d.requestedBy.name}, ${d.requestedBy.role}), ${d.requestedAtUtc}
  Approved by:  ${d.approvedBy.displayName} (${d.approvedBy.name}, ${d.approvedBy.role}), ${d.approvedAtUtc}
  Legal basis:  ${basis}
  Approval note: ${d.note || '(none)'}
  Request: ${d.requestId}. manifest.json (requestedBy, approval) and the ledger say the same.
`;
}

/** A site package's recorders, as its README names them. */
export interface ReadmeRecorder {
  id: string;
  fingerprint: string;
}

/** How to check each recorder's word on its footage with openssl alone (site packages only). */
function recordersSection(recorders: readonly ReadmeRecorder[]): string {
  const checks = recorders.map((r) => {
    const f = recorderCustodyFiles(r.id);
    return `    openssl dgst -sha256 -verify ${f.key} -signature ${f.signature} ${f.answer}
    openssl pkey -pubin -in ${f.key} -outform DER | sha256sum
         must equal recorder ${r.id}'s fingerprint: ${r.fingerprint}`;
  });
  return `
  THE RECORDERS' WORD. This footage was recorded by the site's recorders, and each vouched for its
  part in a signed custody answer (custody/recorders/<recorder>/custody.json: the hash of every
  recorded segment when it was recorded, the recorder's ledger entries that captured them, and its
  signed checkpoints). For each recorder, "Verified OK" and the fingerprint its organisation gives:
${checks.join('\n')}
`;
}

export function recipientReadme(caseReference: string, fingerprint: string, disclosure?: ReadmeDisclosure, recorders: readonly ReadmeRecorder[] = []): string {
  return `Watchroom evidence package — case ${caseReference}
${disclosure ? disclosureSection(disclosure) : ''}
WHAT IS HERE
  master/     The footage exactly as the camera recorded it: its own compressed video, copied into
              MP4 without re-encoding. Each master begins at the keyframe at or before the requested
              start; manifest.json says where each one really starts and ends (UTC).
  working/    (if present) Copies made from a master for convenience: cut to the exact requested
              times and re-encoded to H.264. manifest.json names the master each derives from
              (derivedFrom = the master's SHA-256) and the process used. Rely on the master.
              A camera with privacy masks has only a working copy here, with the masks burned in;
              its master stays in ${recorders.length ? `the evidence store of the recorder that recorded it,
              and manifest.json lists it under withheldMasters with its SHA-256 and the receipt that
              recorder signed for it (keptBy names the recorder).` : `the exporting workstation's evidence store, and manifest.json
              lists it under withheldMasters with its SHA-256.`}
  manifest.json                Who exported this, when (UTC), why, for which case and recipient;
                               the cameras, the requested and actual times, gaps in the recording,
                               every file with its size, duration, codec and SHA-256, and the
                               recorded segments it came from with the hashes taken at recording.
  custody/audit-extract.jsonl  The workstation's audit-ledger entries about this footage: one per
                               recorded segment (its SHA-256 when it was recorded) and the export.
  SHA256SUMS, SHA256SUMS.sig   The SHA-256 of every other file, and a signature over that list.
  signer.pub.pem               The exporting workstation's public key.

HOW TO CHECK IT WITH STANDARD TOOLS ONLY (Linux, macOS, or Windows with Git Bash / WSL)
  In this folder:
    1. sha256sum -c SHA256SUMS
         Every line must say OK. (On macOS without sha256sum: shasum -a 256 -c SHA256SUMS)
         Also make sure no file is in the folder that SHA256SUMS does not list, except
         SHA256SUMS and SHA256SUMS.sig themselves.
    2. openssl dgst -sha256 -verify signer.pub.pem -signature SHA256SUMS.sig SHA256SUMS
         Must print "Verified OK". This works with OpenSSL 1.1, OpenSSL 3 and LibreSSL.
    3. openssl pkey -pubin -in signer.pub.pem -outform DER | sha256sum
         Must equal the signing key fingerprint the exporting organisation gives you (without
         the colons). For this package it is:
           ${fingerprint}
         A matching signature from a key you cannot trace proves nothing about who made it.
${recorders.length ? recordersSection(recorders) : ''}
  Steps 1 and 2 together show that no file changed after signing; step 3 shows who signed.
  With Watchroom installed: npx watchroom-verify <this folder> --trust <their key.pem>

HOW TO PLAY IT
  The MP4 files play in VLC, mpv, ffplay and most media players. Masters keep the camera's codec
  (H.264 or H.265); working copies are always H.264.
`;
}
