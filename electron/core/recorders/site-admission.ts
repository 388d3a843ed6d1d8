/**
 * Which processes of a site a person let in. Anyone who can write to the directory's database can
 * register a process there; only an administrator admits one, on a workstation, after comparing the
 * key fingerprint the process shows at its start with the one listed. The admission names the
 * process's keys (its signing key; a recorder's sealing key too) and is signed with the site's
 * admission key, whose public half every process pins the first time it sees it (or is given with
 * `--site-key`). So a row written into the directory by someone without that key admits nobody:
 * recorders seal camera passwords only to admitted recorders and serve footage only to admitted
 * processes, and workstations play only admitted recorders.
 *
 * The site key is made by the first admission, on the workstation where it happens, and stays there
 * (keys/site/, as the workstation's own key is kept): admissions are made on that workstation.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../canonical-json.js';
import type { Db } from '../directory/postgres-directory.js';
import { appendOnlySql } from '../directory/append-only.js';
import { keyFingerprint, loadOrCreateSigningKey, verifySignature, type SigningKey } from '../evidence/signing-key.js';

export interface Admission {
  nodeId: string;
  role: 'recorder' | 'workstation';
  /** The process's signing key (PEM), as it registered it. */
  publicKey: string;
  /** A recorder's sealing key (PEM); empty for a workstation. */
  sealingKey: string;
  /** The administrator who admitted it. */
  admittedBy: string;
  admittedAt: number;
  /** Base64 DER ECDSA over admissionBody, by the site key. */
  signature: string;
}

export interface SiteKeyRow {
  publicKey: string;
  madeBy: string;
  madeAt: number;
}

/** What the site key signs: every field but the signature, as canonical JSON. */
export const admissionBody = (a: Omit<Admission, 'signature'>) =>
  Buffer.from(canonicalJson({ nodeId: a.nodeId, role: a.role, publicKey: a.publicKey, sealingKey: a.sealingKey, admittedBy: a.admittedBy, admittedAt: a.admittedAt }));

export function signAdmission(key: SigningKey, a: Omit<Admission, 'signature'>): Admission {
  return { ...a, signature: key.sign(admissionBody(a)).toString('base64') };
}

/** Whether the site key signed this admission as it reads. */
export const signedBySiteKey = (a: Admission, siteKeyPem: string) => verifySignature(admissionBody(a), Buffer.from(a.signature, 'base64'), siteKeyPem);

/** The site key's private half on this workstation, if it holds it. */
export function siteKeyHere(keysDir: string): SigningKey | null {
  return existsSync(join(keysDir, 'site', 'signing-key.pem')) ? loadOrCreateSigningKey(join(keysDir, 'site')) : null;
}

/** Makes the site key on this workstation (the first admission of the site). */
export const makeSiteKey = (keysDir: string): SigningKey => loadOrCreateSigningKey(join(keysDir, 'site'));

export const siteKeyFingerprint = (publicKeyPem: string) => keyFingerprint(publicKeyPem);

/** A fingerprint as people type it (colons, spaces, case do not matter) in the form keys are shown; null if it is none. */
export function fingerprintTyped(typed: string): string | null {
  const hex = typed.toLowerCase().replace(/[\s:]/g, '');
  return /^[0-9a-f]{64}$/.test(hex) ? hex.match(/../g)!.join(':') : null;
}

/** The schema, as one of the directory's numbered migrations: one site key, made once; admissions only added. */
export const ADMISSION_TABLES = `
  CREATE TABLE site_key (
    id text PRIMARY KEY CHECK (id = 'site'),
    public_key text NOT NULL,
    made_by text NOT NULL,
    made_at bigint NOT NULL
  );
  CREATE TABLE node_admissions (
    node_id text NOT NULL,
    role text NOT NULL CHECK (role IN ('recorder', 'workstation')),
    public_key text NOT NULL,
    sealing_key text NOT NULL,
    admitted_by text NOT NULL,
    admitted_at bigint NOT NULL,
    signature text NOT NULL,
    PRIMARY KEY (node_id, admitted_at)
  );
  ${appendOnlySql('admissions_append_only', 'the site key and admissions are never changed or removed', ['site_key', 'node_admissions'])}
`;

interface AdmissionRow {
  node_id: string;
  role: Admission['role'];
  public_key: string;
  sealing_key: string;
  admitted_by: string;
  admitted_at: string;
  signature: string;
}

/** The site key and the admissions in the directory; an admission is announced (topic `admissions`). */
export class AdmissionTable {
  constructor(private readonly db: Db) {}

  async siteKey(): Promise<SiteKeyRow | null> {
    const [row] = await this.db.query<{ public_key: string; made_by: string; made_at: string }>("SELECT public_key, made_by, made_at FROM site_key WHERE id = 'site'");
    return row ? { publicKey: row.public_key, madeBy: row.made_by, madeAt: Number(row.made_at) } : null;
  }

  /** Publishes the site key unless there is one; the one in force either way. */
  async publishSiteKey(key: SiteKeyRow): Promise<SiteKeyRow> {
    await this.db.change('admissions', 'site', async (client) => {
      const { rowCount } = await client.query("INSERT INTO site_key (id, public_key, made_by, made_at) VALUES ('site', $1, $2, $3) ON CONFLICT DO NOTHING", [key.publicKey, key.madeBy, key.madeAt]);
      return rowCount ? true : null;
    });
    return (await this.siteKey())!;
  }

  /** Every admission, oldest first (a later one for the same process stands: its keys changed). */
  async all(): Promise<Admission[]> {
    const rows = await this.db.query<AdmissionRow>('SELECT * FROM node_admissions ORDER BY admitted_at, node_id');
    return rows.map((r) => ({ nodeId: r.node_id, role: r.role, publicKey: r.public_key, sealingKey: r.sealing_key, admittedBy: r.admitted_by, admittedAt: Number(r.admitted_at), signature: r.signature }));
  }

  async add(a: Admission): Promise<void> {
    await this.db.change('admissions', a.nodeId, (client) =>
      client.query('INSERT INTO node_admissions (node_id, role, public_key, sealing_key, admitted_by, admitted_at, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        a.nodeId,
        a.role,
        a.publicKey,
        a.sealingKey,
        a.admittedBy,
        a.admittedAt,
        a.signature,
      ]),
    );
  }
}
