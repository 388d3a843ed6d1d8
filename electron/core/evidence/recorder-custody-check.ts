/**
 * The recorders' part of a site package (`watchroom-evidence/2`, docs/design/site-exports.md, stage
 * C). A workstation records nothing on a site: each recorder vouches for the footage it recorded with
 * its own signed custody answer, carried in custody/recorders/<id>/ byte for byte as it was signed.
 * Per recorder the manifest names: its three files are there; its key is the one the manifest and the
 * answer name; the answer holds by itself (custody-answer.ts, the check the workstation made before
 * exporting); it was given for this package and is the one the manifest hashed; and every source the
 * manifest says that recorder recorded is in it. The capture entries of the answers that hold then
 * prove the sources, in package-verifier.ts's checkCustody, as the audit extract's do in a `/1` package.
 *
 * Each recorder is a signer of its own: a package is verified only if its key is trusted here too,
 * or a forger's recorder key, consistent in every file, would pass. Verified on the site that admitted
 * a recorder with that key, its answer is also held to the directory's copies of its checkpoints, an
 * anchor outside the recorder that its key alone cannot re-make.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import type { AuditEntry } from '../../../shared/api.js';
import type { CustodySigner } from '../../../shared/evidence.js';
import type { CheckpointAnchor } from '../audit/ledger-checkpoints.js';
import { checkCustodyAnswer, CustodyAnswerRefused, custodyAnswerSchema, type CheckedCustody, type CustodyAnswer } from '../recorders/custody-answer.js';
import { holdToDirectory } from '../recorders/site-custody.js';
import { NODE_ID } from '../recorders/node-id.js';
import { NotRegularFileError, readRegular } from '../regular-file.js';
import { MANIFEST, recorderCustodyFiles } from './package-files.js';
import { keyFingerprint } from './signing-key.js';

/** A manifest's `custody.recorders[]` entry, as far as the verifier reads it. */
export const recorderCustodySchema = z.looseObject({
  id: z.string().regex(NODE_ID),
  fingerprint: z.string(),
  answer: z.string(),
  signature: z.string(),
  key: z.string(),
  answerSha256: z.string(),
});
type RecorderCustody = z.infer<typeof recorderCustodySchema>;

/** A manifest source segment, as far as it is compared with its recorder's answer. */
interface SourceSegment {
  recorder?: string;
  path: string;
  sha256: string;
  startUtc?: string;
  endUtc?: string;
  bytes?: number;
}

/** What this check reads of the manifest. */
export interface SiteManifest {
  packageId?: string;
  cameras?: Array<{ id?: string; sourceSegments?: SourceSegment[] }>;
  custody?: { recorders?: RecorderCustody[] };
}

/** The package being checked: its folder, the regular files found in it, and where failures go. */
export interface PackageReading {
  dir: string;
  present: readonly string[];
  fail: (code: string, message: string, file?: string) => void;
}

/** Far beyond any real answer, signature or key; far below a disk. */
const MAX_BYTES = { answer: 64 << 20, signature: 4 << 10, key: 64 << 10 } as const;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** On a site: the directory's copies of the checkpoints of a recorder it admitted with this key; null for any other recorder. */
export type SiteAnchors = (recorderId: string, fingerprint: string) => CheckpointAnchor | null;

/**
 * Every recorder's custody, and the sources each vouches for. Answers the custody signers (each key
 * as the package carries it, and whether it is trusted here) and, by recorder id, the capture entries
 * of its answer: null when the answer does not hold, which has been reported, so that the sources
 * it would prove are not reported again one by one.
 */
export async function checkRecorderCustody(pkg: PackageReading, manifest: SiteManifest, trusted: ReadonlySet<string>, site?: SiteAnchors): Promise<{ signers: CustodySigner[]; entries: Map<string, AuditEntry[] | null> }> {
  const signers: CustodySigner[] = [];
  const answers = new Map<string, CustodyAnswer | null>();
  for (const recorder of manifest.custody?.recorders ?? []) {
    const { fingerprint, checked } = await checkRecorder(pkg, manifest.packageId, recorder);
    const directory = checked && fingerprint && site?.(recorder.id, fingerprint);
    const held = directory ? await heldByDirectory(pkg, recorder.id, directory, checked) : undefined;
    signers.push({ recorderId: recorder.id, fingerprint, trusted: fingerprint !== null && trusted.has(fingerprint), ...(held === undefined ? {} : { heldByDirectory: held }) });
    answers.set(recorder.id, checked?.answer ?? null);
  }
  checkSourcesInAnswers(manifest, answers, pkg.fail);
  // Capture entries prove the sources; takeover entries say why a gap ends (a standby took the camera over).
  const entries = new Map([...answers].map(([id, answer]) => [id, answer ? [...answer.captureEntries, ...answer.takeovers] : null]));
  return { signers, entries };
}

/** Whether the site's directory holds the answer's anchors; a failure when it does not. */
async function heldByDirectory(pkg: PackageReading, recorderId: string, directory: CheckpointAnchor, checked: CheckedCustody): Promise<boolean> {
  const { why } = await holdToDirectory(directory, checked);
  if (why) pkg.fail('custody-recorder-anchor-unheld', `Recorder ${recorderId} is admitted into this site with this key, but its custody answer does not agree with the site's directory: ${why}.`, recorderCustodyFiles(recorderId).answer);
  return why === null;
}

