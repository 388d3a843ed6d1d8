/**
 * The recording index in SQLite (WAL): one row per closed segment with its wall-clock range, size and
 * SHA-256, plus evidence locks that keep footage out of retention.
 */
import type Database from 'better-sqlite3';
import type { InclusionProof } from '../audit/capture-proof.js';
import { openPrivateDatabase } from '../private-database.js';

export interface SegmentRow {
  id: number;
  cameraId: string;
  runId: string;
  /** Relative to the recordings root. */
  path: string;
  startMs: number;
  endMs: number;
  bytes: number;
  sha256: string;
  /** The file was gone at the last reconciliation. */
  missing: boolean;
  /** Trimmed or indexed after a crash rather than closed normally. */
  repaired: boolean;
  /**
   * Byte offset of its capture entry in the audit ledger: the `recording.minute` whose tree holds it
   * (then `proof` says where), or in older ledgers its own `segment.closed`. Null while its minute is
   * open, and when nothing proves it (indexed from disk later, or changed before its minute was sealed).
   */
  ledgerOffset: number | null;
  /** Its place in its minute's Merkle tree; null for a `segment.closed` capture or none. */
  proof: InclusionProof | null;
  /** Committed, its minute not yet sealed in the ledger (capture/minute-batches.ts). */
  captureOpen: boolean;
  /**
   * How far the segment's recorded end lay outside the window in which it closed (ms; negative: behind
   * real time, 0: no measurable drift), i.e. how far the camera's clock had drifted. Null: not measured.
   */
  clockOffsetMs: number | null;
}

export type NewSegment = Omit<SegmentRow, 'id' | 'missing' | 'clockOffsetMs' | 'proof' | 'captureOpen'> & { clockOffsetMs?: number | null; proof?: InclusionProof | null; captureOpen?: boolean };

/** A sealed minute's leaf: the row, and its place in the tree. */
export interface SealedLeaf {
  id: number;
  proof: InclusionProof;
}

export interface TimeRange {
  startMs: number;
  endMs: number;
}

/** Segments closer than this count as one continuous recording on the timeline. */
export const CONTIGUOUS_MS = 1_000;
/** No segment is longer than this, so a time window needs to look back only this far for overlaps. */
export const MAX_SEGMENT_MS = 10 * 60_000;

interface Row {
  id: number;
  camera_id: string;
  run_id: string;
  path: string;
  start_ms: number;
  end_ms: number;
  bytes: number;
  sha256: string;
  missing: number;
  repaired: number;
  ledger_offset: number | null;
  clock_offset_ms: number | null;
  capture_open: number;
  leaf_index: number | null;
  tree_size: number | null;
  audit_path: string | null;
}

/** A path's hashes as one column: 64 hex digits each, nearest first. */
const joinPath = (path: readonly string[]) => path.join('');
const splitPath = (text: string) => text.match(/[0-9a-f]{64}/g) ?? [];

const toSegment = (r: Row): SegmentRow => ({
  id: r.id,
  cameraId: r.camera_id,
  runId: r.run_id,
  path: r.path,
  startMs: r.start_ms,
  endMs: r.end_ms,
  bytes: r.bytes,
  sha256: r.sha256,
  missing: r.missing === 1,
  repaired: r.repaired === 1,
  ledgerOffset: r.ledger_offset,
  clockOffsetMs: r.clock_offset_ms,
  proof: r.leaf_index === null || r.tree_size === null ? null : { leafIndex: r.leaf_index, treeSize: r.tree_size, auditPath: splitPath(r.audit_path ?? '') },
  captureOpen: r.capture_open === 1,
});

