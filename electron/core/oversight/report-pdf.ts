/**
 * The oversight report as a printable A4 PDF: the same figures as report.json (which is what is
 * signed and recomputed; the PDF is its reading copy, listed in the signed SHA256SUMS too), as tables
 * and bar charts. pdfkit is pure JavaScript (no browser, no native code), so the core makes the PDF
 * wherever it runs. DejaVu Sans (fonts-dejavu-core, which setup-system.sh installs) is embedded when
 * present so names in any script print; otherwise the PDF standard Helvetica is used.
 */
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { OversightReport } from './oversight-report.js';

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const FONT_BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
const MARGIN = 50;
const WIDTH = 595.28 - 2 * MARGIN;
const INK = '#1d2733';
const BAR = '#2f6fb0';
const BAR2 = '#d98a2b';

type Doc = InstanceType<typeof PDFDocument>;
type Cell = string | number;

const hms = (seconds: number | null) => (seconds === null ? 'still open' : seconds >= 3600 ? `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min` : seconds >= 60 ? `${Math.round(seconds / 60)} min` : `${seconds} s`);
const mb = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

export function renderReportPdf(report: OversightReport, meta: { signer: string; generatedAtUtc: string }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `Watchroom oversight report ${report.period.month}`, Author: 'Watchroom' } });
  const fonts = existsSync(FONT) && existsSync(FONT_BOLD) ? { regular: FONT, bold: FONT_BOLD } : { regular: 'Helvetica', bold: 'Helvetica-Bold' };
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const page = new Page(doc, fonts);
  cover(page, report, meta);
  views(page, report);
  disclosures(page, report);
  masksAndDeletions(page, report);
  signInsAndConfiguration(page, report);
  doc.end();
  return done;
}

/** Writing helpers that keep to the page and start a new one when a block would not fit. */
class Page {
  constructor(
    readonly doc: Doc,
    private readonly fonts: { regular: string; bold: string },
  ) {
    doc.fillColor(INK);
  }
  room(height: number): void {
    if (this.doc.y + height > this.doc.page.height - MARGIN) this.doc.addPage();
  }
  heading(text: string): void {
    this.room(60);
    this.doc.moveDown(0.6).font(this.fonts.bold).fontSize(14).fillColor(INK).text(text, MARGIN).moveDown(0.3);
  }
  text(text: string, size = 9.5): void {
    this.doc.font(this.fonts.regular).fontSize(size).fillColor(INK).text(text, MARGIN, undefined, { width: WIDTH });
  }
  bold(text: string, size = 10): void {
    this.doc.font(this.fonts.bold).fontSize(size).fillColor(INK).text(text, MARGIN, undefined, { width: WIDTH });
  }

  /** A table: header row in bold, rows that wrap within their column; `widths` are fractions of the page width. */
  table(header: string[], rows: Cell[][], widths: number[]): void {
    if (rows.length === 0) return this.text('None in this month.');
    const cols = widths.map((w) => w * WIDTH);
    const line = (cells: Cell[], bold: boolean) => {
      this.doc.font(bold ? this.fonts.bold : this.fonts.regular).fontSize(8.5);
      const height = Math.max(...cells.map((c, i) => this.doc.heightOfString(String(c), { width: cols[i]! - 6 }))) + 5;
      this.room(height + (bold ? 14 : 0));
      const top = this.doc.y;
      let x = MARGIN;
      cells.forEach((c, i) => {
        this.doc.fillColor(INK).text(String(c), x + 3, top + 2.5, { width: cols[i]! - 6 });
        x += cols[i]!;
      });
      this.doc.moveTo(MARGIN, top + height).lineTo(MARGIN + WIDTH, top + height).lineWidth(bold ? 0.8 : 0.3).strokeColor('#9aa5b1').stroke();
      this.doc.x = MARGIN;
      this.doc.y = top + height;
    };
    line(header, true);
    for (const row of rows) line(row, false);
    this.doc.moveDown(0.5);
  }

