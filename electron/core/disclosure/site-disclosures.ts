/**
 * A site's disclosure requests in the PostgreSQL directory: asked on one workstation, decided on any
 * other, built on the one it was asked on. Four tables that take inserts only, one per step, each
 * keyed by the request: a step happens once because its row can be written once (a decision, a claim
 * to build, an outcome), and nothing written can be changed or taken back. A trigger holds the second
 * pair of eyes for any writer, not only this code; another holds "no build without an approval".
 * No foreign key reaches people or nodes: the system person and processes long gone keep their record.
 */
import type pg from 'pg';
import type { DisclosureRequest } from '../../../shared/disclosures.js';
import type { Db } from '../directory/postgres-directory.js';
import { appendOnlySql } from '../directory/append-only.js';
import { INTERRUPTED, notPending, RECENT_MS, requestSha256, requireDecidable, type DisclosureRepository, type RequesterNow } from './disclosure-repository.js';

const TABLES = ['disclosure_requests', 'disclosure_decisions', 'disclosure_builds', 'disclosure_outcomes'];

/** The schema, as one of the directory's numbered migrations. */
export const DISCLOSURE_TABLES = `
  CREATE TABLE disclosure_requests (
    id uuid PRIMARY KEY,
    requested_by_id text NOT NULL,
    requested_by jsonb NOT NULL,
    requested_on text NOT NULL,
    requested_at bigint NOT NULL,
    request jsonb NOT NULL,
    request_sha256 text NOT NULL CHECK (request_sha256 ~ '^[0-9a-f]{64}$')
  );
  CREATE INDEX disclosure_requests_at ON disclosure_requests (requested_at);
  CREATE TABLE disclosure_decisions (
    request_id uuid PRIMARY KEY REFERENCES disclosure_requests (id),
    decision text NOT NULL CHECK (decision IN ('approved', 'refused')),
    decided_by_id text NOT NULL,
    decided_by jsonb NOT NULL,
    decided_at bigint NOT NULL,
    note text NOT NULL,
    request_sha256 text NOT NULL
  );
  CREATE TABLE disclosure_builds (
    request_id uuid PRIMARY KEY REFERENCES disclosure_decisions (request_id),
    built_on text NOT NULL,
    job_id text NOT NULL,
    claimed_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE disclosure_outcomes (
    request_id uuid PRIMARY KEY REFERENCES disclosure_builds (request_id),
    state text NOT NULL CHECK (state IN ('built', 'failed')),
    package_name text,
    failure text,
    ended_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'built') = (package_name IS NOT NULL))
  );
  CREATE FUNCTION disclosure_four_eyes() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE asked disclosure_requests%ROWTYPE;
    BEGIN
      SELECT * INTO asked FROM disclosure_requests WHERE id = NEW.request_id;
      IF asked.requested_by_id = NEW.decided_by_id THEN RAISE EXCEPTION 'disclosure.own-request: a request is decided by someone other than its requester'; END IF;
      IF asked.request_sha256 <> NEW.request_sha256 THEN RAISE EXCEPTION 'disclosure.request-changed: the decision names another request'; END IF;
      RETURN NEW;
    END $$;
  CREATE TRIGGER disclosure_decisions_four_eyes BEFORE INSERT ON disclosure_decisions FOR EACH ROW EXECUTE FUNCTION disclosure_four_eyes();
  CREATE FUNCTION disclosure_build_approved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM disclosure_decisions WHERE request_id = NEW.request_id AND decision = 'approved')
    THEN RAISE EXCEPTION 'disclosure.not-approved: only an approved request is built'; END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER disclosure_builds_approved BEFORE INSERT ON disclosure_builds FOR EACH ROW EXECUTE FUNCTION disclosure_build_approved();
  ${appendOnlySql('disclosures_append_only', 'disclosures are append-only', TABLES)}
  CREATE VIEW disclosure_state AS
    SELECT r.id, r.requested_by, r.requested_by_id, r.requested_on, r.requested_at, r.request,
      d.decided_by, d.decided_at, d.note, b.built_on, b.job_id, o.package_name, o.failure,
      COALESCE(o.state, d.decision, 'pending') AS state
    FROM disclosure_requests r
    LEFT JOIN disclosure_decisions d ON d.request_id = r.id
    LEFT JOIN disclosure_builds b ON b.request_id = r.id
    LEFT JOIN disclosure_outcomes o ON o.request_id = r.id;
`;

interface StateRow {
  id: string;
  requested_by: DisclosureRequest['requestedBy'];
  requested_on: string;
  requested_at: string;
  request: Pick<DisclosureRequest, 'export' | 'legalBasis'>;
  state: DisclosureRequest['state'];
  decided_by: DisclosureRequest['requestedBy'] | null;
  decided_at: string | null;
  note: string | null;
  job_id: string | null;
  package_name: string | null;
  failure: string | null;
}

