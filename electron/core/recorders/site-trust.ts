/**
 * This process's view of who is admitted into the site (site-admission.ts), kept in memory because it
 * is asked on every node request and every seal: the site key as pinned here, and each process's
 * newest admission that key signed. Reloaded whole when the directory announces an admission (and
 * after a reconnect). A site key other than the pinned one admits nobody, and says so in the log.
 *
 * Nothing is pinned by being seen first (anyone with the directory's login could publish a key before
 * the site's first admission): the key is pinned here when this workstation made it, or when a person
 * said which it is (`--site-key`, the data folder's `site-key` file, or an administrator confirming it
 * in Site processes…). Until then the process admits nobody, and says why.
 */
import { coalesced } from '../coalesced.js';
import type { Directory } from '../directory/directory.js';
import { Emitter } from '../emitter.js';
import { keyFingerprint } from '../evidence/signing-key.js';
import type { Logger } from '../logger.js';
import { signedBySiteKey, siteKeyFingerprint, type Admission, type AdmissionTable, type SiteKeyRow } from './site-admission.js';

/** Where this process keeps the site key's fingerprint (its settings), or the one a person gave it (`--site-key`, the `site-key` file). */
export interface SiteKeyPin {
  get(): string | null;
  set(fingerprint: string): void;
  /** Given at the start (`--site-key`): `set` changes nothing. */
  readonly forced?: boolean;
}

const RECHECK_MS = 5_000;

/** A key's fingerprint; null for what the directory's writer put there that is no key. */
function fingerprintOrNull(publicKeyPem: string): string | null {
  try {
    return siteKeyFingerprint(publicKeyPem);
  } catch {
    return null;
  }
}

/** The directory's site key as this process stands to it. */
export type SiteKeyState = 'none' | 'confirmed' | 'unconfirmed' | 'other';

export class SiteTrust {
  private siteKey: SiteKeyRow | null = null;
  /** The directory's key, and how this process stands to it. */
  private found: { key: SiteKeyRow | null; known: string | null; state: SiteKeyState } = { key: null, known: null, state: 'none' };
  private admissions = new Map<string, Admission>();
  private readonly changes = new Emitter<void>();
  /** Fires when who is admitted changed (a recorder seals passwords for a recorder just admitted). */
  readonly onDidChange = this.changes.event;
  readonly refresh: () => Promise<void>;
  private readonly stopListening: () => void;
  private again: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    readonly table: AdmissionTable,
    directory: Pick<Directory, 'onChange'>,
    private readonly pin: SiteKeyPin,
    logger: Logger,
    private readonly hooks: {
      /** Whether this key's private half is in this process's keys (it made the site key). */
      madeHere(publicKeyPem: string): boolean;
      /** Told who is admitted after every load (the data folder's mirror of the site's signers). */
      onLoaded?(admissions: Admission[]): void;
    },
  ) {
    this.refresh = coalesced(() => this.load(logger));
    this.stopListening = directory.onChange('admissions', () => void this.refresh().catch((error: Error) => logger.log('warn', 'site: cannot read the admissions', { error: error.message })));
  }

  private async load(logger: Logger): Promise<void> {
    try {
      const key = await this.table.siteKey();
      const fingerprint = key ? fingerprintOrNull(key.publicKey) : null;
      if (fingerprint && !this.pin.get() && this.hooks.madeHere(key!.publicKey)) this.pin.set(fingerprint);
      const pinned = this.pin.get();
      const before = this.found;
      this.found = { key, known: pinned, state: !key ? 'none' : !pinned ? 'unconfirmed' : pinned === fingerprint ? 'confirmed' : 'other' };
      // Said once per change, not at every reload (an unconfirmed process reloads every few seconds).
      if (this.found.state !== before.state || this.found.key?.publicKey !== before.key?.publicKey) {
        if (this.found.state === 'other') logger.log('error', 'site: the directory’s admission key is not the one this process knows; it admits nobody', { pinned, found: fingerprint ?? 'not a key' });
        if (this.found.state === 'unconfirmed') logger.log('warn', 'site: the site’s admission key is not confirmed on this process; it admits nobody until a person confirms it', { found: fingerprint ?? 'not a key', how: 'Site processes… on a workstation; a recorder: its fingerprint in <data>/site-key, or --site-key' });
      }
      if (this.found.state !== 'confirmed') return this.take(null, []);
      this.take(key, (await this.table.all()).filter((a) => signedBySiteKey(a, key!.publicKey)));
    } finally {
      // Until the key is the one this process was told, read again now and then: a person may tell it by writing a file, which announces nothing.
      clearTimeout(this.again);
      if (!this.disposed && (this.found.state === 'unconfirmed' || this.found.state === 'other')) this.again = setTimeout(() => void this.refresh().catch(() => undefined), RECHECK_MS).unref();
    }
  }

  /** The directory's site key, how this process stands to it, and the fingerprint it knows (Site processes… shows them). */
  keyState(): { key: SiteKeyRow | null; known: string | null; state: SiteKeyState } {
    return this.found;
  }

  /** A person says `fingerprint` is the site key (compared with what the workstation that made it shows); the state it is in after. */
  async confirm(fingerprint: string): Promise<SiteKeyState> {
    this.pin.set(fingerprint);
    // A reload already running read the pin before it was set: the second call waits for one that reads it.
    await this.refresh();
    await this.refresh();
    return this.found.state;
  }

  private take(key: SiteKeyRow | null, admissions: Admission[]): void {
    const before = this.said();
    this.siteKey = key;
    this.admissions = new Map(admissions.map((a) => [a.nodeId, a])); // oldest first: the newest of each stands
    this.hooks.onLoaded?.(this.admissionsNow());
    if (this.said() !== before) void this.changes.fire().catch(() => undefined);
  }

  /** Who is admitted with which keys, as text: a reload that changed nothing tells nobody. */
  private said(): string {
    return JSON.stringify([this.siteKey?.publicKey ?? null, [...this.admissions.values()].map((a) => [a.nodeId, a.publicKey, a.sealingKey, a.admittedAt])]);
  }

  /** The site key in force here (null: none yet, or not the pinned one). */
  key(): SiteKeyRow | null {
    return this.siteKey;
  }

  /** Every admitted process with the key the site admitted it with: the site's signers. */
  admissionsNow(): Admission[] {
    return [...this.admissions.values()];
  }

  admission(nodeId: string): Admission | null {
    return this.admissions.get(nodeId) ?? null;
  }

  /** Whether the process is admitted with exactly the keys it registered, in the part it was admitted for (the directory's role column is anyone's to write). */
  admitted(node: { id: string; publicKey: string; sealingKey: string; role?: string }): boolean {
    const a = this.admissions.get(node.id);
    return !!a && a.publicKey === node.publicKey && a.sealingKey === node.sealingKey && (node.role === undefined || a.role === node.role);
  }

  /** Whether `nodeId` is a recorder the site admitted with the key of this fingerprint (verifying a package it vouched for). */
  admittedRecorder(nodeId: string, fingerprint: string): boolean {
    const a = this.admissions.get(nodeId);
    return !!a && a.role === 'recorder' && keyFingerprint(a.publicKey) === fingerprint;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.again);
    this.stopListening();
    this.changes.dispose();
  }
}
