/**
 * Admissions into a site (recorders/site-admission.ts, site-trust.ts) with real keys: what the site
 * key signs, what a forged or edited admission is worth, and the site key a process pins: the one it
 * made, or the one a person told it, never the first one it happens to see.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey } from '../../electron/core/evidence/signing-key.js';
import { signAdmission, signedBySiteKey, siteKeyFingerprint, type Admission, type AdmissionTable, type SiteKeyRow } from '../../electron/core/recorders/site-admission.js';
import { SiteTrust } from '../../electron/core/recorders/site-trust.js';
import type { Logger } from '../../electron/core/logger.js';
import { siteKeyPin } from '../../electron/core/recorders/site-module.js';
import type { SettingsStore } from '../../electron/core/settings/settings-store.js';

const key = (name: string) => loadOrCreateSigningKey(mkdtempSync(join(tmpdir(), `watchroom-${name}-`)));
const [site, other, recorder] = [key('site'), key('other'), key('recorder')];
const node = { id: 'rec-a', publicKey: recorder.publicKeyPem, sealingKey: 'SEALING-PEM' };
const admit = (by = site, over: Partial<Admission> = {}) =>
  signAdmission(by, { nodeId: 'rec-a', role: 'recorder', publicKey: recorder.publicKeyPem, sealingKey: 'SEALING-PEM', admittedBy: 'ann', admittedAt: 1_000, ...over });

/** A trust over a directory holding `siteKey` and `admissions`, pinning into `pinned`; `madeHere`: the site key this process holds, if any. */
async function trustOver(siteKey: SiteKeyRow | null, admissions: Admission[], pinned: { value: string | null }, madeHere: string | null = null) {
  const errors: string[] = [];
  const logger: Logger = { log: (level, msg) => void (level !== 'info' && errors.push(msg)) };
  const table = { siteKey: async () => siteKey, all: async () => admissions } as unknown as AdmissionTable;
  const trust = new SiteTrust(table, { onChange: () => () => undefined }, { get: () => pinned.value, set: (fp) => void (pinned.value = fp) }, logger, { madeHere: (pem) => pem === madeHere });
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
    const { trust } = await trustOver(row(), [admit(other, { nodeId: 'rec-b' }), admit()], { value: siteKeyFingerprint(site.publicKeyPem) });
    expect(trust.admitted(node)).toBe(true);
    expect(trust.admitted({ ...node, publicKey: other.publicKeyPem })).toBe(false); // registered again under its name with other keys
    expect(trust.admitted({ ...node, sealingKey: 'MINE' })).toBe(false);
    expect(trust.admitted({ ...node, id: 'rec-b' })).toBe(false); // its admission is signed by another key
    expect(trust.admitted({ ...node, role: 'recorder' })).toBe(true);
    expect(trust.admitted({ ...node, role: 'workstation' }), 'the directory’s role column rewritten').toBe(false);
  });

  it('does not keep the first site key it sees: it admits nobody under a key nobody confirmed, saying so, until a person confirms it', async () => {
    const pinned = { value: null as string | null };
    const unconfirmed = await trustOver(row(), [admit()], pinned);
    expect(pinned.value).toBeNull();
    expect(unconfirmed.trust.admitted(node)).toBe(false);
    expect(unconfirmed.trust.keyState()).toMatchObject({ state: 'unconfirmed', key: row() });
    expect(unconfirmed.errors).toEqual(['site: the site’s admission key is not confirmed on this process; it admits nobody until a person confirms it']);
    await unconfirmed.trust.refresh(); // reloads (every few seconds while unconfirmed) say it once
    expect(unconfirmed.errors).toHaveLength(1);
    await unconfirmed.trust.confirm(siteKeyFingerprint(site.publicKeyPem));
    expect(unconfirmed.trust.admitted(node)).toBe(true);
    expect(pinned.value).toBe(siteKeyFingerprint(site.publicKeyPem));
  });

  it('keeps the site key it made itself, and admits nobody under another one, saying so', async () => {
    const pinned = { value: null as string | null };
    const maker = await trustOver(row(), [admit()], pinned, site.publicKeyPem);
    expect(pinned.value).toBe(siteKeyFingerprint(site.publicKeyPem));
    expect(maker.trust.admitted(node)).toBe(true);
    // The directory's key swapped for another (and admissions signed with it): nobody is admitted here.
    const { trust, errors } = await trustOver(row(other), [admit(other)], pinned);
    expect(trust.admitted(node)).toBe(false);
    expect(trust.key()).toBeNull();
    expect(trust.keyState().state).toBe('other');
    expect(errors).toEqual(['site: the directory’s admission key is not the one this process knows; it admits nobody']);
  });

  it('admits nobody while the site has no key', async () => {
    const { trust } = await trustOver(null, [admit()], { value: null });
    expect(trust.admitted(node)).toBe(false);
  });
});

describe('the site key a person gave a process', () => {
  const settings = () => {
    const values = new Map<string, unknown>();
    return { get: (k: string) => values.get(k), set: (k: string, v: unknown) => void values.set(k, v) } as unknown as SettingsStore;
  };
  it('is read from the data folder’s site-key file as typed (colons, spaces, case), and nothing that is not a fingerprint counts', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'watchroom-site-key-')), 'site-key');
    const pin = siteKeyPin(settings(), undefined, file);
    expect(pin.get()).toBeNull();
    const fp = siteKeyFingerprint(site.publicKeyPem);
    writeFileSync(file, `  ${fp.replaceAll(':', ' ').toUpperCase()}\n`);
    expect(pin.get()).toBe(fp);
    writeFileSync(file, `${fp.slice(0, 40)}\n`);
    expect(pin.get()).toBeNull();
    writeFileSync(file, 'x'.repeat(10_000));
    expect(pin.get()).toBeNull();
  });

  it('is --site-key before anything else, and settings (confirmed or made here) before the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'watchroom-site-key-')), 'site-key');
    writeFileSync(file, siteKeyFingerprint(other.publicKeyPem));
    const s = settings();
    expect(siteKeyPin(s, 'forced', file).get()).toBe('forced');
    const pin = siteKeyPin(s, undefined, file);
    pin.set(siteKeyFingerprint(site.publicKeyPem));
    expect(pin.get()).toBe(siteKeyFingerprint(site.publicKeyPem));
  });
});
