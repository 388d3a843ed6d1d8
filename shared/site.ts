/**
 * The processes of a site as an administrator sees them when admitting them (issue 13): each with
 * its key's fingerprint, to compare with the one the process shows at its start.
 */
import { z } from 'zod';

/** A process id as recorders and workstations take them (`--id`). */
export const siteNodeIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'A process id is lower-case letters, digits and hyphens.' });

export const siteNodeSchema = z.object({
  id: siteNodeIdSchema,
  role: z.enum(['recorder', 'workstation']),
  name: z.string(),
  url: z.string(),
  /** SHA-256 of its signing key, as `ab:cd:…`. */
  fingerprint: z.string(),
  /** It renewed its presence within the lease term. */
  alive: z.boolean(),
  /** Admitted with exactly the keys it has now. */
  admitted: z.boolean(),
  admittedBy: z.string().nullable(),
  admittedAt: z.number().nullable(),
  /** The process answering (this workstation). */
  here: z.boolean(),
});
export type SiteNode = z.infer<typeof siteNodeSchema>;

export const admitNodeSchema = z.object({
  nodeId: siteNodeIdSchema,
  /** As the process shows it at its start; colons, spaces and case do not matter. */
  fingerprint: z.string().trim().min(1, { error: 'Type the fingerprint the process shows at its start.' }).max(200),
});

/** The site's admission key as a workstation stands to it: it admits nobody until the key is confirmed here (or made here). */
export const siteKeyInfoSchema = z.object({
  /** SHA-256 of the directory's key, as `ab:cd:…` ('' for a row that holds no key). */
  fingerprint: z.string(),
  /** The fingerprint this workstation trusts (made here, or confirmed), when it knows one: after a swap, the real one. */
  known: z.string().nullable(),
  /** As the directory's row says (whoever wrote it). */
  madeBy: z.string(),
  madeAt: z.number(),
  /** confirmed: this workstation trusts it; unconfirmed: nobody said which key is the site's here yet; other: this workstation knows another key (a swap). */
  state: z.enum(['confirmed', 'unconfirmed', 'other']),
  /** This workstation holds its private half (it made it: admissions are made here). */
  madeHere: z.boolean(),
});
export type SiteKeyInfo = z.infer<typeof siteKeyInfoSchema>;

export const confirmSiteKeySchema = z.object({
  /** As Site processes… shows it on the workstation that made it; colons, spaces and case do not matter. */
  fingerprint: z.string().trim().min(1, { error: 'Type the site key’s fingerprint as the workstation that made it shows it.' }).max(200),
});
