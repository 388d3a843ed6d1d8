/**
 * How one Watchroom process proves to another who it is: a short-lived token signed with its own key
 * (the key its evidence and ledger checkpoints are signed with), checked against the public key the
 * directory holds for it. The token names whom it is for (one process) and what (one method, one
 * request path and, for a request with a body, the body's SHA-256), expires within a minute and is
 * accepted once, so a token seen on the wire opens nothing else, carries no other body, and cannot be
 * replayed.
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import type { Readable } from 'node:stream';
import type { SigningKey } from '../evidence/signing-key.js';
import { pinnedAgent } from './node-certificate.js';

/** The header a signed request carries. */
export const NODE_TOKEN_HEADER = 'x-watchroom-node';
/** The header naming a request body's SHA-256 (hex), which its token is signed for; the server holds the body to it. */
export const BODY_SHA256_HEADER = 'x-watchroom-body-sha256';
const LIFETIME_MS = 60_000;

/** What a token is for beyond its path: the method, and the SHA-256 of the body ('' for none). */
export interface SignedFor {
  method?: string;
  bodySha256?: string;
}

const signedText = (nodeId: string, to: string, path: string, expires: number, nonce: string, { method = 'GET', bodySha256 = '' }: SignedFor) =>
  `watchroom-node-request/3\n${nodeId}\n${to}\n${method}\n${path}\n${expires}\n${nonce}\n${bodySha256}`;

/** A token from process `nodeId` for process `to`, for exactly `path` (and `what`: by default a GET without a body). */
export function signNodeRequest(key: SigningKey, nodeId: string, to: string, path: string, now = Date.now(), what: SignedFor = {}): string {
  const expires = now + LIFETIME_MS;
  const nonce = randomBytes(12).toString('base64url');
  const signature = key.sign(Buffer.from(signedText(nodeId, to, path, expires, nonce, what))).toString('base64url');
  return [encodeURIComponent(nodeId), expires, nonce, signature].join('.');
}

export type NodeCheck = { ok: true; nodeId: string } | { ok: false; reason: string };

/** Checks tokens for one server; remembers nonces until their tokens expire. */
export class NodeTokenChecker {
  private readonly seen = new Map<string, number>();

  /** `me`: this process's id in the site, which a token must name. */
  constructor(
    private readonly me: () => string | null,
    private readonly publicKeyOf: (nodeId: string) => string | null,
  ) {}

  check(token: string | undefined, path: string, now = Date.now(), what: SignedFor = {}): NodeCheck {
    const parts = (token ?? '').split('.');
    if (parts.length !== 4) return { ok: false, reason: 'No node token.' };
    const [idPart, expiresPart, nonce, signature] = parts as [string, string, string, string];
    let nodeId: string;
    try {
      nodeId = decodeURIComponent(idPart);
    } catch {
      return { ok: false, reason: 'Malformed node token.' };
    }
    const expires = Number(expiresPart);
    if (!Number.isSafeInteger(expires) || expires < now || expires > now + 2 * LIFETIME_MS) return { ok: false, reason: 'The node token has expired (or the two machines’ clocks are far apart).' };
    const me = this.me();
    if (!me) return { ok: false, reason: 'This process has no place in a site yet.' };
    const pem = this.publicKeyOf(nodeId);
    if (!pem) return { ok: false, reason: `No process called ${nodeId} is registered in the directory.` };
    let valid = false;
    try {
      valid = verify('sha256', Buffer.from(signedText(nodeId, me, path, expires, nonce, what)), createPublicKey(pem), Buffer.from(signature, 'base64url'));
    } catch {
      valid = false;
    }
    if (!valid) return { ok: false, reason: 'The node token is not signed by that process’s key for this one.' };
    this.forgetExpired(now);
    if (this.seen.has(nonce)) return { ok: false, reason: 'The node token was already used.' };
    this.seen.set(nonce, expires);
    return { ok: true, nodeId };
  }

  private forgetExpired(now: number): void {
    for (const [nonce, expires] of this.seen) if (expires < now) this.seen.delete(nonce);
  }
}

/** Another admitted process as this one reaches it: its id, its address (https://host:port) and the signing key the site admitted. */
export interface NodePeer {
  nodeId: string;
  url: string;
  publicKeyPem: string;
}

/** A request's body: its bytes (or a stream of exactly `bytes` of them) and their SHA-256, which the token is signed for. */
export interface SignedBody {
  method: 'PUT' | 'POST';
  data: Buffer | Readable;
  bytes: number;
  sha256: string;
}

/**
 * A request to process `to` for `path`, signed as `from`, over HTTPS pinned to its admitted key
 * (nothing is sent to whoever else answers at its address): a GET, or `body` sent with its hash.
 * Rejects when it cannot be reached, is not that process, or says nothing for `timeoutMs`.
 */
export function signedRequest(to: NodePeer, path: string, from: { nodeId: string; key: SigningKey }, options: { timeoutMs: number; signal?: AbortSignal; body?: SignedBody }): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (!to.url.startsWith('https://')) return reject(new Error(`its address ${to.url} is not https://, and a site's processes talk only over TLS`));
    const { body, signal } = options;
    const method = body?.method ?? 'GET';
    const headers: Record<string, string> = { [NODE_TOKEN_HEADER]: signNodeRequest(from.key, from.nodeId, to.nodeId, path, Date.now(), { method, bodySha256: body?.sha256 ?? '' }) };
    if (body) Object.assign(headers, { [BODY_SHA256_HEADER]: body.sha256, 'content-length': String(body.bytes), 'content-type': 'application/octet-stream' });
    // A streamed body (a master of hours) waits for the peer's 100 Continue: a refusal is then read whole, never met as a
    // connection cut while sending.
    if (body && !Buffer.isBuffer(body.data)) headers.expect = '100-continue';
    const req = request(`${to.url}${path}`, { method, headers, agent: pinnedAgent(to.publicKeyPem), timeout: options.timeoutMs, ...(signal ? { signal } : {}) }, resolve);
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', reject);
    if (!body) req.end();
    else if (Buffer.isBuffer(body.data)) req.end(body.data);
    else {
      const data = body.data;
      data.on('error', (error) => req.destroy(error));
      req.once('continue', () => data.pipe(req));
      req.once('close', () => data.destroy()); // answered early (a refusal): the file is not held open
    }
  });
}

/** A signed GET (see signedRequest). */
export const signedGet = (to: NodePeer, path: string, from: { nodeId: string; key: SigningKey }, timeoutMs: number, signal?: AbortSignal) =>
  signedRequest(to, path, from, { timeoutMs, ...(signal ? { signal } : {}) });

/** A peer's answer read whole, but never past `maxBytes`: past it, the connection goes and `tooLarge()` is thrown. */
export async function readAtMost(res: IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of res) {
    bytes += (chunk as Buffer).length;
    if (bytes > maxBytes) {
      res.destroy();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