/** One recorder's custody: the key's fingerprint (null if there is none to read), and its answer, checked, if it holds. */
async function checkRecorder(pkg: PackageReading, packageId: string | undefined, recorder: RecorderCustody): Promise<{ fingerprint: string | null; checked: CheckedCustody | null }> {
  const { answer: body, signature, key } = await readRecorderFiles(pkg, recorder);
  const pem = key?.toString('utf8') ?? '';
  const fingerprint = fingerprintOf(pem);
  if (!body || !signature || !key) return { fingerprint, checked: null };
  const where = recorderCustodyFiles(recorder.id);
  const claimed = claimedAnswer(body);
  if (fingerprint === null || fingerprint !== recorder.fingerprint || (claimed && claimed.recorder.fingerprint !== fingerprint)) {
    pkg.fail('custody-recorder-key-mismatch', `Recorder ${recorder.id}'s key in the package is ${fingerprint ?? 'not a public key'}, but the manifest names ${recorder.fingerprint}${claimed ? ` and its answer ${claimed.recorder.fingerprint}` : ''}.`, where.key);
  }
  let checked: CheckedCustody | null = null;
  try {
    // The answer's own package, so that one given for another package is reported as that, below, and only once.
    checked = checkCustodyAnswer(body, signature, pem, { recorderId: recorder.id, packageId: claimed?.packageId ?? '', cameras: claimed?.cameras ?? [], fromMs: claimed?.fromMs ?? -1, toMs: claimed?.toMs ?? -1 });
  } catch (error) {
    if (!(error instanceof CustodyAnswerRefused)) throw error;
    pkg.fail('custody-recorder-answer-invalid', `Recorder ${recorder.id}'s custody answer does not hold: ${error.why}.`, where.answer);
  }
  if (claimed && claimed.packageId !== packageId) pkg.fail('custody-recorder-answer-foreign', `Recorder ${recorder.id}'s custody answer was given for package ${claimed.packageId}, not for this one (${String(packageId)}).`, where.answer);
  if (sha256(body) !== recorder.answerSha256) pkg.fail('custody-recorder-answer-mismatch', `Recorder ${recorder.id}'s custody answer is not the one the manifest names (SHA-256 ${recorder.answerSha256}).`, where.answer);
  return { fingerprint, checked: checked && checked.answer.packageId === packageId ? checked : null };
}

/** The key's fingerprint; null when it is no public key (then it is not the key the manifest names either). */
function fingerprintOf(pem: string): string | null {
  try {
    return keyFingerprint(pem);
  } catch {
    return null;
  }
}

/** The answer as it claims to be, before anything about it is checked; null if it is not one. */
function claimedAnswer(body: Buffer): CustodyAnswer | null {
  try {
    const parsed = custodyAnswerSchema.safeParse(JSON.parse(body.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A recorder's three files, each if it is a regular file within its size (else null, and a failure). */
async function readRecorderFiles(pkg: PackageReading, recorder: RecorderCustody): Promise<Record<'answer' | 'signature' | 'key', Buffer | null>> {
  const where = recorderCustodyFiles(recorder.id);
  const read = async (part: keyof typeof where): Promise<Buffer | null> => {
    const path = where[part];
    // The manifest's paths say where to look for people and tools; the verifier looks only where a package keeps them.
    if (recorder[part] !== path) return (pkg.fail('custody-recorder-files-missing', `The manifest names ${recorder[part]} for recorder ${recorder.id}'s ${part}, which a package keeps at ${path}.`, path), null);
    if (!pkg.present.includes(path)) return (pkg.fail('custody-recorder-files-missing', `${path} (recorder ${recorder.id}'s ${part}) is not in the package as a regular file.`, path), null);
    try {
      const bytes = await readRegular(join(pkg.dir, path), MAX_BYTES[part]);
      if (!bytes) pkg.fail('custody-recorder-files-missing', `${path} is larger than any recorder's ${part}; it was not read.`, path);
      return bytes;
    } catch (error) {
      if (error instanceof NotRegularFileError) return (pkg.fail('custody-recorder-files-missing', `${path} is not a regular file; it was not read.`, path), null);
      throw error;
    }
  };
  return { answer: await read('answer'), signature: await read('signature'), key: await read('key') };
}

/**
 * Every manifest source a recorder recorded is in that recorder's answer, as the answer gives it; a
 * source naming a recorder without custody in the package is vouched for by no one. Sources of an
 * answer that does not hold are left out: that answer has failed already.
 */
function checkSourcesInAnswers(manifest: SiteManifest, answers: ReadonlyMap<string, CustodyAnswer | null>, fail: PackageReading['fail']): void {
  for (const camera of manifest.cameras ?? []) {
    for (const s of camera.sourceSegments ?? []) {
      if (s.recorder === undefined) continue;
      if (!answers.has(s.recorder)) {
        fail('custody-source-not-in-answer', `${s.path} was recorded by recorder ${s.recorder}, says the manifest, but the package holds no custody of that recorder: nothing vouches for it.`, MANIFEST);
        continue;
      }
      const answer = answers.get(s.recorder);
      if (!answer) continue;
      const given = answer.segments.find((a) => a.path === s.path);
      const same = given && given.cameraId === camera.id && given.sha256 === s.sha256 && given.bytes === s.bytes && given.startMs === Date.parse(s.startUtc ?? '') && given.endMs === Date.parse(s.endUtc ?? '');
      if (!same) fail('custody-source-not-in-answer', `${s.path} is not in recorder ${s.recorder}'s custody answer ${given ? 'with the camera, SHA-256, times and size the manifest gives' : 'at all'}.`, recorderCustodyFiles(s.recorder).answer);
    }
  }
}
