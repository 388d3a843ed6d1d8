/**
 * The site's signers mirrored into a data folder (trusted-keys.ts): the processes the site admitted
 * are trusted by their key, by the app and by watchroom-verify alike; one no longer admitted, or
 * admitted again with another key, is no longer trusted; a name that is no process id writes nothing.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../electron/core/evidence/signing-key.js';
import { importTrustedKey, siteSignersDir, syncSiteSigners, trustedFingerprints, trustedKeys } from '../../electron/core/evidence/trusted-keys.js';

const pem = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const dirs: string[] = [];
const keysDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'watchroom-signers-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the site’s signers in a data folder', () => {
  it('trusts each admitted process by its key, says which process it is, and keeps imported keys apart', () => {
    const keys = keysDir();
    const [a, b, partner] = [pem(), pem(), pem()];
    importTrustedKey(keys, partner);
    syncSiteSigners(keys, [{ nodeId: 'rec-a', publicKey: a }, { nodeId: 'ws-1', publicKey: b }]);
    expect(trustedFingerprints(keys)).toEqual(new Set([a, b, partner].map(keyFingerprint)));
    expect(trustedKeys(keys)).toEqual(expect.arrayContaining([
      { fingerprint: keyFingerprint(a), source: { siteNode: 'rec-a' } },
      { fingerprint: keyFingerprint(b), source: { siteNode: 'ws-1' } },
      { fingerprint: keyFingerprint(partner), source: 'imported' },
    ]));
  });

  it('trusts a process no more once it is not admitted, or admitted with another key; the imported keys stay', () => {
    const keys = keysDir();
    const [a, b, a2, partner] = [pem(), pem(), pem(), pem()];
    importTrustedKey(keys, partner);
    syncSiteSigners(keys, [{ nodeId: 'rec-a', publicKey: a }, { nodeId: 'rec-b', publicKey: b }]);
    syncSiteSigners(keys, [{ nodeId: 'rec-a', publicKey: a2 }]);
    expect(trustedFingerprints(keys)).toEqual(new Set([a2, partner].map(keyFingerprint)));
    expect(readdirSync(siteSignersDir(keys))).toEqual(['rec-a.pem']);
  });

  it('writes nothing for a name that is no process id (a path, say)', () => {
    const keys = keysDir();
    syncSiteSigners(keys, [{ nodeId: '../trusted/evil', publicKey: pem() }, { nodeId: 'Rec A', publicKey: pem() }]);
    expect(readdirSync(siteSignersDir(keys))).toEqual([]);
    expect(trustedFingerprints(keys).size).toBe(0);
  });
});
