/**
 * The site's directory in PostgreSQL (`pg`): a pool for queries and writes, and one LISTEN
 * connection for changes. Every write is a transaction that ends with pg_notify, so a change is
 * announced exactly when it is committed, to every process, this one included. Start-up (reaching
 * the server, migrating the schema, listening) is `ready`; every call waits for it.
 */
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import type { Bookmark } from '../../../shared/incidents.js';
import type { Logger } from '../logger.js';
import { ChangeListener, NOTIFY_CHANNEL } from './change-listener.js';
import { checkDirectoryUrl, directoryFailure, passwordFromFile } from './directory-url.js';
import { topicListener, type BookmarkRepository, type Directory, type DirectoryChange, type DirectoryTopic } from './directory.js';
import { Emitter } from '../emitter.js';
import { migrate } from './pg-migrations.js';
import { LeaseStore } from '../recorders/lease-store.js';
import { CameraTable } from '../recorders/site-cameras.js';
import { CoverageTable } from '../recorders/coverage.js';
import { directoryCheckpoints } from './checkpoint-copies.js';
import { siteMaskVersions } from '../masks/mask-versions.js';
import { sitePeople } from '../people/site-people.js';
import { siteDisclosures } from '../disclosure/site-disclosures.js';
import { entryCopyTable } from '../disclosure/register-copies.js';
import { sitePresets } from '../wall/preset-store.js';
import { AdmissionTable } from '../recorders/site-admission.js';

/** Queries and notifying writes, each failure in the operator's words. */
export interface Db {
  query<R extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]>;
  /** Runs `write` in a transaction that, when it returns non-null (something changed), ends with the change's notice. */
  change<T>(topic: DirectoryTopic, id: string, write: (client: pg.PoolClient) => Promise<T | null>): Promise<T | null>;
}

export function openPostgresDirectory(address: string, logger: Logger): Directory {
  const url = checkDirectoryUrl(address);
  const password = passwordFromFile(url);
  // Parsed here, not passed as connectionString, which pg would let override the password function.
  const config: pg.ClientConfig = { ...parseIntoClientConfig(address), connectionTimeoutMillis: 10_000, keepAlive: true, application_name: 'watchroom', ...(password ? { password } : {}) };
  // Two connections and the LISTEN one: a site of 30 processes needs 90 of the server's max_connections
  // (100 by default), and no process here issues more than two queries at once for long.
  const pool = new pg.Pool({ ...config, max: 2 });
  // An idle pooled connection that breaks is dropped by the pool; the next query opens another.
  pool.on('error', (error) => logger.log('warn', 'directory: a pooled connection failed', { error: error.message }));
  const changes = new Emitter<DirectoryChange>();
  const listener = new ChangeListener(config, (change) => void changes.fire(change).catch(() => undefined), logger);
  const ready = start(pool, listener, url, logger);
  ready.catch(() => undefined); // reported to whoever awaits ready or calls
  const failure = (error: unknown) => directoryFailure(error, url);
  let closing: Promise<void> | undefined;
  const db: Db = {
    async query(sql, values = []) {
      await ready;
      return (await pool.query(sql, values).catch((error: unknown) => Promise.reject(failure(error)))).rows;
    },
    async change(topic, id, write) {
      await ready;
      return withClient(pool, async (client) => {
        try {
          await client.query('BEGIN');
          const result = await write(client);
          if (result !== null) await client.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, JSON.stringify({ topic, id })]);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }).catch((error: unknown) => Promise.reject(failure(error)));
    },
  };
  return {
    ready,
    bookmarks: bookmarkRepository(db),
    people: sitePeople(db),
    masks: siteMaskVersions(db),
    disclosures: siteDisclosures(db),
    site: { leases: new LeaseStore(db), cameras: new CameraTable(db), coverage: new CoverageTable(db), presets: sitePresets(db), admissions: new AdmissionTable(db), checkpointsOf: (nodeId) => directoryCheckpoints(db, nodeId), entryCopies: entryCopyTable(db) },
    onChange: topicListener(changes),
    // Once: a second close (a shell and a test both closing) waits for the first instead of ending the pool twice.
    close: () => (closing ??= (async () => {
      changes.dispose();
      await ready.catch(() => undefined);
      await listener.close();
      await pool.end();
    })()),
  };
}

/** Reaches the server, brings the schema up to this build's, then listens; rejects with the operator's sentence. */
async function start(pool: pg.Pool, listener: ChangeListener, url: URL, logger: Logger): Promise<void> {
  try {
    const { from, to } = await withClient(pool, migrate);
    if (from !== to) logger.log('info', 'directory: schema migrated', { from, to });
    await listener.start();
  } catch (error) {
    throw directoryFailure(error, url);
  }
}

