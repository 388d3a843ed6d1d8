/**
 * A workstation handing a masked camera's withheld master back to the recorder that recorded it
 * (kept-masters.ts is the recorder's side): sent over the pinned HTTPS of node requests with a token
 * signed for its hash, acknowledged by a receipt the recorder signs, which is checked here by the key
 * the recorder was admitted with before the workstation lets go of its copy.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { SigningKey } from '../evidence/signing-key.js';
import { verifySignature } from '../evidence/signing-key.js';
import { masterReceiptSchema, type MasterReceipt } from './kept-masters.js';
import { readAtMost, signedRequest, type NodePeer, type SignedBody } from './node-signature.js';
import { CUSTODY_SIGNATURE_HEADER, invalid, refusalOf, unreachable } from './site-custody.js';

/** Idle time on the connection (not the whole upload): a master of hours takes minutes. */
const IDLE_TIMEOUT_MS = 60_000;
const MAX_REPLY_BYTES = 64 * 1024;

/** A receipt as the recorder signed it: the bytes, the signature (base64) and what it says. */
export interface KeptReceipt {
  text: string;
  signature: string;
  receipt: MasterReceipt;
}

export interface SiteMasters {
  /** Sends the master at `file` (`declared` its bytes) to `recorderId` for package `packageId`; its checked receipt. */
  send(recorderId: string, packageId: string, path: string, file: string, declared: { sha256: string; bytes: number }, signal: AbortSignal): Promise<KeptReceipt>;
  /** The package is complete: the recorder keeps what it was sent. */
  seal(recorderId: string, packageId: string, sumsSha256: string): Promise<void>;
  /** The export failed: the recorder drops what it was sent for it. */
  discard(recorderId: string, packageId: string): Promise<void>;
}

export function siteMasters(deps: { recorder(recorderId: string): { url: string; publicKeyPem: string } | null; me(): { nodeId: string; key: SigningKey } }): SiteMasters {
  const peerOf = (recorderId: string): NodePeer => {
    const recorder = deps.recorder(recorderId);
    if (!recorder) throw unreachable(recorderId, 'it is not up, or not admitted into the site');
    return { nodeId: recorderId, ...recorder };
  };
  /** The reply's bytes when it has `status`; the recorder's refusal otherwise. */
  const ask = async (to: NodePeer, path: string, status: number, options: { signal?: AbortSignal; body?: SignedBody } = {}): Promise<{ res: IncomingMessage; bytes: Buffer }> => {
    const res = await signedRequest(to, path, deps.me(), { timeoutMs: IDLE_TIMEOUT_MS, ...options }).catch((error: Error) => Promise.reject(options.signal?.aborted ? error : unreachable(to.nodeId, error.message)));
    const bytes = await readAtMost(res, MAX_REPLY_BYTES, () => invalid(to.nodeId, 'its reply is larger than any receipt could be'));
    if (res.statusCode !== status) throw refusalOf(to.nodeId, res.statusCode ?? 0, bytes.toString('utf8'));
    return { res, bytes };
  };
  return {
    async send(recorderId, packageId, path, file, declared, signal) {
      const to = peerOf(recorderId);
      const body: SignedBody = { method: 'PUT', data: createReadStream(file), ...declared };
      const { res, bytes } = await ask(to, `/evidence-store/${packageId}/${path}`, 201, { signal, body });
      const signature = String(res.headers[CUSTODY_SIGNATURE_HEADER] ?? '');
      if (!verifySignature(bytes, Buffer.from(signature, 'base64'), to.publicKeyPem)) throw invalid(recorderId, 'its receipt for a master is not signed by the key it was admitted with');
      let parsed: unknown;
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch {
        parsed = null;
      }
      const receipt = masterReceiptSchema.safeParse(parsed);
      const me = deps.me().nodeId;
      if (!receipt.success || receipt.data.packageId !== packageId || receipt.data.path !== path || receipt.data.sha256 !== declared.sha256 || receipt.data.bytes !== declared.bytes || receipt.data.recorder.id !== recorderId || receipt.data.fromNode !== me) {
        throw invalid(recorderId, 'its receipt is not for the master that was sent');
      }
      return { text: bytes.toString('utf8'), signature, receipt: receipt.data };
    },
    async seal(recorderId, packageId, sumsSha256) {
      await ask(peerOf(recorderId), `/evidence-store/${packageId}/seal?sumsSha256=${sumsSha256}`, 200, { body: { method: 'POST', data: Buffer.alloc(0), bytes: 0, sha256: EMPTY_SHA256 } });
    },
    async discard(recorderId, packageId) {
      await ask(peerOf(recorderId), `/evidence-store/${packageId}/discard`, 200, { body: { method: 'POST', data: Buffer.alloc(0), bytes: 0, sha256: EMPTY_SHA256 } });
    },
  };
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
