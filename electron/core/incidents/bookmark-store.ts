/** Bookmarks in SQLite (their own file beside the recording index), searchable by text, tag, camera and time. */
import type Database from 'better-sqlite3';
import { openPrivateDatabase } from '../private-database.js';
import type { Bookmark, BookmarkInput, BookmarkQuery } from '../../../shared/incidents.js';

interface Row {
  id: string;
  camera_ids: string;
  at_ms: number;
  before_ms: number;
  after_ms: number;
  title: string;
  notes: string;
  tags: string;
  case_reference: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  locked: number;
}

const toBookmark = (r: Row): Bookmark => ({
  id: r.id,
  cameraIds: JSON.parse(r.camera_ids) as string[],
  atMs: r.at_ms,
  beforeMs: r.before_ms,
  afterMs: r.after_ms,
  title: r.title,
  notes: r.notes,
  tags: JSON.parse(r.tags) as string[],
  caseReference: r.case_reference,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  locked: r.locked === 1,
});

export class BookmarkStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openPrivateDatabase(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS bookmarks (
        id TEXT PRIMARY KEY,
        camera_ids TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        before_ms INTEGER NOT NULL,
        after_ms INTEGER NOT NULL,
        title TEXT NOT NULL,
        notes TEXT NOT NULL,
        tags TEXT NOT NULL,
        case_reference TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        locked INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS bookmarks_at ON bookmarks (at_ms);
    `);
  }

  get(id: string): Bookmark | null {
    const row = this.db.prepare('SELECT * FROM bookmarks WHERE id = ?').get(id) as Row | undefined;
    return row ? toBookmark(row) : null;
  }

  insert(b: Bookmark): void {
    this.db
      .prepare(
        `INSERT INTO bookmarks (id, camera_ids, at_ms, before_ms, after_ms, title, notes, tags, case_reference, created_by, created_at, updated_at, locked)
         VALUES (@id, @cameraIds, @atMs, @beforeMs, @afterMs, @title, @notes, @tags, @caseReference, @createdBy, @createdAt, @updatedAt, @locked)`,
      )
      .run({ ...b, cameraIds: JSON.stringify(b.cameraIds), tags: JSON.stringify(b.tags), locked: b.locked ? 1 : 0 });
  }

  update(id: string, changes: Partial<BookmarkInput> & { locked?: boolean }, now: number): Bookmark | null {
    const current = this.get(id);
    if (!current) return null;
    const next: Bookmark = { ...current, ...changes, updatedAt: now };
    this.db
      .prepare(
        `UPDATE bookmarks SET camera_ids = @cameraIds, at_ms = @atMs, before_ms = @beforeMs, after_ms = @afterMs, title = @title, notes = @notes,
         tags = @tags, case_reference = @caseReference, updated_at = @updatedAt, locked = @locked WHERE id = @id`,
      )
      .run({ ...next, cameraIds: JSON.stringify(next.cameraIds), tags: JSON.stringify(next.tags), locked: next.locked ? 1 : 0 });
    return next;
  }

  /** Every bookmark holding an evidence lock. */
  locked(): Bookmark[] {
    return (this.db.prepare('SELECT * FROM bookmarks WHERE locked = 1').all() as Row[]).map(toBookmark);
  }

  /** Whether there was one to delete. */
  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM bookmarks WHERE id = ?').run(id).changes > 0;
  }

  /** Newest moment first. Text matches title, notes or case reference, case-insensitively. */
  search(q: BookmarkQuery): Bookmark[] {
    const where: string[] = [];
    const args: Record<string, unknown> = {};
    if (q.text?.trim()) {
      where.push(`(title LIKE @text ESCAPE '\\' OR notes LIKE @text ESCAPE '\\' OR case_reference LIKE @text ESCAPE '\\')`);
      args.text = `%${q.text.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    if (q.tag) {
      where.push('EXISTS (SELECT 1 FROM json_each(tags) WHERE lower(value) = lower(@tag))');
      args.tag = q.tag;
    }
    if (q.cameraId) {
      where.push('EXISTS (SELECT 1 FROM json_each(camera_ids) WHERE value = @cameraId)');
      args.cameraId = q.cameraId;
    }
    if (q.fromMs !== undefined) (where.push('at_ms >= @fromMs'), (args.fromMs = q.fromMs));
    if (q.toMs !== undefined) (where.push('at_ms < @toMs'), (args.toMs = q.toMs));
    const sql = `SELECT * FROM bookmarks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at_ms DESC LIMIT 500`;
    return (this.db.prepare(sql).all(args) as Row[]).map(toBookmark);
  }

  close(): void {
    this.db.close();
  }
}
