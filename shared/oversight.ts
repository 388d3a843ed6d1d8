/** The oversight report (issue 12, point 7) as the API gives it: where a report is, and its figures in brief. */
import { z } from 'zod';

const count = z.number().int().nonnegative();

/** A report folder in the data folder's reports/. */
export const oversightReportInfoSchema = z.object({
  name: z.string(),
  month: z.string(),
  generatedAtUtc: z.string(),
  /** A media path for the PDF (sign it with mediaLink to open it in the browser shell). */
  pdfPath: z.string(),
});

export const oversightReportSummarySchema = oversightReportInfoSchema.extend({
  folder: z.string(),
  reportSha256: z.string(),
  /** `taken`: no signed checkpoint covered the month yet, so one was taken for this report. */
  checkpoint: z.object({ seq: count, at: z.string(), taken: z.boolean() }),
  ledger: z.object({ firstSeq: count.nullable(), lastSeq: count.nullable(), entries: count }),
  figures: z.object({
    liveViews: count,
    liveSeconds: count,
    playbackSessions: count,
    playbackSeconds: count,
    exports: count,
    disclosures: count,
    maskLifts: count,
    deletionReceipts: count,
    deletedSegments: count,
    deletedBytes: count,
    failedSignIns: count,
    configurationChanges: count,
  }),
  byLegalBasis: z.array(z.object({ basis: z.string(), count })),
  byOrganisation: z.array(z.object({ organisation: z.string(), count })),
});

export type OversightReportInfo = z.infer<typeof oversightReportInfoSchema>;
export type OversightReportSummary = z.infer<typeof oversightReportSummarySchema>;
