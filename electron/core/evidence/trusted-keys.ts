/**
 * Signers a workstation trusts: its own key and the keys an evidence officer imported (one PEM per
 * file in <data>/keys/trusted/). A package signed by anyone else verifies as "signer untrusted".
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WatchroomError } from '../../../shared/errors.js';
import { keyFingerprint } from './signing-key.js';

export function trustedKeysDir(keysDir: string): string {
  return join(keysDir, 'trusted');
}

/** Fingerprints of every key trusted by the data folder's workstation. */
export function trustedFingerprints(keysDir: string): Set<string> {
  const pems: string[] = [];
  const own = join(keysDir, 'signing-key.pub.pem');
  if (existsSync(own)) pems.push(readFileSync(own, 'utf8'));
  const dir = trustedKeysDir(keysDir);
  if (existsSync(dir)) for (const name of readdirSync(dir).filter((n) => n.endsWith('.pem'))) pems.push(readFileSync(join(dir, name), 'utf8'));
  const out = new Set<string>();
  for (const pem of pems) {
    try {
      out.add(keyFingerprint(pem));
    } catch {
      // An unreadable key file trusts nobody.
    }
  }
  return out;
}

/** Adds a public key to the trusted list; returns its fingerprint. */
export function importTrustedKey(keysDir: string, pem: string): string {
  let fingerprint: string;
  try {
    fingerprint = keyFingerprint(pem);
  } catch {
    throw new WatchroomError('evidence.bad-key', 'That is not a PEM public key.');
  }
  const dir = trustedKeysDir(keysDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, `${fingerprint.replace(/:/g, '').slice(0, 32)}.pem`), pem);
  return fingerprint;
}
