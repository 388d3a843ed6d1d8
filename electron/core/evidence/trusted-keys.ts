/**
 * Signers a workstation trusts: its own key, the keys an evidence officer imported (one PEM per file
 * in <data>/keys/trusted/), and in a site the keys of the processes the site admitted (mirrored into
 * <data>/keys/site-signers/<node>.pem, so watchroom-verify trusts them with no database). A package
 * signed by anyone else verifies as "signer untrusted".
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WatchroomError } from '../../../shared/errors.js';
import { NODE_ID } from '../recorders/node-id.js';
import { keyFingerprint } from './signing-key.js';

export function trustedKeysDir(keysDir: string): string {
  return join(keysDir, 'trusted');
}

export function siteSignersDir(keysDir: string): string {
  return join(keysDir, 'site-signers');
}

/** The keys of one folder's .pem files, by file name. */
function pemsIn(dir: string): Map<string, string> {
  if (!existsSync(dir)) return new Map();
  return new Map(readdirSync(dir).filter((n) => n.endsWith('.pem')).map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
}

const fingerprintOrNull = (pem: string) => {
  try {
    return keyFingerprint(pem);
  } catch {
    return null; // an unreadable key file trusts nobody
  }
};

/** Fingerprints of every key trusted by the data folder's workstation. */
export function trustedFingerprints(keysDir: string): Set<string> {
  return new Set(trustedKeys(keysDir).map((k) => k.fingerprint));
}

/** Every key trusted here, and why: this workstation's own, imported, or a process the site admitted (its id). */
export function trustedKeys(keysDir: string): Array<{ fingerprint: string; source: 'own' | 'imported' | { siteNode: string } }> {
  const own = join(keysDir, 'signing-key.pub.pem');
  const all = [
    ...(existsSync(own) ? [{ pem: readFileSync(own, 'utf8'), source: 'own' as const }] : []),
    ...[...pemsIn(trustedKeysDir(keysDir)).values()].map((pem) => ({ pem, source: 'imported' as const })),
    ...[...pemsIn(siteSignersDir(keysDir))].map(([name, pem]) => ({ pem, source: { siteNode: name.slice(0, -'.pem'.length) } })),
  ];
  return all.flatMap(({ pem, source }) => [fingerprintOrNull(pem)].filter((f) => f !== null).map((fingerprint) => ({ fingerprint, source })));
}

/**
 * The site's admitted processes as this folder's site signers: one PEM per process, written when it
 * changed; a process no longer admitted (or admitted with another key) is no longer trusted here.
 */
export function syncSiteSigners(keysDir: string, signers: ReadonlyArray<{ nodeId: string; publicKey: string }>): void {
  const dir = siteSignersDir(keysDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const want = new Map(signers.filter((s) => NODE_ID.test(s.nodeId)).map((s) => [`${s.nodeId}.pem`, s.publicKey]));
  const have = pemsIn(dir);
  for (const name of have.keys()) if (!want.has(name)) rmSync(join(dir, name), { force: true });
  for (const [name, pem] of want) if (have.get(name) !== pem) writeFileSync(join(dir, name), pem, { mode: 0o600 });
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