  /** A bar chart of one or two series over labelled bins, with its largest value on the axis. */
  bars(title: string, labels: string[], series: Array<{ name: string; values: number[] }>, height = 120): void {
    this.room(height + 50);
    this.bold(title, 9.5);
    const top = this.doc.y + 6;
    const left = MARGIN + 28;
    const width = WIDTH - 28;
    const max = Math.max(1, ...series.flatMap((s) => s.values));
    const slot = width / Math.max(1, labels.length);
    const bar = Math.min(28, (slot * 0.8) / series.length);
    this.doc.font(this.fonts.regular).fontSize(7).fillColor(INK);
    this.doc.text(String(max), MARGIN, top - 3, { width: 24, align: 'right' }).text('0', MARGIN, top + height - 6, { width: 24, align: 'right' });
    this.doc.moveTo(left, top).lineTo(left, top + height).lineTo(left + width, top + height).lineWidth(0.5).strokeColor('#58636f').stroke();
    series.forEach((s, k) =>
      s.values.forEach((v, i) => {
        const h = (v / max) * height;
        if (h > 0) this.doc.rect(left + i * slot + (slot - bar * series.length) / 2 + k * bar, top + height - h, bar, h).fill(k === 0 ? BAR : BAR2);
      }),
    );
    const every = Math.ceil(labels.length / 16);
    labels.forEach((label, i) => i % every === 0 && this.doc.fillColor(INK).text(label, left + i * slot - 10, top + height + 3, { width: slot + 20, align: 'center' }));
    if (series.length > 1) series.forEach((s, k) => this.doc.rect(left + k * 110, top + height + 16, 8, 8).fill(k === 0 ? BAR : BAR2).fillColor(INK).text(s.name, left + k * 110 + 12, top + height + 16));
    this.doc.x = MARGIN;
    this.doc.y = top + height + (series.length > 1 ? 32 : 18);
  }
}

function cover(p: Page, r: OversightReport, meta: { signer: string; generatedAtUtc: string }): void {
  p.bold(`Oversight report — ${r.period.month}`, 20);
  p.doc.moveDown(0.4);
  p.text(`Period: ${r.period.fromUtc} to ${r.period.toUtc} (UTC calendar month; every time in this report is UTC).`);
  p.text(`Ledger: ${r.ledger.entries} entries of this month, ${r.ledger.firstSeq === null ? 'none' : `entries ${r.ledger.firstSeq} to ${r.ledger.lastSeq}`}.`);
  p.text(`Drawn from the signed ledger checkpoint at entry ${r.checkpoint.seq} (taken ${r.checkpoint.at}), head hash ${r.checkpoint.hash}.`);
  p.text(`Signed with the workstation key ${meta.signer}; generated ${meta.generatedAtUtc}.`);
  p.text('report.json in this folder holds every figure; watchroom-verify --report recomputes it from the ledger. README.txt says how to check it.');
  p.heading('The month in figures');
  const e = r.exports;
  p.table(['What', 'Count', 'Time'], [
    ['Live views opened', r.views.live.opened, hms(r.views.live.seconds)],
    ['Recorded playback sessions', r.views.playback.sessions, hms(r.views.playback.seconds)],
    ['Exports (of which internal)', `${e.total} (${e.internal})`, ''],
    ['Disclosures outside the organisation', e.disclosures, ''],
    ['Disclosure requests / approved / refused', `${e.requests.requested} / ${e.requests.approved} / ${e.requests.refused}`, ''],
    ['Mask lifts', r.maskLifts.count, hms(r.maskLifts.seconds)],
    ['Deletion receipts (segments, size)', `${r.deletions.receipts} (${r.deletions.segments}, ${mb(r.deletions.bytes)})`, ''],
    ['Failed sign-ins', r.failedSignIns.total, ''],
    ['Configuration changes', r.configuration.total, ''],
  ], [0.55, 0.25, 0.2]);
}

const cameraName = (r: OversightReport, id: string) => r.cameras.find((c) => c.id === id)?.name ?? id;

