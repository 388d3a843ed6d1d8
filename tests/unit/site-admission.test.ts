/**
 * Admissions into a site (recorders/site-admission.ts, site-trust.ts) with real keys: what the site
 * key signs, what a forged or edited admission is worth, and the site key a process pins.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey } from '../../electron/core/evidence/signing-key.js';
import { signAdmission, signedBySiteKey, siteKeyFingerprint, type Admission, type AdmissionTable, type SiteKeyRow } from '../../electron/core/recorders/site-admission.js';
import { SiteTrust } from '../../electron/core/recorders/site-trust.js';
import type { Logger } from '../../electron/core/logger.js';

const key = (name: string) => loadOrCreateSigningKey(mkdtempSync(join(tmpdir(), `watchroom-${name}-`)));
const [site, other, recorder] = [key('site'), key('other'), key('recorder')];
const node = { id: 'rec-a', publicKey: recorder.publicKeyPem, sealingKey: 'SEALING-PEM' };
const admit = (by = site, over: Partial<Admission> = {}) =>
  signAdmission(by, { nodeId: 'rec-a', role: 'recorder', publicKey: recorder.publicKeyPem, sealingKey: 'SEALING-PEM', admittedBy: 'ann', admittedAt: 1_000, ...over });

/** A trust over a directory holding `siteKey` and `admissions`, pinning into `pinned`. */
async function trustOver(siteKey: SiteKeyRow | null, admissions: Admission[], pinned: { value: string | null }) {
  const errors: string[] = [];
  const logger: Logger = { log: (level, msg) => void (level === 'error' && errors.push(msg)) };
  const table = { siteKey: async () => siteKey, all: async () => admissions } as unknown as AdmissionTable;
  const trust = new SiteTrust(table, { onChange: () => () => undefined }, { get: () => pinned.value, set: (fp) => void (pinned.value = fp) }, logger);
  await trust.refresh();
  return { trust, errors };
}
const row = (k = site): SiteKeyRow => ({ publicKey: k.publicKeyPem, madeBy: 'ann', madeAt: 1 });

describe('site admissions', () => {
  it('are the site key’s: any field edited, or signed by another key, and the signature fails', () => {
    const a = admit();
    expect(signedBySiteKey(a, site.publicKeyPem)).toBe(true);
    expect(signedBySiteKey(a, other.publicKeyPem)).toBe(false);
    for (const edit of [{ nodeId: 'rec-b' }, { publicKey: other.publicKeyPem }, { sealingKey: 'MINE' }, { role: 'workstation' as const }, { admittedBy: 'eve' }, { admittedAt: 2_000 }]) {
      expect(signedBySiteKey({ ...a, ...edit }, site.publicKeyPem), JSON.stringify(edit)).toBe(false);
    }
    expect(signedBySiteKey(admit(other), site.publicKeyPem)).toBe(false);
  });

  it('admit a process only with the keys it registered, and only when the site key signed them', async () => {
    const { trust } = await trustOver(row(), [admit(other, { nodeId: 'rec-b' }), admit()], { value: null });
    expect(trust.admitted(node)).toBe(true);
    expect(trust.admitted({ ...node, publicKey: other.publicKeyPem })).toBe(false); // registered again under its name with other keys
    expect(trust.admitted({ ...node, sealingKey: 'MINE' })).toBe(false);
    expect(trust.admitted({ ...node, id: 'rec-b' })).toBe(false); // its admission is signed by another key
  });

  it('keeps the first site key it sees, and admits nobody under another one, saying so', async () => {
    const pinned = { value: null as string | null };
    await trustOver(row(), [admit()], pinned);
    expect(pinned.value).toBe(siteKeyFingerprint(site.publicKeyPem));
    // The directory's key swapped for another (and admissions signed with it): nobody is admitted here.
    const { trust, errors } = await trustOver(row(other), [admit(other)], pinned);
    expect(trust.admitted(node)).toBe(false);
    expect(trust.key()).toBeNull();
    expect(errors).toEqual(['site: the directory’s admission key is not the one this process knows; it admits nobody']);
  });

  it('admits nobody while the site has no key', async () => {
    const { trust } = await trustOver(null, [admit()], { value: null });
    expect(trust.admitted(node)).toBe(false);
  });
});
