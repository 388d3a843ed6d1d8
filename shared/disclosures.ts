/**
 * Four-eyes disclosure and the disclosure register (issue 12, points 2 and 3): what crosses the
 * process boundary. A disclosure is an export for someone outside the organisation; it is a request
 * until a second person approves it, and every package that left is a row of the register, built
 * from the ledger alone.
 */
import { z } from 'zod';
import { ROLES } from './roles.js';
import { DISCLOSURE_STATES, exportRequestSchema, LEGAL_BASES, legalBasisSchema, type disclosureQuerySchema, type disclosureRequestInputSchema } from './schemas.js';

export { LEGAL_BASES, DISCLOSURE_STATES };

export const LEGAL_BASIS_NAMES: Record<(typeof LEGAL_BASES)[number], string> = {
  court: 'Court order',
  'police-investigation': 'Police investigation',
  'subject-access-request': 'Subject access request',
  insurance: 'Insurance claim',
  other: 'Other',
};

/** A person as a request keeps them: as they were when they acted. */
const actingPersonSchema = z.object({ id: z.string(), name: z.string(), displayName: z.string(), role: z.enum(ROLES) });

export const disclosureRequestSchema = z.object({
  id: z.string(),
  requestedBy: actingPersonSchema,
  requestedAt: z.number(),
  /** The site's workstation it was asked on, which builds it once approved (null on one machine). */
  requestedOn: z.string().nullable(),
  /** The whole export as asked; exactly this is built once approved. */
  export: exportRequestSchema,
  legalBasis: legalBasisSchema,
  state: z.enum(DISCLOSURE_STATES),
  decidedBy: actingPersonSchema.nullable(),
  decidedAt: z.number().nullable(),
  /** The approver's note, or why it was refused. */
  note: z.string().nullable(),
  /** The export job building it, once approved. */
  jobId: z.string().nullable(),
  /** The package folder's name, once built. */
  packageName: z.string().nullable(),
  /** Why building failed, in words. */
  failure: z.string().nullable(),
});

const registerPersonSchema = z.object({ name: z.string(), displayName: z.string().nullable(), role: z.string().nullable() });

/** One package that left, as the ledger tells it; each seq names the entry a value comes from. */
export const disclosureRowSchema = z.object({
  atUtc: z.string(),
  /** The same moment in this workstation's time zone, with its offset. */
  atLocal: z.string(),
  requestId: z.string().nullable(),
  requester: registerPersonSchema,
  /** Null for a package that left before four-eyes disclosure existed. */
  approver: registerPersonSchema.nullable(),
  approvedAtUtc: z.string().nullable(),
  approvalNote: z.string().nullable(),
  recipient: z.object({ person: z.string(), organisation: z.string() }),
  legalBasis: z.object({ basis: z.string(), text: z.string() }).nullable(),
  reason: z.string(),
  caseReference: z.string(),
  cameras: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
  fromUtc: z.string().nullable(),
  toUtc: z.string().nullable(),
  packageId: z.string(),
  packageName: z.string(),
  /** SHA-256 of the package's SHA256SUMS file (which covers every other file); null until sealed. */
  packageSha256: z.string().nullable(),
  signer: z.string().nullable(),
  requestSeq: z.number().nullable(),
  approvalSeq: z.number().nullable(),
  exportSeq: z.number(),
  sealedSeq: z.number().nullable(),
  /** On a site, the process whose ledger holds each entry (seqs count within one ledger); null on one machine. */
  requestNode: z.string().nullable(),
  approvalNode: z.string().nullable(),
  exportNode: z.string().nullable(),
  /** What the ledger's own entries say is wrong with this disclosure (none for a proper one), in words. */
  problems: z.array(z.string()),
});

export type LegalBasis = z.infer<typeof legalBasisSchema>;
export type DisclosureRequestInput = z.infer<typeof disclosureRequestInputSchema>;
export type DisclosureRequest = z.infer<typeof disclosureRequestSchema>;
export type DisclosureState = DisclosureRequest['state'];
export type DisclosureQuery = z.infer<typeof disclosureQuerySchema>;
export type DisclosureRow = z.infer<typeof disclosureRowSchema>;
