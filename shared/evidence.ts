/** Evidence export and verification: what crosses the process boundary (shapes from shared/entities.ts). */
import type { z } from 'zod';
import type { exportJobSchema, packageSummarySchema, signingKeyInfoSchema, trustedKeySchema, verificationReportSchema } from './entities.js';
import type { exportRequestSchema } from './schemas.js';

export type ExportRequest = z.infer<typeof exportRequestSchema>;
export type Recipient = NonNullable<ExportRequest['recipient']>;
export type ExportJob = z.infer<typeof exportJobSchema>;
export type ExportState = ExportJob['state'];
export type SigningKeyInfo = z.infer<typeof signingKeyInfoSchema>;
export type VerificationReport = z.infer<typeof verificationReportSchema>;
export type VerificationFailure = VerificationReport['failures'][number];
export type VerificationOutcome = VerificationReport['outcome'];
export type CustodySigner = VerificationReport['custodySigners'][number];
export type TrustedKey = z.infer<typeof trustedKeySchema>;
export type PackageSummary = z.infer<typeof packageSummarySchema>;

/** Where the browser shell downloads a package made here, as a zip: under /media/, so through a signed link. */
export const packageDownloadPath = (folderName: string) => `/media/packages/${encodeURIComponent(folderName)}.zip`;
