/**
 * Provable deletion. Each retention pass that deletes footage signs a receipt: which cameras and
 * spans went, under which policy, and every segment's capture hash, so an oversight body can see that
 * footage left when the policy said and not otherwise. The receipt is a canonical JSON file with a
 * detached DER signature beside it (checkable with openssl alone, like a package's SHA256SUMS), and
 * its hash enters the ledger, whose signed checkpoints anchor it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../canonical-json.js';
import type { SigningKey } from '../evidence/signing-key.js';
import { utcStamp } from '../evidence/package-files.js';
import type { Audit } from './recording-store.js';
import type { LeafSegment } from '../audit/capture-proof.js';
import type { FreeSpaceFloor, RetentionPolicy } from './retention.js';

export const RECEIPTS_DIR = 'deletion-receipts';
export const RECEIPT_FORMAT = 'watchroom-deletion-receipt/1';

/** A segment one pass deleted, with the ledger entry that says so. */
export interface DeletedSegment extends LeafSegment {
  reason: string;
  /** Its segment.deleted entry (null only where a caller keeps no ledger, as some tests do). */
  ledgerSeq: number | null;
}

export interface ReceiptDeps {
  dataDir: string;
  key: () => SigningKey;
  audit: Audit;
  cameraName(id: string): string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Signs and files the receipt of one pass, then enters it in the ledger; returns the receipt's path. */
export function fileDeletionReceipt(deps: ReceiptDeps, pass: { at: number; policy: RetentionPolicy; floor: FreeSpaceFloor; deleted: readonly DeletedSegment[] }): string {
  const key = deps.key();
  const id = randomUUID();
  const receipt = {
    format: RECEIPT_FORMAT,
    receiptId: id,
    at: iso(pass.at),
    workstation: hostname(),
    policy: { ...pass.policy, freeSpaceFloor: pass.floor },
    cameras: camerasOf(pass.deleted, deps.cameraName),
    segments: pass.deleted.map((s) => ({ cameraId: s.cameraId, path: s.path, startUtc: iso(s.startMs), endUtc: iso(s.endMs), bytes: s.bytes, sha256: s.sha256, reason: s.reason, ledgerSeq: s.ledgerSeq })),
    signer: { fingerprint: key.fingerprint, algorithm: 'ECDSA P-256, SHA-256, DER' },
  };
  const body = Buffer.from(canonicalJson(receipt));
  const dir = join(deps.dataDir, RECEIPTS_DIR);
  mkdirSync(dir, { recursive: true });
  const name = `deletion-${utcStamp(pass.at)}-${id.slice(0, 8)}.json`;
  // Signature first, then the receipt renamed into place: a receipt file is never seen unsigned.
  writeFileSync(join(dir, `${name}.sig`), key.sign(body));
  writeFileSync(join(dir, `${name}.partial`), body);
  renameSync(join(dir, `${name}.partial`), join(dir, name));
  const seqs = pass.deleted.flatMap((s) => (s.ledgerSeq === null ? [] : [s.ledgerSeq]));
  deps.audit('retention.receipt', id, {
    file: `${RECEIPTS_DIR}/${name}`,
    sha256: createHash('sha256').update(body).digest('hex'),
    segments: pass.deleted.length,
    bytes: pass.deleted.reduce((n, s) => n + s.bytes, 0),
    cameras: receipt.cameras.map((c) => c.id),
    fromSeq: seqs.length ? Math.min(...seqs) : null,
    toSeq: seqs.length ? Math.max(...seqs) : null,
    signer: key.fingerprint,
  });
  return join(dir, name);
}

/** Per camera, the spans deleted: touching segments merged, so a reader sees stretches, not files. */
function camerasOf(deleted: readonly DeletedSegment[], cameraName: (id: string) => string) {
  const byCamera = new Map<string, DeletedSegment[]>();
  for (const s of deleted) byCamera.set(s.cameraId, [...(byCamera.get(s.cameraId) ?? []), s]);
  return [...byCamera].sort(([a], [b]) => a.localeCompare(b)).map(([id, segs]) => {
    const spans: Array<{ startMs: number; endMs: number }> = [];
    for (const s of [...segs].sort((a, b) => a.startMs - b.startMs)) {
      const last = spans.at(-1);
      // A second's slack: segments of one run abut to within their rounding.
      if (last && s.startMs <= last.endMs + 1000) last.endMs = Math.max(last.endMs, s.endMs);
      else spans.push({ startMs: s.startMs, endMs: s.endMs });
    }
    return { id, name: cameraName(id), segments: segs.length, bytes: segs.reduce((n, s) => n + s.bytes, 0), spans: spans.map((s) => ({ startUtc: iso(s.startMs), endUtc: iso(s.endMs) })) };
  });
}
