/**
 * How one Watchroom process proves to another who it is: a short-lived token signed with its own key
 * (the key its evidence and ledger checkpoints are signed with), checked against the public key the
 * directory holds for it. The token names whom it is for (one process) and what (one request path),
 * expires within a minute and is accepted once, so a token seen on the wire, or handed on by whoever
 * answers at an address the directory's writer put in, opens nothing else and cannot be replayed.
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { get } from 'node:https';
import type { SigningKey } from '../evidence/signing-key.js';
import { pinnedAgent } from './node-certificate.js';

/** The header a signed request carries. */
export const NODE_TOKEN_HEADER = 'x-watchroom-node';
const LIFETIME_MS = 60_000;

const signedText = (nodeId: string, to: string, path: string, expires: number, nonce: string) => `watchroom-node-request/2\n${nodeId}\n${to}\n${path}\n${expires}\n${nonce}`;

/** A token from process `nodeId` for process `to`, for exactly `path`. */
export function signNodeRequest(key: SigningKey, nodeId: string, to: string, path: string, now = Date.now()): string {
  const expires = now + LIFETIME_MS;
  const nonce = randomBytes(12).toString('base64url');
  const signature = key.sign(Buffer.from(signedText(nodeId, to, path, expires, nonce))).toString('base64url');
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

  check(token: string | undefined, path: string, now = Date.now()): NodeCheck {
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
      valid = verify('sha256', Buffer.from(signedText(nodeId, me, path, expires, nonce)), createPublicKey(pem), Buffer.from(signature, 'base64url'));
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

/**
 * GET `path` of process `to`, signed as `from`, over HTTPS pinned to its admitted key (nothing is sent
 * to whoever else answers at its address); rejects when it cannot be reached, is not that process, or
 * answers nothing in `timeoutMs`.
 */
export function signedGet(to: NodePeer, path: string, from: { nodeId: string; key: SigningKey }, timeoutMs: number, signal?: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (!to.url.startsWith('https://')) return reject(new Error(`its address ${to.url} is not https://, and a site's processes talk only over TLS`));
    const headers = { [NODE_TOKEN_HEADER]: signNodeRequest(from.key, from.nodeId, to.nodeId, path) };
    const req = get(`${to.url}${path}`, { headers, agent: pinnedAgent(to.publicKeyPem), timeout: timeoutMs, ...(signal ? { signal } : {}) }, resolve);
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', reject);
  });
}
