/**
 * Disclosure requests on one machine, in SQLite (their own file in the data folder): the embedded
 * directory's DisclosureRepository. One row per request; its state moves by conditional UPDATEs, so
 * two approvals of the same request (two sessions, a replayed call) cannot both win. Only this
 * process writes the file, and each move is one statement: nothing comes between a check and its write.
 */
import type Database from 'better-sqlite3';
import type { DisclosureRequest, DisclosureState } from '../../../shared/disclosures.js';
import { openPrivateDatabase } from '../private-database.js';
import { INTERRUPTED, notPending, RECENT_MS, requireDecidable, type DisclosureRepository, type RequesterNow } from './disclosure-repository.js';

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
    requestedOn: null,
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

export class DisclosureStore implements DisclosureRepository {
  private readonly db: Database.Database;

  /** `requester` reads an account as it is now (the data folder's people). */
  constructor(file: string, private readonly requester: (id: string) => Promise<RequesterNow>) {
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

  async insert(r: DisclosureRequest): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO disclosure_requests (id, requested_by, requested_by_id, requested_at, request, state)
         VALUES (@id, @requestedBy, @requestedById, @requestedAt, @request, 'pending')`,
      )
      .run({ id: r.id, requestedBy: JSON.stringify(r.requestedBy), requestedById: r.requestedBy.id, requestedAt: r.requestedAt, request: JSON.stringify({ export: r.export, legalBasis: r.legalBasis }) });
  }

  async get(id: string): Promise<DisclosureRequest | null> {
    return this.read(id);
  }

  async decide(...[id, decision, by, at, note, check]: Parameters<DisclosureRepository['decide']>): Promise<DisclosureRequest> {
    const request = requireDecidable(this.read(id), by);
    if (check) check(request, await this.requester(request.requestedBy.id));
    // Conditional: a twin call that passed the same checks during the await above loses here.
    const won = this.db.prepare(`UPDATE disclosure_requests SET state = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ? AND state = 'pending'`).run(decision, JSON.stringify(by), at, note, id).changes === 1;
    if (!won) throw notPending(null);
    return this.read(id)!;
  }

  async claimBuild(id: string, _node: string | null, jobId: string): Promise<boolean> {
    return this.db.prepare(`UPDATE disclosure_requests SET job_id = ? WHERE id = ? AND state = 'approved' AND job_id IS NULL`).run(jobId, id).changes === 1;
  }

  async ended(id: string, outcome: Parameters<DisclosureRepository['ended']>[1]): Promise<void> {
    this.db
      .prepare(`UPDATE disclosure_requests SET state = ?, package_name = ?, failure = ? WHERE id = ? AND state = 'approved' AND job_id IS NOT NULL`)
      .run(outcome.state, outcome.state === 'built' ? outcome.packageName : null, outcome.state === 'failed' ? outcome.failure : null, id);
  }

  async approvedToBuild(): Promise<DisclosureRequest[]> {
    return (this.db.prepare(`SELECT * FROM disclosure_requests WHERE state = 'approved' AND job_id IS NULL ORDER BY decided_at`).all() as Row[]).map(toRequest);
  }

  async failInterrupted(): Promise<number> {
    return this.db.prepare(`UPDATE disclosure_requests SET state = 'failed', failure = ? WHERE state = 'approved' AND job_id IS NOT NULL`).run(INTERRUPTED).changes;
  }

  async list(now: number, requesterId?: string): Promise<DisclosureRequest[]> {
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

  private read(id: string): DisclosureRequest | null {
    const row = this.db.prepare('SELECT * FROM disclosure_requests WHERE id = ?').get(id) as Row | undefined;
    return row ? toRequest(row) : null;
  }
}
