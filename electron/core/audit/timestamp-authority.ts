/**
 * RFC 3161 time-stamps for ledger checkpoints. A time-stamp authority signs "this digest existed at
 * this time"; a ledger rewritten later cannot come with tokens for its new checkpoints dated in the
 * past. Asking is a small DER request over HTTP; checking is left to OpenSSL (`openssl ts -verify`),
 * the tool a recipient already has, so no ASN.1 or CMS code of ours stands between them and the proof.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToEnd } from '../streams/child-processes.js';

const SHA256_ALGORITHM = Buffer.from('300d06096086480165030402010500', 'hex');

function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

/** TimeStampReq { version 1, messageImprint { sha256, digest }, nonce, certReq TRUE } in DER. */
export function timestampRequest(sha256Digest: Buffer): Buffer {
  const nonce = randomBytes(8);
  nonce[0] = (nonce[0]! & 0x3f) | 0x40; // positive, minimal: DER wants no leading zero byte
  return der(0x30, Buffer.concat([der(0x02, Buffer.from([1])), der(0x30, Buffer.concat([SHA256_ALGORITHM, der(0x04, sha256Digest)])), der(0x02, nonce), der(0x01, Buffer.from([0xff]))]));
}

/** The header of one DER value at `at`: where its content starts and how long it is. */
function derHeader(bytes: Buffer, at: number): { tag: number; start: number; length: number } {
  const tag = bytes[at]!;
  const first = bytes[at + 1]!;
  if (first < 0x80) return { tag, start: at + 2, length: first };
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[at + 2 + i]!;
  return { tag, start: at + 2 + count, length };
}

/** PKIStatus of a TimeStampResp: 0 granted, 1 granted with modifications, anything else refused. */
export function timestampStatus(reply: Buffer): number {
  const resp = derHeader(reply, 0);
  const statusInfo = derHeader(reply, resp.start);
  const status = derHeader(reply, statusInfo.start);
  if (resp.tag !== 0x30 || statusInfo.tag !== 0x30 || status.tag !== 0x02) throw new Error('not a time-stamp reply');
  return reply[status.start + status.length - 1]!;
}

/** Asks `url` to time-stamp `sha256Digest`; the reply (DER TimeStampResp), or an error in words. */
export async function requestTimestamp(url: string, sha256Digest: Buffer, timeoutMs = 10_000): Promise<Buffer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/timestamp-query' },
    body: new Uint8Array(timestampRequest(sha256Digest)),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`the time-stamp authority answered HTTP ${res.status}`);
  const reply = Buffer.from(await res.arrayBuffer());
  const status = timestampStatus(reply);
  if (status > 1) throw new Error(`the time-stamp authority refused (status ${status})`);
  return reply;
}

/**
 * Checks a reply with OpenSSL against the authority's CA certificate: the signature, and that it
 * time-stamps `sha256Hex`. Returns the time it names, or an error in words.
 */
export async function checkTimestamp(reply: Buffer, sha256Hex: string, caFile: string): Promise<{ ok: true; time: Date } | { ok: false; problem: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'watchroom-tsr-'));
  try {
    const file = join(dir, 'reply.tsr');
    writeFileSync(file, reply);
    try {
      await runToEnd('openssl', ['ts', '-verify', '-digest', sha256Hex, '-in', file, '-CAfile', caFile]);
    } catch (error) {
      return { ok: false, problem: `OpenSSL does not accept the time-stamp: ${(error as Error).message}` };
    }
    const text = await runToEnd('openssl', ['ts', '-reply', '-in', file, '-text']);
    const time = /^Time stamp: (.+)$/m.exec(text)?.[1];
    return time ? { ok: true, time: new Date(time) } : { ok: false, problem: 'the time-stamp names no time' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
