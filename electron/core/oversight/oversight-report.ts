/**
 * The oversight report's data (issue 12, point 7): a pure function of the ledger up to one signed
 * checkpoint and a month, so anyone holding the ledger and its checkpoints recomputes the very same
 * bytes (watchroom-verify --report does). Months are UTC calendar months: an entry belongs to the
 * month its `at` falls in, in UTC. Nothing here reads a clock, a time zone, the host name or a
 * database: only entries, in ledger order, up to the checkpoint's entry.
 *
 * Lengths are counted where the ledger states them: a live view's time is the `seconds` of its
 * stream.close, a playback session's the `seconds` of its playback.close, a mask lift's from its
 * liftedAtUtc to the reappliedAtUtc of its mask.reapply. A view still open when the checkpoint was
 * taken has no length yet (null), and is still counted as opened.
 */
import type { AuditEntry } from '../../../shared/api.js';
import type { DisclosureRow } from '../../../shared/disclosures.js';
import { WatchroomError } from '../../../shared/errors.js';
import { canonicalJson } from '../canonical-json.js';
import { disclosureRegister } from '../disclosure/disclosure-register.js';

export const REPORT_FORMAT = 'watchroom-oversight-report/1';

/** The signed checkpoint a report is drawn from (the fields that identify it; its signature stays in the checkpoints file). */
export interface ReportCheckpoint {
  seq: number;
  hash: string;
  at: string;
  key: string;
}

/** `YYYY-MM` → its UTC bounds [fromMs, toMs), or a clear error. */
export function monthBounds(month: string): { fromMs: number; toMs: number } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new WatchroomError('report.bad-month', `“${month}” is not a month: write it as YYYY-MM, e.g. 2026-10.`);
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  return { fromMs: Date.UTC(year, index, 1), toMs: Date.UTC(year, index + 1, 1) };
}

/** Configuration changes: what an oversight body asks "who changed that, and when". */
const CONFIG_PREFIXES = ['camera.', 'settings.', 'people.', 'wall.'];
/** Mask changes are configuration too; lifts and re-applications have their own section. */
const isConfigChange = (action: string) => action === 'mask.set' || CONFIG_PREFIXES.some((p) => action.startsWith(p));

type Details = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const day = (iso: string) => iso.slice(0, 10);
const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** A tally by name: { name, count, seconds }, sorted by name so the output never depends on order of arrival. */
class Tally {
  private readonly rows = new Map<string, { count: number; seconds: number }>();
  add(name: string, count: number, seconds: number): void {
    const row = this.rows.get(name) ?? { count: 0, seconds: 0 };
    row.count += count;
    row.seconds += seconds;
    this.rows.set(name, row);
  }
  list(label: string, withSeconds = true): Array<Details> {
    return [...this.rows.entries()].sort(byKey(([k]) => k)).map(([name, r]) => ({ [label]: name, count: r.count, ...(withSeconds ? { seconds: r.seconds } : {}) }));
  }
}

interface PlaybackRow {
  seq: number;
  atUtc: string;
  person: string;
  reason: string;
  caseReference: string;
  cameras: string[];
  seconds: number | null;
  endedWhy: string | null;
}

interface LiftRow {
  seq: number;
  atUtc: string;
  liftId: string;
  person: string;
  cameraId: string;
  reason: string;
  minutes: number | null;
  seconds: number | null;
  endedWhy: string | null;
}

/** Everything the month's entries say, gathered in one pass. */
class MonthReading {
  first: number | null = null;
  last: number | null = null;
  count = 0;
  readonly perDay = new Map<string, { live: number; playback: number; deletedSegments: number; deletedBytes: number; disclosures: number }>();
  readonly liveByPerson = new Tally();
  readonly liveByCamera = new Tally();
  liveOpened = 0;
  liveSeconds = 0;
  readonly playback = new Map<string, PlaybackRow>();
  recordingViews = 0;
  readonly lifts = new Map<string, LiftRow>();
  exports = 0;
  internalExports = 0;
  readonly requests = { requested: 0, approved: 0, refused: 0 };
  readonly receipts: Array<{ seq: number; atUtc: string; receiptId: string; segments: number; bytes: number; cameras: string[] }> = [];
  readonly deletedByCamera = new Map<string, { segments: number; bytes: number }>();
  failedTotal = 0;
  readonly failedSignIns = new Tally();
  readonly failedWhy = new Tally();
  readonly configByAction = new Tally();
  readonly config: Array<{ seq: number; atUtc: string; actor: string; role: string | null; action: string; subject: string }> = [];
  readonly cameraNames = new Map<string, string>();