export class SegmentIndex {
  private readonly db: Database.Database;
  /** Compiled once: a recorder commits a segment per camera every few seconds, and compiling each time cost more than running. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    this.db = openPrivateDatabase(file);
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS segments (
        id INTEGER PRIMARY KEY,
        camera_id TEXT NOT NULL,
        run_id TEXT NOT NULL,
        path TEXT NOT NULL UNIQUE,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        missing INTEGER NOT NULL DEFAULT 0,
        repaired INTEGER NOT NULL DEFAULT 0,
        -- 1 where a recorded range begins (no present segment ends within CONTIGUOUS_MS before it):
        -- the timeline's ranges are then a few index seeks instead of a scan of the day.
        gap_before INTEGER NOT NULL DEFAULT 1,
        ledger_offset INTEGER,
        clock_offset_ms INTEGER,
        capture_open INTEGER NOT NULL DEFAULT 0,
        leaf_index INTEGER,
        tree_size INTEGER,
        audit_path TEXT
      );
      CREATE INDEX IF NOT EXISTS segments_range_starts ON segments (camera_id, gap_before, start_ms);
      CREATE INDEX IF NOT EXISTS segments_camera_time ON segments (camera_id, start_ms, end_ms, missing);
      CREATE INDEX IF NOT EXISTS segments_start ON segments (start_ms);
      -- Filing a crashed run at start looks up its last segment: without this, a scan of every row.
      CREATE INDEX IF NOT EXISTS segments_run ON segments (run_id, end_ms);
      CREATE TABLE IF NOT EXISTS locks (
        id INTEGER PRIMARY KEY,
        camera_id TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        reason TEXT NOT NULL
      );
      -- A site recorder's takeovers of cameras from a recorder that stopped renewing: where each
      -- recording.takeover entry is in the ledger, so a custody answer can say why a gap is there.
      CREATE TABLE IF NOT EXISTS takeovers (
        camera_id TEXT NOT NULL,
        taken_at INTEGER NOT NULL,
        ledger_offset INTEGER NOT NULL,
        PRIMARY KEY (camera_id, taken_at)
      ) WITHOUT ROWID;
    `);
    // Indexes made before ledger offsets were kept.
    const columns = this.db.prepare('PRAGMA table_info(segments)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'ledger_offset')) this.db.exec('ALTER TABLE segments ADD COLUMN ledger_offset INTEGER');
    // Indexes made before clock offsets were measured.
    if (!columns.some((c) => c.name === 'clock_offset_ms')) this.db.exec('ALTER TABLE segments ADD COLUMN clock_offset_ms INTEGER');
    // Indexes made before captures were batched per minute: every row is proven by its own segment.closed.
    if (!columns.some((c) => c.name === 'capture_open')) {
      this.db.exec(`ALTER TABLE segments ADD COLUMN capture_open INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE segments ADD COLUMN leaf_index INTEGER; ALTER TABLE segments ADD COLUMN tree_size INTEGER; ALTER TABLE segments ADD COLUMN audit_path TEXT;`);
    }
    // The open minutes are read at every commit: a few rows among millions.
    this.db.exec('CREATE INDEX IF NOT EXISTS segments_capture_open ON segments (camera_id, end_ms) WHERE capture_open = 1');
    this.keepCameraBytes();
  }

  /**
   * Bytes of present footage per camera, kept by triggers: retention reads them every pass, and
   * summing ten million rows (a month of footage) took 26 s with the event loop blocked.
   * An index made before this is summed once, here.
   */
  private keepCameraBytes(): void {
    const add = (row: 'NEW' | 'OLD', sign: '+' | '-') => `
      INSERT OR IGNORE INTO camera_bytes VALUES (${row}.camera_id, 0);
      UPDATE camera_bytes SET bytes = bytes ${sign} ${row}.bytes WHERE camera_id = ${row}.camera_id AND ${row}.missing = 0;`;
    const made = this.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'camera_bytes'").get() !== undefined;
    this.db.transaction(() => {
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS camera_bytes (camera_id TEXT PRIMARY KEY, bytes INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TRIGGER IF NOT EXISTS camera_bytes_insert AFTER INSERT ON segments BEGIN ${add('NEW', '+')} END;
        CREATE TRIGGER IF NOT EXISTS camera_bytes_delete AFTER DELETE ON segments BEGIN ${add('OLD', '-')} END;
        CREATE TRIGGER IF NOT EXISTS camera_bytes_update AFTER UPDATE OF camera_id, bytes, missing ON segments BEGIN ${add('OLD', '-')} ${add('NEW', '+')} END;
      `);
      if (!made) this.db.exec('INSERT INTO camera_bytes SELECT camera_id, SUM(bytes) FROM segments WHERE missing = 0 GROUP BY camera_id');
    })();
  }

  insert(s: NewSegment): SegmentRow {
    const info = this.sql('INSERT INTO segments (camera_id, run_id, path, start_ms, end_ms, bytes, sha256, repaired, ledger_offset, clock_offset_ms, capture_open, leaf_index, tree_size, audit_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(s.cameraId, s.runId, s.path, s.startMs, s.endMs, s.bytes, s.sha256, s.repaired ? 1 : 0, s.ledgerOffset, s.clockOffsetMs ?? null, s.captureOpen ? 1 : 0, s.proof?.leafIndex ?? null, s.proof?.treeSize ?? null, s.proof ? joinPath(s.proof.auditPath) : null);
    this.refreshRangeStarts(s.cameraId, s.startMs);
    return { ...s, clockOffsetMs: s.clockOffsetMs ?? null, proof: s.proof ?? null, captureOpen: s.captureOpen ?? false, id: Number(info.lastInsertRowid), missing: false };
  }

  /** Rows whose minute is not sealed yet, oldest first: of one camera, or of all. */
  openCaptures(cameraId?: string): SegmentRow[] {
    const rows = cameraId === undefined
      ? this.sql('SELECT * FROM segments WHERE capture_open = 1 ORDER BY camera_id, end_ms').all()
      : this.sql('SELECT * FROM segments WHERE capture_open = 1 AND camera_id = ? ORDER BY end_ms').all(cameraId);
    return (rows as Row[]).map(toSegment);
  }

  /** A minute sealed: its rows point at the entry holding its root, each with its place in the tree. */
  sealCaptures(leaves: readonly SealedLeaf[], ledgerOffset: number): void {
    const seal = this.sql('UPDATE segments SET capture_open = 0, ledger_offset = ?, leaf_index = ?, tree_size = ?, audit_path = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const { id, proof } of leaves) seal.run(ledgerOffset, proof.leafIndex, proof.treeSize, joinPath(proof.auditPath), id);
    })();
  }

  /** Open rows that will never be sealed (their files changed or went before it): nothing proves them. */
  closeUnproven(ids: readonly number[]): void {
    const close = this.sql('UPDATE segments SET capture_open = 0, ledger_offset = NULL WHERE id = ?');
    this.db.transaction(() => ids.forEach((id) => close.run(id)))();
  }

  /** Segments overlapping [from, to), oldest first. */
  segments(cameraId: string, from: number, to: number): SegmentRow[] {
    return (
      this.sql('SELECT * FROM segments WHERE camera_id = ? AND start_ms >= ? AND start_ms < ? AND end_ms > ? AND missing = 0 ORDER BY start_ms')
        .all(cameraId, from - MAX_SEGMENT_MS, to, from) as Row[]
    ).map(toSegment);
  }

  /** Recorded time in [from, to) as continuous ranges; what lies between them are the gaps. */
  ranges(cameraId: string, from: number, to: number): TimeRange[] {
    const first = this.sql('SELECT start_ms FROM segments WHERE camera_id = ? AND start_ms >= ? AND start_ms < ? AND end_ms > ? AND missing = 0 ORDER BY start_ms LIMIT 1')
      .pluck()
      .get(cameraId, from - MAX_SEGMENT_MS, to, from) as number | undefined;
    if (first === undefined) return [];
    const starts = [
      first,
      ...(this.sql('SELECT start_ms FROM segments WHERE camera_id = ? AND gap_before = 1 AND missing = 0 AND start_ms > ? AND start_ms < ? ORDER BY start_ms')
        .pluck()
        .all(cameraId, first, to) as number[]),
    ];
    const lastEndBefore = this.sql('SELECT end_ms FROM segments WHERE camera_id = ? AND start_ms < ? AND missing = 0 ORDER BY start_ms DESC LIMIT 1').pluck();
    return starts.map((startMs, i) => ({ startMs, endMs: lastEndBefore.get(cameraId, starts[i + 1] ?? to) as number }));
  }

  /** Recomputes where ranges begin for the present segments at or just after `startMs`. */
  private refreshRangeStarts(cameraId: string, startMs: number): void {
    const next = this.sql('SELECT id, start_ms FROM segments WHERE camera_id = ? AND start_ms >= ? AND missing = 0 ORDER BY start_ms LIMIT 2').all(cameraId, startMs) as Array<{ id: number; start_ms: number }>;
    const previousEnd = this.sql('SELECT end_ms FROM segments WHERE camera_id = ? AND start_ms < ? AND missing = 0 ORDER BY start_ms DESC LIMIT 1').pluck();
    const update = this.sql('UPDATE segments SET gap_before = ? WHERE id = ?');
    for (const row of next) {
      const end = previousEnd.get(cameraId, row.start_ms) as number | undefined;
      update.run(end !== undefined && row.start_ms - end <= CONTIGUOUS_MS ? 0 : 1, row.id);
    }
  }

  byId(id: number): SegmentRow | undefined {
    const row = this.sql('SELECT * FROM segments WHERE id = ?').get(id) as Row | undefined;
    return row && toSegment(row);
  }

  byPath(path: string): SegmentRow | undefined {
    const row = this.sql('SELECT * FROM segments WHERE path = ?').get(path) as Row | undefined;
    return row && toSegment(row);
  }

  /** Every row at once: for tests and small indexes only (a month of footage is ten million rows). */
  all(): SegmentRow[] {
    return (this.sql('SELECT * FROM segments ORDER BY start_ms').all() as Row[]).map(toSegment);
  }

  /** The cameras with rows, each found by one index seek rather than a scan. */
  cameraIds(): string[] {
    const next = this.sql('SELECT MIN(camera_id) FROM segments WHERE camera_id > ?').pluck();
    const ids: string[] = [];
    for (let id = next.get('') as string | null; id !== null; id = next.get(id) as string | null) ids.push(id);
    return ids;
  }

  /** The earliest start at or after `fromMs` of one camera's rows (missing ones too), by one index seek. */
  firstStartFrom(cameraId: string, fromMs: number): number | undefined {
    return (this.sql('SELECT MIN(start_ms) FROM segments WHERE camera_id = ? AND start_ms >= ?').pluck().get(cameraId, fromMs) as number | null) ?? undefined;
  }

  /** Where one camera's rows starting in [from, to) say their files are (missing ones too), read one at a time. */
  *filesStartingIn(cameraId: string, from: number, to: number): Generator<Pick<SegmentRow, 'id' | 'path' | 'missing'>> {
    const rows = this.db.prepare('SELECT id, path, missing FROM segments WHERE camera_id = ? AND start_ms >= ? AND start_ms < ?').iterate(cameraId, from, to);
    for (const row of rows as IterableIterator<Pick<Row, 'id' | 'path' | 'missing'>>) yield { id: row.id, path: row.path, missing: row.missing === 1 };
  }

  lastOfRun(runId: string): SegmentRow | undefined {
    const row = this.sql('SELECT * FROM segments WHERE run_id = ? ORDER BY end_ms DESC LIMIT 1').get(runId) as Row | undefined;
    return row && toSegment(row);
  }

  /** Ends of the segments in [from, to) where a recording's clock was found more than `beyondMs` off real time. */
  clockDriftsAt(cameraId: string, from: number, to: number, beyondMs: number): number[] {
    return this.sql('SELECT end_ms FROM segments WHERE camera_id = ? AND start_ms >= ? AND start_ms < ? AND missing = 0 AND abs(clock_offset_ms) > ? ORDER BY start_ms')
      .pluck()
      .all(cameraId, from, to, beyondMs) as number[];
  }

  /** Returns whether the row changed (false if it was already so, or is gone). */
  setMissing(id: number, missing: boolean): boolean {
    const row = this.byId(id);
    const changed = this.sql('UPDATE segments SET missing = ? WHERE id = ? AND missing != ?').run(missing ? 1 : 0, id, missing ? 1 : 0).changes > 0;
    if (row && changed) this.refreshRangeStarts(row.cameraId, row.startMs);
    return changed;
  }

  /** setMissing for many rows in one transaction (a day folder that is gone); returns how many changed. */
  setMissingMany(ids: readonly number[], missing: boolean): number {
    return this.db.transaction(() => ids.filter((id) => this.setMissing(id, missing)).length)();
  }

  delete(id: number): void {
    const row = this.byId(id);
    this.sql('DELETE FROM segments WHERE id = ?').run(id);
    if (row) this.refreshRangeStarts(row.cameraId, row.startMs);
  }

  /** Oldest first, never a segment under an evidence lock. */
  deletable(limit: number, cameraId?: string): SegmentRow[] {
    const sql = `SELECT s.* FROM segments s WHERE ${cameraId ? 's.camera_id = ? AND ' : ''}NOT EXISTS (
        SELECT 1 FROM locks l WHERE l.camera_id = s.camera_id AND l.start_ms < s.end_ms AND l.end_ms > s.start_ms)
      ORDER BY s.start_ms LIMIT ?`;
    const args = cameraId ? [cameraId, limit] : [limit];
    return (this.sql(sql).all(...args) as Row[]).map(toSegment);
  }

  /** The latest end of any row (missing ones too); null when empty. Reads only the last MAX_SEGMENT_MS of starts. */
  newestEnd(): number | null {
    return this.sql('SELECT MAX(end_ms) FROM segments WHERE start_ms >= (SELECT MAX(start_ms) FROM segments) - ?').pluck().get(MAX_SEGMENT_MS) as number | null;
  }

  bytesByCamera(): Map<string, number> {
    const rows = this.sql('SELECT camera_id, bytes AS total FROM camera_bytes WHERE bytes > 0').all() as Array<{ camera_id: string; total: number }>;
    return new Map(rows.map((r) => [r.camera_id, r.total]));
  }

  /** Where the camera's oldest footage here begins (null: none). */
  oldestStart(cameraId: string): number | null {
    return (this.sql('SELECT MIN(start_ms) FROM segments WHERE camera_id = ? AND missing = 0').pluck().get(cameraId) as number | null) ?? null;
  }

  usage(): { usedBytes: number; oldestMs: number | null } {
    const row = this.sql('SELECT (SELECT COALESCE(SUM(bytes), 0) FROM camera_bytes) AS used, (SELECT MIN(start_ms) FROM segments WHERE missing = 0) AS oldest').get() as { used: number; oldest: number | null };
    return { usedBytes: row.used, oldestMs: row.oldest };
  }

  /** Where the ledger's entry for a takeover of the camera at `takenAt` is. */
  noteTakeover(cameraId: string, takenAt: number, ledgerOffset: number): void {
    this.sql('INSERT OR REPLACE INTO takeovers VALUES (?, ?, ?)').run(cameraId, takenAt, ledgerOffset);
  }

  /** The ledger offsets of the cameras' takeovers in [from, to]. */
  takeovers(cameraIds: readonly string[], from: number, to: number): number[] {
    const one = this.sql('SELECT ledger_offset FROM takeovers WHERE camera_id = ? AND taken_at BETWEEN ? AND ? ORDER BY taken_at').pluck();
    return cameraIds.flatMap((id) => one.all(id, from, to) as number[]);
  }

  /** The retention hook for evidence locks: footage in the range is kept until the lock is lifted. */
  addLock(cameraId: string, range: TimeRange, reason: string): number {
    return Number(this.sql('INSERT INTO locks (camera_id, start_ms, end_ms, reason) VALUES (?, ?, ?, ?)').run(cameraId, range.startMs, range.endMs, reason).lastInsertRowid);
  }

  removeLock(id: number): void {
    this.sql('DELETE FROM locks WHERE id = ?').run(id);
  }

  /**
   * Makes the locks whose reason starts with `prefix` exactly `locks`, in one transaction: a site's
   * recorder holds the directory's evidence locks this way, and retention never sees half of them.
   */
  replaceLocks(prefix: string, locks: ReadonlyArray<{ cameraId: string; range: TimeRange; reason: string }>): void {
    this.db.transaction(() => {
      this.sql('DELETE FROM locks WHERE substr(reason, 1, length(?)) = ?').run(prefix, prefix);
      for (const l of locks) this.addLock(l.cameraId, l.range, l.reason);
    })();
  }

  /** Lifts every lock placed with this reason (e.g. all cameras of one bookmark). */
  removeLocks(reason: string): number {
    return this.sql('DELETE FROM locks WHERE reason = ?').run(reason).changes;
  }

  close(): void {
    this.db.close();
  }

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) this.statements.set(text, (statement = this.db.prepare(text)));
    return statement;
  }
}
