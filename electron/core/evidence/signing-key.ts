/**
 * The workstation's package-signing key: ECDSA P-256, made on first use, the private half readable by
 * the app's user alone (0600 in a 0700 folder). Signatures are DER over SHA-256, the form
 * `openssl dgst -sha256 -verify` accepts in OpenSSL 1.1, 3 and LibreSSL.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SigningKeyInfo } from '../../../shared/evidence.js';

export interface SigningKey extends SigningKeyInfo {
  sign(data: Buffer): Buffer;
}

/** SHA-256 of the SubjectPublicKeyInfo DER, as `ab:cd:…` (what `openssl pkey -pubin -outform DER | sha256sum` gives, with colons). */
export function keyFingerprint(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const hex = createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
  return hex.match(/../g)!.join(':');
}

export function loadOrCreateSigningKey(keysDir: string): SigningKey {
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const file = join(keysDir, 'signing-key.pem');
  let created = false;
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    created = true;
  }
  chmodSync(file, 0o600);
  const privateKey = createPrivateKey(readFileSync(file));
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  if (created) writeFileSync(join(keysDir, 'signing-key.pub.pem'), publicKeyPem);
  return {
    fingerprint: keyFingerprint(publicKey),
    publicKeyPem,
    sign: (data) => sign('sha256', data, { key: privateKey, dsaEncoding: 'der' }),
  };
}

export function verifySignature(data: Buffer, signature: Buffer, publicKeyPem: string): boolean {
  try {
    return verify('sha256', data, { key: createPublicKey(publicKeyPem), dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}