  constructor(private readonly days: string[]) {
    for (const d of days) this.perDay.set(d, { live: 0, playback: 0, deletedSegments: 0, deletedBytes: 0, disclosures: 0 });
  }

  /** An entry of the month, in ledger order. */
  read(e: AuditEntry): void {
    this.first ??= e.seq;
    this.last = e.seq;
    this.count++;
    const d = (e.details ?? {}) as Details;
    const today = this.perDay.get(day(e.at))!;
    const name = str(d.name);
    switch (e.action) {
      case 'stream.open':
        if (name) this.cameraNames.set(e.subject, name);
        this.liveOpened++;
        today.live++;
        this.liveByPerson.add(e.actor, 1, 0);
        this.liveByCamera.add(e.subject, 1, 0);
        return;
      case 'stream.close':
        this.liveSeconds += num(d.seconds);
        this.liveByPerson.add(e.actor, 0, num(d.seconds));
        this.liveByCamera.add(e.subject, 0, num(d.seconds));
        return;
      case 'playback.open':
        today.playback++;
        this.playback.set(e.subject, { seq: e.seq, atUtc: e.at, person: e.actor, reason: str(d.reason) ?? '', caseReference: str(d.caseReference) ?? '', cameras: [], seconds: null, endedWhy: null });
        return;
      case 'playback.close': {
        const row = this.playback.get(e.subject);
        if (row) Object.assign(row, { seconds: num(d.seconds), endedWhy: str(d.why) });
        return;
      }
      case 'recording.view': {
        this.recordingViews++;
        const row = this.playback.get(str(d.viewingId) ?? '');
        if (row && !row.cameras.includes(e.subject)) row.cameras.push(e.subject);
        return;
      }
      case 'mask.lift': {
        const liftId = str(d.liftId) ?? String(e.seq);
        this.lifts.set(liftId, { seq: e.seq, atUtc: e.at, liftId, person: str(d.person) ?? e.actor, cameraId: str(d.cameraId) ?? e.subject, reason: str(d.reason) ?? '', minutes: typeof d.minutes === 'number' ? d.minutes : null, seconds: null, endedWhy: null });
        return;
      }
      case 'mask.reapply': {
        const row = this.lifts.get(str(d.liftId) ?? '');
        const from = Date.parse(str(d.liftedAtUtc) ?? '');
        const to = Date.parse(str(d.reappliedAtUtc) ?? e.at);
        if (row) Object.assign(row, { seconds: Number.isFinite(from) && Number.isFinite(to) ? Math.round((to - from) / 1000) : null, endedWhy: str(d.why) });
        return;
      }
      case 'evidence.export':
        this.exports++;
        if (d.recipient === null || d.recipient === undefined) this.internalExports++;
        else today.disclosures++;
        return;
      case 'disclosure.requested':
      case 'disclosure.approved':
      case 'disclosure.refused':
        this.requests[e.action.slice('disclosure.'.length) as 'requested' | 'approved' | 'refused']++;
        return;
      case 'retention.receipt':
        this.receipts.push({ seq: e.seq, atUtc: e.at, receiptId: e.subject, segments: num(d.segments), bytes: num(d.bytes), cameras: Array.isArray(d.cameras) ? d.cameras.map(String) : [] });
        return;
      case 'segment.deleted': {
        today.deletedSegments++;
        today.deletedBytes += num(d.bytes);
        const camera = this.deletedByCamera.get(e.subject) ?? { segments: 0, bytes: 0 };
        this.deletedByCamera.set(e.subject, { segments: camera.segments + 1, bytes: camera.bytes + num(d.bytes) });
        return;
      }
      case 'auth.sign-in-failed':
        this.failedTotal++;
        this.failedSignIns.add(e.subject, 1, 0);
        this.failedWhy.add(str(d.why) ?? 'unknown', 1, 0);
        return;
      default:
        if (e.action.startsWith('camera.') && name) this.cameraNames.set(e.subject, name);
        if (isConfigChange(e.action)) {
          this.configByAction.add(e.action, 1, 0);
          this.config.push({ seq: e.seq, atUtc: e.at, actor: e.actor, role: e.role ?? null, action: e.action, subject: e.subject });
        }
    }
  }

}

