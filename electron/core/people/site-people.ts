/**
 * A site's accounts in the PostgreSQL directory: whoever is added on one workstation signs in on any.
 * Names are unique whatever their case, as in people.sqlite. Writes that count (the first
 * administrator; the last active one) take the table's write lock, so two workstations cannot both
 * make a first administrator, nor each demote one of the last two. Every write is announced (topic
 * `people`, the account's id), and each workstation's roster reloads it.
 */
import type { Db } from '../directory/postgres-directory.js';
import { changed, newAccountRow, toAccount, type AccountRow, type PeopleRepository } from './people-store.js';

/** The schema, as one of the directory's numbered migrations. Accounts are never deleted: the ledgers name them. */
export const PEOPLE_TABLE = `
  CREATE TABLE people (
    id text PRIMARY KEY,
    name text NOT NULL,
    display_name text NOT NULL,
    role text NOT NULL CHECK (role IN ('operator', 'investigator', 'evidence-officer', 'admin')),
    password_hash text NOT NULL,
    disabled boolean NOT NULL DEFAULT false,
    created_at bigint NOT NULL,
    session_epoch integer NOT NULL DEFAULT 0,
    revision integer NOT NULL DEFAULT 0
  );
  CREATE UNIQUE INDEX people_name ON people (lower(name));
  CREATE FUNCTION people_never_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'accounts are never deleted: disable them'; END $$;
  CREATE TRIGGER people_never_deleted BEFORE DELETE ON people FOR EACH ROW EXECUTE FUNCTION people_never_deleted();
  CREATE TRIGGER people_never_truncated BEFORE TRUNCATE ON people FOR EACH STATEMENT EXECUTE FUNCTION people_never_deleted();
`;

/** Writers wait for each other (rare: an administrator's act); readers never wait. */
const WRITE_LOCK = 'LOCK TABLE people IN SHARE ROW EXCLUSIVE MODE';
const ACTIVE_ADMINS = "SELECT COUNT(*)::int AS n FROM people WHERE role = 'admin' AND NOT disabled";

export function sitePeople(db: Db): PeopleRepository {
  const one = async (sql: string, values: unknown[]) => (await db.query<AccountRow>(sql, values))[0];
  return {
    list: async () => (await db.query<AccountRow>('SELECT * FROM people ORDER BY created_at, name')).map(toAccount),
    get: async (id) => {
      const row = await one('SELECT * FROM people WHERE id = $1', [id]);
      return row ? toAccount(row) : null;
    },
    signInRecord: async (name) => {
      const row = await one('SELECT * FROM people WHERE lower(name) = lower($1)', [name]);
      return row ? { account: toAccount(row), passwordHash: row.password_hash } : null;
    },
    passwordHash: async (id) => (await one('SELECT password_hash FROM people WHERE id = $1', [id]))?.password_hash ?? null,
    add: (input, options = {}) => {
      const row = newAccountRow(input, options.now ?? Date.now());
      return db.change('people', row.id, async (client) => {
        await client.query(WRITE_LOCK);
        if (options.first && (await client.query('SELECT 1 FROM people LIMIT 1')).rowCount) return null;
        const added = await client.query(
          'INSERT INTO people (id, name, display_name, role, password_hash, disabled, created_at) VALUES ($1, $2, $3, $4, $5, false, $6) ON CONFLICT DO NOTHING',
          [row.id, row.name, row.display_name, row.role, row.password_hash, row.created_at],
        );
        return added.rowCount === 1 ? toAccount(row) : null;
      });
    },
    update: (id, changes, check) =>
      db.change('people', id, async (client) => {
        await client.query(WRITE_LOCK);
        const row = (await client.query<AccountRow>('SELECT * FROM people WHERE id = $1', [id])).rows[0];
        if (!row) return null;
        const before = toAccount(row);
        check?.(before.person, (await client.query<{ n: number }>(ACTIVE_ADMINS)).rows[0]!.n);
        const after = changed(before, changes);
        await client.query('UPDATE people SET display_name = $2, role = $3, disabled = $4, session_epoch = $5, revision = $6 WHERE id = $1', [
          id,
          after.person.displayName,
          after.person.role,
          after.person.disabled,
          after.sessionEpoch,
          after.revision,
        ]);
        return after;
      }),
    setPasswordHash: (id, passwordHash) =>
      db.change('people', id, async (client) => {
        const { rows } = await client.query<AccountRow>('UPDATE people SET password_hash = $2, session_epoch = session_epoch + 1, revision = revision + 1 WHERE id = $1 RETURNING *', [id, passwordHash]);
        return rows[0] ? toAccount(rows[0]) : null;
      }),
  };
}