function views(p: Page, r: OversightReport): void {
  p.heading('Views');
  p.bars('Views opened per day (live and recorded playback)', r.views.perDay.map((d) => d.day.slice(8)), [
    { name: 'Live', values: r.views.perDay.map((d) => d.live) },
    { name: 'Playback', values: r.views.perDay.map((d) => d.playback) },
  ]);
  p.bold('Live views per person');
  p.table(['Person', 'Views', 'Time watched'], r.views.live.byPerson.map((x) => [String(x.person), Number(x.count), hms(Number(x.seconds))]), [0.5, 0.2, 0.3]);
  p.bold('Live views per camera');
  p.table(['Camera', 'Views', 'Time watched'], r.views.live.byCamera.map((x) => [cameraName(r, String(x.cameraId)), Number(x.count), hms(Number(x.seconds))]), [0.5, 0.2, 0.3]);
  p.bold('Recorded playback sessions');
  p.table(['Opened (UTC)', 'Person', 'Reason', 'Case', 'Cameras', 'Length'], r.views.playback.list.map((s) => [when(s.atUtc), s.person, s.reason || '—', s.caseReference || '—', s.cameras.map((c) => cameraName(r, c)).join(', ') || '—', hms(s.seconds)]), [0.16, 0.12, 0.3, 0.13, 0.16, 0.13]);
}

function disclosures(p: Page, r: OversightReport): void {
  p.heading('Exports and disclosures');
  const e = r.exports;
  p.bars('Disclosures by legal basis', e.byLegalBasis.map((b) => String(b.basis)), [{ name: 'Disclosures', values: e.byLegalBasis.map((b) => Number(b.count)) }], 90);
  p.bold('By recipient organisation');
  p.table(['Organisation', 'Disclosures'], e.byOrganisation.map((o) => [String(o.organisation), Number(o.count)]), [0.7, 0.3]);
  p.bold('Every disclosure (from the disclosure register)');
  p.table(['When (UTC)', 'Case', 'Requester / approver', 'Recipient', 'Legal basis', 'Ledger'], e.register.map((d) => [
    when(d.atUtc), d.caseReference, `${d.requester.name} / ${d.approver?.name ?? 'none'}`, `${d.recipient.person}, ${d.recipient.organisation}`, d.legalBasis?.basis ?? 'none', `#${d.exportSeq}${d.problems.length ? ` — ${d.problems.join(' ')}` : ''}`,
  ]), [0.15, 0.13, 0.18, 0.22, 0.16, 0.16]);
}

function masksAndDeletions(p: Page, r: OversightReport): void {
  p.heading('Mask lifts');
  p.table(['Lifted (UTC)', 'Person', 'Camera', 'Reason', 'Lasted', 'Ended'], r.maskLifts.list.map((l) => [when(l.atUtc), l.person, cameraName(r, l.cameraId), l.reason, hms(l.seconds), l.endedWhy ?? '—']), [0.16, 0.12, 0.15, 0.33, 0.12, 0.12]);
  p.heading('Deletions');
  p.bars('Segments deleted per day', r.deletions.perDay.map((d) => d.day.slice(8)), [{ name: 'Segments', values: r.deletions.perDay.map((d) => d.segments) }], 90);
  p.table(['Camera', 'Segments', 'Size'], r.deletions.byCamera.map((c) => [cameraName(r, c.cameraId), c.segments, mb(c.bytes)]), [0.5, 0.2, 0.3]);
  p.table(['Receipt (UTC)', 'Receipt id', 'Segments', 'Size'], r.deletions.receiptList.map((x) => [when(x.atUtc), x.receiptId, x.segments, mb(x.bytes)]), [0.2, 0.45, 0.15, 0.2]);
}

function signInsAndConfiguration(p: Page, r: OversightReport): void {
  p.heading('Failed sign-ins');
  p.table(['Account name', 'Failed sign-ins'], r.failedSignIns.byAccount.map((a) => [String(a.account), Number(a.count)]), [0.7, 0.3]);
  p.heading('Configuration changes');
  p.table(['Action', 'Count'], r.configuration.byAction.map((a) => [String(a.action), Number(a.count)]), [0.7, 0.3]);
  p.table(['When (UTC)', 'Who', 'Action', 'Subject', 'Ledger'], r.configuration.changes.map((c) => [when(c.atUtc), `${c.actor}${c.role ? ` (${c.role})` : ''}`, c.action, c.subject, `#${c.seq}`]), [0.18, 0.24, 0.22, 0.24, 0.12]);
}
