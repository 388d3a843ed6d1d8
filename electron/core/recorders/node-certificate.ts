/**
 * TLS between a site's processes, pinned by admission (the first step of closing README's "requests
 * between processes are plain HTTP"). A process's TLS certificate is issued by its own signing key,
 * the key the site admitted, for a TLS key of its own: a client that knows only the admitted key
 * tells the real process from a stand-in at its address (which cannot finish the handshake without
 * the TLS key, nor make a certificate for another key without the signing key), and the signing key
 * never signs a TLS handshake (one key, one use).
 *
 * The certificate is plain X.509 v3, DER written here (Node parses certificates but does not make
 * them): `openssl x509 -text` reads it, and `X509Certificate.verify` checks it.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { SigningKey } from '../evidence/signing-key.js';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';
const DAY_MS = 86_400_000;
/** Long: a certificate stops counting when its issuer's admission does, not by its own date. */
const VALID_DAYS = 3_650;

// --- DER, as much of it as a certificate needs (X.690) ---
const length = (n: number): Buffer => {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
};
const tlv = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const sequence = (...parts: Buffer[]) => tlv(0x30, ...parts);
const oid = (dotted: string): Buffer => {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const arcs = [a! * 40 + b!, ...rest].flatMap((arc) => {
    const out = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) out.unshift(0x80 | (v & 0x7f));
    return out;
  });
  return tlv(0x06, Buffer.from(arcs));
};
/** A positive INTEGER from big-endian bytes (a leading zero when the top bit is set). */
const integer = (bytes: Buffer) => tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
const time = (ms: number): Buffer => {
  const iso = new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return new Date(ms).getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
};
const name = (commonName: string) => sequence(tlv(0x31, sequence(oid(COMMON_NAME), tlv(0x0c, Buffer.from(commonName, 'utf8')))));

/** A certificate for `tlsKey` (its public half is taken from a private key), naming the process, signed by its signing key; PEM. */
export function issueNodeCertificate(issuer: SigningKey, tlsKey: KeyObject, nodeId: string, nowMs = Date.now()): string {
  const algorithm = sequence(oid(ECDSA_WITH_SHA256));
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive and not zero-padded
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.from([2]))), // v3
    integer(serial),
    algorithm,
    name(`watchroom site process signing key ${issuer.fingerprint}`),
    sequence(time(nowMs - DAY_MS), time(nowMs + VALID_DAYS * DAY_MS)),
    name(`watchroom-${nodeId}`),
    (tlsKey.type === 'private' ? createPublicKey(tlsKey) : tlsKey).export({ type: 'spki', format: 'der' }),
  );
  const der = sequence(tbs, algorithm, tlv(0x03, Buffer.from([0]), issuer.sign(tbs)));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * What a process's HTTPS server shows: its TLS key (made once, `<keys>/tls-key.pem`, 0600) and a
 * certificate for it issued now by its signing key. Issued at each start, so a process admitted again
 * with another signing key shows the new one without anyone touching files.
 */
export function nodeTls(keysDir: string, issuer: SigningKey, label: string): { key: string; cert: string } {
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const file = join(keysDir, 'tls-key.pem');
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const key = readFileSync(file, 'utf8');
  return { key, cert: issueNodeCertificate(issuer, createPrivateKey(key), label) };
}

/** Whether a process's certificate was issued by this (admitted) signing key and is in its dates. */
export function issuedBy(certificate: X509Certificate, signingKeyPem: string, nowMs = Date.now()): boolean {
  try {
    return certificate.verify(createPublicKey(signingKeyPem)) && Date.parse(certificate.validFrom) <= nowMs && nowMs <= Date.parse(certificate.validTo);
  } catch {
    return false;
  }
}

export class NotTheAdmittedProcess extends Error {
  constructor(readonly address: string) {
    super(`The process at ${address} did not show a certificate issued by the key the site admitted: it is not that process.`);
  }
}

/**
 * An HTTPS agent that hands out a connection only once the peer has shown a certificate issued by
 * `signingKeyPem`: nothing, not even a request's token, is sent to anyone else. Names and CAs play no
 * part (a site's addresses are whatever its directory says).
 */
export function pinnedAgent(signingKeyPem: string): Agent {
  const agent = new Agent({ keepAlive: false });
  const pinned = (options: ConnectionOptions, done: (error: Error | null, socket?: TLSSocket) => void): undefined => {
    const socket = connect({ ...options, rejectUnauthorized: false });
    let told = false;
    const tell = (error: Error | null) => {
      if (told) return;
      told = true;
      if (error) socket.destroy();
      done(error, error ? undefined : socket);
    };
    socket.once('secureConnect', () => {
      const cert = socket.getPeerX509Certificate();
      tell(cert && issuedBy(cert, signingKeyPem) ? null : new NotTheAdmittedProcess(`${String(options.host)}:${String(options.port)}`));
    });
    socket.once('error', tell);
    return undefined;
  };
  // http.Agent takes a connection made asynchronously through the callback (createConnection returning nothing).
  agent.createConnection = pinned as unknown as Agent['createConnection'];
  return agent;
}
