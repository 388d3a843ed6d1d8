/**
 * The oversight report as a feature (issue 12, point 7): generates a month's report folder from the
 * ledger up to a signed checkpoint, lists the reports, and serves their PDF to those who may read
 * them. The checkpoint is the first signed one at or after the last entry dated before the month
 * ended: the earliest that fixes the whole month, so generating again from the same ledger names
 * the same checkpoint and gives the same report.json. If none exists yet, one is taken first.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { OversightReportInfo, OversightReportSummary } from '../../../shared/oversight.js';
import { WatchroomError } from '../../../shared/errors.js';
import { can } from '../../../shared/roles.js';
import { readLedgerLines, type AuditLedger } from '../audit/audit-ledger.js';
import { readCheckpoints, signedBy, type Checkpoint } from '../audit/ledger-checkpoints.js';
import type { SigningKey } from '../evidence/signing-key.js';
import type { FeatureModule, MediaRoute } from '../feature-module.js';
import { sendFile, sendText } from '../http-reply.js';
import type { Logger } from '../logger.js';
import { monthBounds, oversightReport, type OversightReport } from './oversight-report.js';
import { REPORT_FOLDER, REPORT_PDF, REPORTS_DIR, writeReportFolder } from './report-folder.js';
import { renderReportPdf } from './report-pdf.js';

export interface OversightDeps {
  dataDir: string;
  ledger: AuditLedger;
  checkpoints: { readonly file: string; take(): Promise<void> };
  key: () => SigningKey;
  logger: Logger;
}

const pdfPath = (name: string) => `/media/reports/${name}/${REPORT_PDF}`;

export function createOversightModule(deps: OversightDeps): FeatureModule {
  const reportsDir = join(deps.dataDir, REPORTS_DIR);
  return {
    handlers: {
      createOversightReport: async ({ month }, ctx) => {
        const summary = await generateOversightReport(deps, month);
        ctx.record(month, { month, folder: summary.name, reportSha256: summary.reportSha256, checkpoint: { seq: summary.checkpoint.seq, hash: summary.checkpointHash, taken: summary.checkpoint.taken } });
        const { checkpointHash: _hash, ...rest } = summary;
        return rest;
      },
      listOversightReports: async () => listReports(reportsDir),
    },
    mediaRoutes: [pdfRoute(reportsDir, deps)],
  };
}

/** Builds, signs and files the report for `month`; what it says in brief. */
export async function generateOversightReport(deps: OversightDeps, month: string, nowMs = Date.now()): Promise<OversightReportSummary & { checkpointHash: string }> {
  const { fromMs, toMs } = monthBounds(month);
  if (fromMs > nowMs) throw new WatchroomError('report.bad-month', `${month} has not begun yet: there is nothing to report.`);
  const last = await lastSeqBefore(deps.ledger.file, toMs);
  const key = deps.key();
  let checkpoint = coveringCheckpoint(deps.checkpoints.file, key.publicKeyPem, last);
  const checkpointTaken = !checkpoint;
  if (checkpointTaken) {
    await deps.checkpoints.take();
    checkpoint = coveringCheckpoint(deps.checkpoints.file, key.publicKeyPem, last);
  }
  if (!checkpoint) throw new WatchroomError('report.no-checkpoint', `No signed ledger checkpoint covers ${month} yet, and none could be taken now; try again in a few minutes.`);
  const report = await oversightReport(readLedgerLines(deps.ledger.file), month, checkpoint);
  const generatedAtUtc = new Date(nowMs).toISOString();
  const pdf = await renderReportPdf(report, { signer: key.fingerprint, generatedAtUtc });
  const written = writeReportFolder(deps.dataDir, { report, pdf, key, atMs: nowMs });
  return { name: written.name, month, generatedAtUtc, pdfPath: pdfPath(written.name), folder: written.folder, reportSha256: written.reportSha256, checkpoint: { seq: checkpoint.seq, at: checkpoint.at, taken: checkpointTaken }, checkpointHash: checkpoint.hash, ...summaryOf(report) };
}

/** The sequence number of the newest entry dated before `toMs` (0 when there is none). */
async function lastSeqBefore(ledgerFile: string, toMs: number): Promise<number> {
  let last = 0;
  for await (const { entry } of readLedgerLines(ledgerFile)) if (entry && Date.parse(entry.at) < toMs) last = Math.max(last, entry.seq);
  return last;
}

/** The first checkpoint at or after entry `seq` that the workstation key signed. */
function coveringCheckpoint(file: string, publicKeyPem: string, seq: number): Checkpoint | null {
  const signed = signedBy(publicKeyPem);
  return readCheckpoints(file).find((c): c is Checkpoint => c !== null && c.seq >= Math.max(1, seq) && signed(c)) ?? null;
}

function summaryOf(r: OversightReport) {
  return {
    ledger: r.ledger,
    figures: {
      liveViews: r.views.live.opened,
      liveSeconds: r.views.live.seconds,
      playbackSessions: r.views.playback.sessions,
      playbackSeconds: r.views.playback.seconds,
      exports: r.exports.total,
      disclosures: r.exports.disclosures,
      maskLifts: r.maskLifts.count,
      deletionReceipts: r.deletions.receipts,
      deletedSegments: r.deletions.segments,
      deletedBytes: r.deletions.bytes,
      failedSignIns: r.failedSignIns.total,
      configurationChanges: r.configuration.total,
    },
    byLegalBasis: r.exports.byLegalBasis.map((b) => ({ basis: String(b.basis), count: Number(b.count) })),
    byOrganisation: r.exports.byOrganisation.map((o) => ({ organisation: String(o.organisation), count: Number(o.count) })),
  };
}

function listReports(reportsDir: string): OversightReportInfo[] {
  if (!existsSync(reportsDir)) return [];
  return readdirSync(reportsDir)
    .flatMap((name) => {
      const m = REPORT_FOLDER.exec(name);
      return m ? [{ name, month: m[1]!, generatedAtUtc: m[2]!.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'), pdfPath: pdfPath(name) }] : [];
    })
    .sort((a, b) => (a.generatedAtUtc < b.generatedAtUtc ? 1 : a.generatedAtUtc > b.generatedAtUtc ? -1 : 0));
}

/** /media/reports/<folder>/report.pdf, for those who may read reports; only a folder the core named, only its PDF. */
function pdfRoute(reportsDir: string, { ledger, logger }: Pick<OversightDeps, 'ledger' | 'logger'>): MediaRoute {
  return {
    pattern: /^\/media\/reports\/([^/]+)\/report\.pdf$/,
    serve({ person, res }, match) {
      if (!can(person.role, 'oversight.report')) return sendText(res, 403, 'Oversight reports are for evidence officers and administrators.');
      const name = match[1]!;
      const file = join(reportsDir, name, REPORT_PDF);
      if (!REPORT_FOLDER.test(name) || !existsSync(file) || !statSync(file).isFile()) return sendText(res, 404, 'There is no such oversight report.');
      ledger.append({ name: person.name, role: person.role }, 'oversight.report-read', name, {});
      sendFile(res, file, logger, { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${name}.pdf"`, 'Cache-Control': 'no-store' });
    },
  };
}
