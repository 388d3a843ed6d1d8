/**
 * The PostgreSQL directory's schema, as numbered migrations recorded in `schema_migrations`. Every
 * process runs them at start, in one transaction holding an advisory lock, so two processes starting
 * at once apply each migration once and neither sees half a schema. A directory already migrated past
 * what this build knows belongs to a newer Watchroom: this one refuses it rather than guess.
 *
 * DIRECTORY_MIGRATIONS is the one ordered list: a module that keeps tables in the directory appends
 * its migrations with the next numbers. A released migration is never edited or renumbered.
 */
import type pg from 'pg';
import { WatchroomError } from '../../../shared/errors.js';
import { LEASE_RECORDING, LEASE_TABLES, SEALING_KEY_SIGNATURE } from '../recorders/lease-store.js';
import { SITE_CAMERA_TABLES } from '../recorders/site-cameras.js';
import { COVERAGE_TABLE } from '../recorders/coverage.js';
import { CHECKPOINT_TABLE } from './checkpoint-copies.js';
import { MASK_VERSION_TABLE } from '../masks/mask-versions.js';
import { PEOPLE_TABLE } from '../people/site-people.js';
import { PRESET_TABLE } from '../wall/preset-store.js';
import { ADMISSION_TABLES } from '../recorders/site-admission.js';
import { DISCLOSURE_TABLES } from '../disclosure/site-disclosures.js';
import { ENTRY_COPY_TABLE } from '../disclosure/register-copies.js';

export interface Migration {
  version: number;
  /** What it does, kept in schema_migrations for whoever reads the database. */
  name: string;
  sql: string;
}

export const DIRECTORY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'bookmarks',
    // The embedded store's columns: camera ids and tags as JSON arrays, times as epoch milliseconds.
    sql: `
      CREATE TABLE bookmarks (
        id text PRIMARY KEY,
        camera_ids jsonb NOT NULL,
        at_ms bigint NOT NULL,
        before_ms bigint NOT NULL,
        after_ms bigint NOT NULL,
        title text NOT NULL,
        notes text NOT NULL,
        tags jsonb NOT NULL,
        case_reference text NOT NULL,
        created_by text NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        locked boolean NOT NULL DEFAULT false
      );
      CREATE INDEX bookmarks_at ON bookmarks (at_ms);`,
  },
  { version: 2, name: 'nodes and camera leases', sql: LEASE_TABLES },
  { version: 3, name: 'site cameras and sealing keys', sql: SITE_CAMERA_TABLES },
  { version: 4, name: 'coverage of cameras by recorders', sql: COVERAGE_TABLE },
  { version: 5, name: 'ledger checkpoints of every process, append-only', sql: CHECKPOINT_TABLE },
  { version: 6, name: 'the holder’s recording beside its lease', sql: LEASE_RECORDING },
  { version: 7, name: 'privacy mask versions, append-only', sql: MASK_VERSION_TABLE },
  { version: 8, name: 'people, never deleted', sql: PEOPLE_TABLE },
  { version: 9, name: 'wall presets', sql: PRESET_TABLE },
  { version: 10, name: 'the site key and admissions of processes, append-only', sql: ADMISSION_TABLES },
  { version: 11, name: 'disclosure requests, decisions, builds and outcomes, append-only', sql: DISCLOSURE_TABLES },
  { version: 12, name: 'copies of the ledger entries the disclosure register reads, append-only', sql: ENTRY_COPY_TABLE },
  { version: 13, name: 'a recorder’s sealing key signed by its signing key', sql: SEALING_KEY_SIGNATURE },
];

/** pg_advisory_xact_lock's key for schema changes: a constant no other user of the database takes ("Watchroo" in ASCII). */
const MIGRATION_LOCK = 0x57617463_68726f6fn;

/** Applies the migrations the directory lacks; the versions it was at and is at now. */
export async function migrate(client: pg.ClientBase, migrations: readonly Migration[] = DIRECTORY_MIGRATIONS): Promise<{ from: number; to: number }> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Directory migration ${m.name} is numbered ${m.version}; the list must run 1, 2, 3… without gaps.`);
  });
  const known = migrations.length;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    const from = rows[0]?.version ?? 0;
    if (from > known) {
      throw new WatchroomError(
        'directory.too-new',
        `The directory's schema is at version ${from}, newer than this Watchroom knows (${known}): a newer Watchroom has used it. Update Watchroom on this machine before connecting it to that directory.`,
      );
    }
    for (const m of migrations.slice(from)) {
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    await client.query('COMMIT');
    return { from, to: Math.max(from, known) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