/** Every day of the month, as YYYY-MM-DD. */
function daysOf(fromMs: number, toMs: number): string[] {
  const days: string[] = [];
  for (let t = fromMs; t < toMs; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** A disclosure as the report shows it: the register's row, without its local-time column (a workstation's time zone is not in the ledger). */
function disclosureOf(row: DisclosureRow) {
  const { atLocal: _local, ...rest } = row;
  return rest;
}

/**
 * The report for `month` from the ledger's entries, read up to and including the checkpoint's entry
 * (entries after it are not read: the checkpoint fixes what the report covers). Malformed lines are
 * skipped, as every reader of the ledger does; the chain itself is the verifier's to check.
 */
export async function oversightReport(ledger: AsyncIterable<{ entry: AuditEntry | null }>, month: string, checkpoint: ReportCheckpoint) {
  const { fromMs, toMs } = monthBounds(month);
  const days = daysOf(fromMs, toMs);
  const reading = new MonthReading(days);
  // One pass: the register reads the same entries as they go by (it joins requests, approvals and seals across months).
  async function* upToCheckpoint() {
    for await (const { entry } of ledger) {
      if (!entry) continue;
      if (entry.seq > checkpoint.seq) break;
      const at = Date.parse(entry.at);
      if (at >= fromMs && at < toMs) reading.read(entry);
      yield { entry };
    }
  }
  const register = (await disclosureRegister(upToCheckpoint(), { fromMs, toMs })).reverse().map(disclosureOf);
  const r = reading;
  const basisTally = new Tally();
  const organisationTally = new Tally();
  for (const row of register) {
    basisTally.add(row.legalBasis?.basis ?? 'none', 1, 0);
    organisationTally.add(row.recipient.organisation || '(none given)', 1, 0);
  }
  const playback = [...r.playback.values()];
  const lifts = [...r.lifts.values()];
  return {
    format: REPORT_FORMAT,
    period: { month, fromUtc: new Date(fromMs).toISOString(), toUtc: new Date(toMs).toISOString(), basis: 'UTC calendar month: entries whose time (UTC) is at or after fromUtc and before toUtc.' },
    ledger: { firstSeq: r.first, lastSeq: r.last, entries: r.count },
    checkpoint: { seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at, key: checkpoint.key },
    cameras: [...r.cameraNames.entries()].sort(byKey(([id]) => id)).map(([id, name]) => ({ id, name })),
    views: {
      live: { opened: r.liveOpened, seconds: r.liveSeconds, byPerson: r.liveByPerson.list('person'), byCamera: r.liveByCamera.list('cameraId') },
      playback: { sessions: playback.length, seconds: playback.reduce((n, p) => n + (p.seconds ?? 0), 0), list: playback },
      recordingViews: r.recordingViews,
      perDay: days.map((d) => ({ day: d, live: r.perDay.get(d)!.live, playback: r.perDay.get(d)!.playback })),
    },
    exports: {
      total: r.exports,
      internal: r.internalExports,
      disclosures: register.length,
      requests: r.requests,
      byLegalBasis: basisTally.list('basis', false),
      byOrganisation: organisationTally.list('organisation', false),
      perDay: days.map((d) => ({ day: d, disclosures: r.perDay.get(d)!.disclosures })),
      register,
    },
    maskLifts: { count: lifts.length, seconds: lifts.reduce((n, l) => n + (l.seconds ?? 0), 0), list: lifts },
    deletions: {
      receipts: r.receipts.length,
      segments: r.receipts.reduce((n, x) => n + x.segments, 0),
      bytes: r.receipts.reduce((n, x) => n + x.bytes, 0),
      receiptList: r.receipts,
      byCamera: [...r.deletedByCamera.entries()].sort(byKey(([id]) => id)).map(([cameraId, x]) => ({ cameraId, ...x })),
      perDay: days.map((d) => ({ day: d, segments: r.perDay.get(d)!.deletedSegments, bytes: r.perDay.get(d)!.deletedBytes })),
    },
    failedSignIns: { total: r.failedTotal, byAccount: r.failedSignIns.list('account', false), byWhy: r.failedWhy.list('why', false) },
    configuration: { total: r.config.length, byAction: r.configByAction.list('action', false), changes: r.config },
  };
}

export type OversightReport = Awaited<ReturnType<typeof oversightReport>>;

/** The report's file bytes: canonical JSON, so equal reports are equal files. */
export const reportBytes = (report: OversightReport) => Buffer.from(canonicalJson(report));

/** The sections of a report, in the order the verifier names the first that differs. */
export const REPORT_SECTIONS = ['format', 'period', 'ledger', 'checkpoint', 'cameras', 'views', 'exports', 'maskLifts', 'deletions', 'failedSignIns', 'configuration'] as const;

/** The first section whose canonical JSON differs between two reports (null when none does). */
export function firstDifference(a: Record<string, unknown>, b: Record<string, unknown>): string | null {
  const keys = [...new Set([...REPORT_SECTIONS, ...Object.keys(a), ...Object.keys(b)])];
  return keys.find((k) => canonicalJson(a[k] ?? null) !== canonicalJson(b[k] ?? null)) ?? null;
}