// bigint columns come back as strings; epoch milliseconds fit a double.
const toRequest = (r: StateRow): DisclosureRequest => ({
  id: r.id,
  requestedBy: r.requested_by,
  requestedAt: Number(r.requested_at),
  requestedOn: r.requested_on,
  export: r.request.export,
  legalBasis: r.request.legalBasis,
  state: r.state,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at === null ? null : Number(r.decided_at),
  note: r.note,
  jobId: r.job_id,
  packageName: r.package_name,
  failure: r.failure,
});

const readOne = async (client: pg.ClientBase, id: string) => {
  const row = (await client.query<StateRow>('SELECT * FROM disclosure_state WHERE id = $1', [id])).rows[0];
  return row ? toRequest(row) : null;
};

/** The requester's account, share-locked until the decision commits: a disable on another workstation waits for it, or it for the disable. */
async function requesterNow(client: pg.ClientBase, id: string): Promise<RequesterNow> {
  const row = (await client.query<{ role: NonNullable<RequesterNow>['role']; disabled: boolean }>('SELECT role, disabled FROM people WHERE id = $1 FOR SHARE', [id])).rows[0];
  return row ?? null;
}

export function siteDisclosures(db: Db): DisclosureRepository {
  const many = async (sql: string, values: unknown[]) => (await db.query<StateRow>(sql, values)).map(toRequest);
  return {
    async insert(r) {
      if (!r.requestedOn) throw new Error('A site’s disclosure request names the workstation it was asked on.');
      await db.change('disclosures', r.id, (client) =>
        client.query('INSERT INTO disclosure_requests (id, requested_by_id, requested_by, requested_on, requested_at, request, request_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          r.id,
          r.requestedBy.id,
          JSON.stringify(r.requestedBy),
          r.requestedOn,
          r.requestedAt,
          JSON.stringify({ export: r.export, legalBasis: r.legalBasis }),
          requestSha256(r),
        ]),
      );
    },
    get: async (id) => (await many('SELECT * FROM disclosure_state WHERE id = $1', [id]))[0] ?? null,
    decide: async (id, decision, by, at, note, check) =>
      (await db.change('disclosures', id, async (client) => {
        const request = requireDecidable(await readOne(client, id), by);
        if (check) check(request, await requesterNow(client, request.requestedBy.id));
        const { rowCount } = await client.query(
          `INSERT INTO disclosure_decisions (request_id, decision, decided_by_id, decided_by, decided_at, note, request_sha256)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (request_id) DO NOTHING`,
          [id, decision, by.id, JSON.stringify(by), at, note, requestSha256(request)],
        );
        if (rowCount !== 1) throw notPending(null);
        return readOne(client, id);
      }))!,
    claimBuild: async (id, node, jobId) =>
      !!(await db.change('disclosures', id, async (client) => {
        const approved = await client.query("SELECT 1 FROM disclosure_decisions WHERE request_id = $1 AND decision = 'approved'", [id]);
        if (!approved.rowCount) return null;
        const { rowCount } = await client.query('INSERT INTO disclosure_builds (request_id, built_on, job_id) VALUES ($1, $2, $3) ON CONFLICT (request_id) DO NOTHING', [id, node, jobId]);
        return rowCount === 1 ? true : null;
      })),
    async ended(id, outcome) {
      await db.change('disclosures', id, (client) =>
        client.query('INSERT INTO disclosure_outcomes (request_id, state, package_name, failure) VALUES ($1, $2, $3, $4) ON CONFLICT (request_id) DO NOTHING', [
          id,
          outcome.state,
          outcome.state === 'built' ? outcome.packageName : null,
          outcome.state === 'failed' ? outcome.failure : null,
        ]),
      );
    },
    approvedToBuild: (node) => many("SELECT * FROM disclosure_state WHERE state = 'approved' AND job_id IS NULL AND requested_on = $1 ORDER BY decided_at", [node]),
    failInterrupted: async (node) =>
      (await db.change('disclosures', node ?? '', async (client) => {
        const { rowCount } = await client.query(
          `INSERT INTO disclosure_outcomes (request_id, state, failure)
           SELECT b.request_id, 'failed', $2 FROM disclosure_builds b LEFT JOIN disclosure_outcomes o USING (request_id)
           WHERE b.built_on = $1 AND o.request_id IS NULL`,
          [node, INTERRUPTED],
        );
        return rowCount ? rowCount : null;
      })) ?? 0,
    list: (now, requesterId) =>
      many(
        `SELECT * FROM disclosure_state WHERE (state = 'pending' OR requested_at >= $1) AND ($2::text IS NULL OR requested_by_id = $2)
         ORDER BY requested_at DESC LIMIT 500`,
        [now - RECENT_MS, requesterId ?? null],
      ),
  };
}