/**
 * A pooled connection lent to `use`. A connection that breaks while lent emits 'error', which would
 * crash the process unheard (the pool listens only to idle ones); the pool drops it when it comes back.
 */
async function withClient<T>(pool: pg.Pool, use: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => void (broken = error);
  client.on('error', onError);
  try {
    return await use(client);
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

interface BookmarkRow {
  id: string;
  camera_ids: string[];
  at_ms: string;
  before_ms: string;
  after_ms: string;
  title: string;
  notes: string;
  tags: string[];
  case_reference: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  locked: boolean;
}

// bigint columns come back as strings (pg will not guess at precision); epoch milliseconds fit a double.
const toBookmark = (r: BookmarkRow): Bookmark => ({
  id: r.id,
  cameraIds: r.camera_ids,
  atMs: Number(r.at_ms),
  beforeMs: Number(r.before_ms),
  afterMs: Number(r.after_ms),
  title: r.title,
  notes: r.notes,
  tags: r.tags,
  caseReference: r.case_reference,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  locked: r.locked,
});

const COLUMNS = 'id, camera_ids, at_ms, before_ms, after_ms, title, notes, tags, case_reference, created_by, created_at, updated_at, locked';
const values = (b: Bookmark) => [b.id, JSON.stringify(b.cameraIds), b.atMs, b.beforeMs, b.afterMs, b.title, b.notes, JSON.stringify(b.tags), b.caseReference, b.createdBy, b.createdAt, b.updatedAt, b.locked];

/**
 * The bookmark, its row locked until the transaction ends: two workstations' writes to one bookmark
 * land one after the other, and each one's check sees what the other wrote.
 */
async function lockRow(client: pg.PoolClient, id: string): Promise<Bookmark | null> {
  const row = (await client.query<BookmarkRow>('SELECT * FROM bookmarks WHERE id = $1 FOR UPDATE', [id])).rows[0];
  return row ? toBookmark(row) : null;
}

function bookmarkRepository(db: Db): BookmarkRepository {
  return {
    get: async (id) => (await db.query<BookmarkRow>('SELECT * FROM bookmarks WHERE id = $1', [id])).map(toBookmark)[0] ?? null,
    async insert(bookmark) {
      await db.change('bookmarks', bookmark.id, (client) => client.query(`INSERT INTO bookmarks (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, values(bookmark)));
    },
    update: (id, changes, now, check) =>
      db.change('bookmarks', id, async (client) => {
        const current = await lockRow(client, id);
        if (!current) return null;
        check?.(current);
        const next: Bookmark = { ...current, ...changes, updatedAt: now };
        await client.query(
          'UPDATE bookmarks SET camera_ids = $2, at_ms = $3, before_ms = $4, after_ms = $5, title = $6, notes = $7, tags = $8, case_reference = $9, updated_at = $10, locked = $11 WHERE id = $1',
          [id, JSON.stringify(next.cameraIds), next.atMs, next.beforeMs, next.afterMs, next.title, next.notes, JSON.stringify(next.tags), next.caseReference, next.updatedAt, next.locked],
        );
        return next;
      }),
    async delete(id, check) {
      await db.change('bookmarks', id, async (client) => {
        const current = await lockRow(client, id);
        if (!current) return null;
        check?.(current);
        await client.query('DELETE FROM bookmarks WHERE id = $1', [id]);
        return true;
      });
    },
    locked: async () => (await db.query<BookmarkRow>('SELECT * FROM bookmarks WHERE locked')).map(toBookmark),
    search: async (query) => {
      const { where, args } = bookmarkFilter(query);
      return (await db.query<BookmarkRow>(`SELECT * FROM bookmarks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at_ms DESC LIMIT 500`, args)).map(toBookmark);
    },
  };
}

/** The embedded store's search (bookmark-store.ts) in PostgreSQL's words. */
function bookmarkFilter(q: Parameters<BookmarkRepository['search']>[0]): { where: string[]; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (value: unknown) => `$${args.push(value)}`;
  if (q.text?.trim()) {
    const text = arg(`%${q.text.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(title ILIKE ${text} ESCAPE '\\' OR notes ILIKE ${text} ESCAPE '\\' OR case_reference ILIKE ${text} ESCAPE '\\')`);
  }
  if (q.tag) where.push(`EXISTS (SELECT 1 FROM jsonb_array_elements_text(tags) AS t(tag) WHERE lower(t.tag) = lower(${arg(q.tag)}))`);
  if (q.cameraId) where.push(`camera_ids @> jsonb_build_array(${arg(q.cameraId)}::text)`);
  if (q.fromMs !== undefined) where.push(`at_ms >= ${arg(q.fromMs)}`);
  if (q.toMs !== undefined) where.push(`at_ms < ${arg(q.toMs)}`);
  return { where, args };
}
