/**
 * A site package's custody folders (docs/design/site-exports.md §2): each recorder that vouched for
 * footage of the export leaves its signed answer byte for byte as it was signed, the signature and its
 * public key, so a recipient checks the recorder's word with openssl alone and the verifier ties every
 * source segment of the manifest to it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FetchedCustody } from '../recorders/site-custody.js';
import { recorderCustodyFiles } from './package-files.js';
import { keyFingerprint } from './signing-key.js';

/** One recorder's custody as written into the package: what the manifest and SHA256SUMS say of it. */
export interface RecorderCustody {
  id: string;
  fingerprint: string;
  answerSha256: string;
  anchors: Array<{ seq: number; hash: string; at: string }>;
  chainRuns: FetchedCustody['chainRuns'];
  /** Its three files, hashed as written. */
  files: Array<{ path: string; sha256: string }>;
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * Writes each answer that vouches for footage, or for a takeover that ends a gap in it, under `temp`;
 * an answer with neither adds nothing to prove.
 */
export function writeRecorderCustody(temp: string, fetched: readonly FetchedCustody[]): RecorderCustody[] {
  return fetched
    .filter((c) => c.answer.segments.length > 0 || c.answer.takeovers.length > 0)
    .sort((a, b) => a.answer.recorder.id.localeCompare(b.answer.recorder.id))
    .map((c) => {
      const id = c.answer.recorder.id;
      const paths = recorderCustodyFiles(id);
      const contents: Array<[string, Buffer | string]> = [[paths.answer, c.body], [paths.signature, c.signature], [paths.key, c.publicKeyPem]];
      mkdirSync(join(temp, dirname(paths.answer)), { recursive: true });
      for (const [path, bytes] of contents) writeFileSync(join(temp, path), bytes);
      return {
        id,
        fingerprint: keyFingerprint(c.publicKeyPem),
        answerSha256: sha256(c.body),
        anchors: c.answer.anchors.map(({ seq, hash, at }) => ({ seq, hash, at })),
        chainRuns: c.chainRuns,
        files: contents.map(([path, bytes]) => ({ path, sha256: sha256(bytes) })),
      };
    });
}

/** The manifest's `custody.recorders`. */
export function recordersOfManifest(recorders: readonly RecorderCustody[]) {
  return recorders.map((r) => {
    const paths = recorderCustodyFiles(r.id);
    return { id: r.id, fingerprint: r.fingerprint, answer: paths.answer, signature: paths.signature, key: paths.key, answerSha256: r.answerSha256, anchors: r.anchors, chainChecked: { against: 'directory', runs: r.chainRuns } };
  });
}
