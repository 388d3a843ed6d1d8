/**
 * This process's view of who is admitted into the site (site-admission.ts), kept in memory because it
 * is asked on every node request and every seal: the site key as pinned here, and each process's
 * newest admission that key signed. Reloaded whole when the directory announces an admission (and
 * after a reconnect). A site key other than the pinned one admits nobody, and says so in the log.
 */
import { coalesced } from '../coalesced.js';
import type { Directory } from '../directory/directory.js';
import { Emitter } from '../emitter.js';
import { keyFingerprint } from '../evidence/signing-key.js';
import type { Logger } from '../logger.js';
import { signedBySiteKey, siteKeyFingerprint, type Admission, type AdmissionTable, type SiteKeyRow } from './site-admission.js';

/** Where this process keeps the site key's fingerprint (its settings), or the one it was started with (`--site-key`). */
export interface SiteKeyPin {
  get(): string | null;
  set(fingerprint: string): void;
}

export class SiteTrust {
  private siteKey: SiteKeyRow | null = null;
  private admissions = new Map<string, Admission>();
  private readonly changes = new Emitter<void>();
  /** Fires when who is admitted changed (a recorder seals passwords for a recorder just admitted). */
  readonly onDidChange = this.changes.event;
  readonly refresh: () => Promise<void>;
  private readonly stopListening: () => void;

  constructor(
    readonly table: AdmissionTable,
    directory: Pick<Directory, 'onChange'>,
    private readonly pin: SiteKeyPin,
    logger: Logger,
    /** Told who is admitted after every load (the data folder's mirror of the site's signers). */
    private readonly onLoaded: (admissions: Admission[]) => void = () => undefined,
  ) {
    this.refresh = coalesced(() => this.load(logger));
    this.stopListening = directory.onChange('admissions', () => void this.refresh().catch((error: Error) => logger.log('warn', 'site: cannot read the admissions', { error: error.message })));
  }

  private async load(logger: Logger): Promise<void> {
    const key = await this.table.siteKey();
    const pinned = this.pin.get();
    const fingerprint = key ? siteKeyFingerprint(key.publicKey) : null;
    if (key && pinned && pinned !== fingerprint) {
      logger.log('error', 'site: the directory’s admission key is not the one this process knows; it admits nobody', { pinned, found: fingerprint });
      this.take(null, []);
      return;
    }
    if (key && !pinned) this.pin.set(fingerprint!); // the first one seen is kept: a later swap is refused
    this.take(key, key ? (await this.table.all()).filter((a) => signedBySiteKey(a, key.publicKey)) : []);
  }

  private take(key: SiteKeyRow | null, admissions: Admission[]): void {
    const before = this.said();
    this.siteKey = key;
    this.admissions = new Map(admissions.map((a) => [a.nodeId, a])); // oldest first: the newest of each stands
    this.onLoaded(this.admissionsNow());
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

  /** Whether the process is admitted with exactly the keys it registered. */
  admitted(node: { id: string; publicKey: string; sealingKey: string }): boolean {
    const a = this.admissions.get(node.id);
    return !!a && a.publicKey === node.publicKey && a.sealingKey === node.sealingKey;
  }

  /** Whether `nodeId` is a recorder the site admitted with the key of this fingerprint (verifying a package it vouched for). */
  admittedRecorder(nodeId: string, fingerprint: string): boolean {
    const a = this.admissions.get(nodeId);
    return !!a && a.role === 'recorder' && keyFingerprint(a.publicKey) === fingerprint;
  }

  dispose(): void {
    this.stopListening();
    this.changes.dispose();
  }
}
