/**
 * Disclosure requests in SQLite (their own file in the data folder). A request is stored whole as it
 * was made and never edited; only its state moves, and only forwards: pending → approved | refused,
 * approved → built | failed. Each move is one conditional UPDATE, so two approvals of the same
 * request (two sessions, a replayed call) cannot both win.
 */
import type Database from 'better-sqlite3';
import type { DisclosureRequest, DisclosureState } from '../../../shared/disclosures.js';
import { openPrivateDatabase } from '../private-database.js';

interface Row {
  id: string;
  requested_by: string;
  requested_by_id: string;
  requested_at: number;
  request: string;
  state: DisclosureState;
  decided_by: string | null;
  decided_at: number | null;
  note: string | null;
  job_id: string | null;
  package_name: string | null;
  failure: string | null;
}

const toRequest = (r: Row): DisclosureRequest => {
  const { export: exported, legalBasis } = JSON.parse(r.request) as Pick<DisclosureRequest, 'export' | 'legalBasis'>;
  return {
    id: r.id,
    requestedBy: JSON.parse(r.requested_by) as DisclosureRequest['requestedBy'],
    requestedAt: r.requested_at,
    export: exported,
    legalBasis,
    state: r.state,
    decidedBy: r.decided_by === null ? null : (JSON.parse(r.decided_by) as DisclosureRequest['requestedBy']),
    decidedAt: r.decided_at,
    note: r.note,
    jobId: r.job_id,
    packageName: r.package_name,
    failure: r.failure,
  };
};

/** Decided requests stay in the queue view this long. */
const RECENT_MS = 7 * 86_400_000;

export class DisclosureStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openPrivateDatabase(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS disclosure_requests (
        id TEXT PRIMARY KEY,
        requested_by TEXT NOT NULL,
        requested_by_id TEXT NOT NULL,
        requested_at INTEGER NOT NULL,
        request TEXT NOT NULL,
        state TEXT NOT NULL,
        decided_by TEXT,
        decided_at INTEGER,
        note TEXT,
        job_id TEXT,
        package_name TEXT,
        failure TEXT
      );
      CREATE INDEX IF NOT EXISTS disclosure_requests_at ON disclosure_requests (requested_at);
    `);
  }

  insert(r: DisclosureRequest): void {
    this.db
      .prepare(
        `INSERT INTO disclosure_requests (id, requested_by, requested_by_id, requested_at, request, state)
         VALUES (@id, @requestedBy, @requestedById, @requestedAt, @request, 'pending')`,
      )
      .run({ id: r.id, requestedBy: JSON.stringify(r.requestedBy), requestedById: r.requestedBy.id, requestedAt: r.requestedAt, request: JSON.stringify({ export: r.export, legalBasis: r.legalBasis }) });
  }

  get(id: string): DisclosureRequest | null {
    const row = this.db.prepare('SELECT * FROM disclosure_requests WHERE id = ?').get(id) as Row | undefined;
    return row ? toRequest(row) : null;
  }

  /** Decides a pending request; false when it is no longer pending (decided already, by this call's twin or anyone). */
  decide(id: string, state: 'approved' | 'refused', by: DisclosureRequest['requestedBy'], at: number, note: string): boolean {
    return this.db.prepare(`UPDATE disclosure_requests SET state = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ? AND state = 'pending'`).run(state, JSON.stringify(by), at, note, id).changes === 1;
  }

  /** The job building an approved request. */
  building(id: string, jobId: string): void {
    this.db.prepare(`UPDATE disclosure_requests SET job_id = ? WHERE id = ? AND state = 'approved'`).run(jobId, id);
  }

  /** How the build of an approved request ended. */
  ended(id: string, outcome: { state: 'built'; packageName: string } | { state: 'failed'; failure: string }): void {
    this.db
      .prepare(`UPDATE disclosure_requests SET state = ?, package_name = ?, failure = ? WHERE id = ? AND state = 'approved'`)
      .run(outcome.state, outcome.state === 'built' ? outcome.packageName : null, outcome.state === 'failed' ? outcome.failure : null, id);
  }

  /**
   * Approved requests whose build was under way when Watchroom stopped: no job survives a restart, and
   * an approval is spent once, so they are failed with the reason (the requester asks again).
   */
  failInterrupted(): number {
    return this.db
      .prepare(`UPDATE disclosure_requests SET state = 'failed', failure = ? WHERE state = 'approved'`)
      .run('Watchroom stopped while the package was being built, so nothing was kept. Ask for the disclosure again.').changes;
  }

  /** Pending requests and those decided in the last week, newest first; `requesterId` narrows to one person's. */
  list(now: number, requesterId?: string): DisclosureRequest[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM disclosure_requests WHERE (state = 'pending' OR requested_at >= @since) AND (@requesterId IS NULL OR requested_by_id = @requesterId)
         ORDER BY requested_at DESC LIMIT 500`,
      )
      .all({ since: now - RECENT_MS, requesterId: requesterId ?? null }) as Row[];
    return rows.map(toRequest);
  }

  close(): void {
    this.db.close();
  }
}
