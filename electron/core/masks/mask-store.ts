/**
 * Privacy masks in SQLite (their own file beside the other core databases): every saved set is a new
 * version, never overwritten, so any export can say which masks it burned in; and every lift, open
 * or ended, with who, why and when.
 */
import type Database from 'better-sqlite3';
import type { MaskPolygon } from '../../../shared/masks.js';
import { openPrivateDatabase } from '../private-database.js';

export interface MaskVersion {
  cameraId: string;
  version: number;
  polygons: MaskPolygon[];
  sha256: string;
  setBy: string;
  setAt: number;
}

export interface MaskLift {
  id: string;
  cameraId: string;
  personId: string;
  personName: string;
  reason: string;
  liftedAt: number;
  untilMs: number;
  /** Set once the masks are back: when, and why (expired, by-hand, restart). */
  endedAt: number | null;
  endedWhy: string | null;
}

interface LiftRow {
  id: string;
  camera_id: string;
  person_id: string;
  person_name: string;
  reason: string;
  lifted_at: number;
  until_ms: number;
  ended_at: number | null;
  ended_why: string | null;
}

const toLift = (r: LiftRow): MaskLift => ({
  id: r.id,
  cameraId: r.camera_id,
  personId: r.person_id,
  personName: r.person_name,
  reason: r.reason,
  liftedAt: r.lifted_at,
  untilMs: r.until_ms,
  endedAt: r.ended_at,
  endedWhy: r.ended_why,
});

export class MaskStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openPrivateDatabase(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS mask_versions (
        camera_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        polygons TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        set_by TEXT NOT NULL,
        set_at INTEGER NOT NULL,
        PRIMARY KEY (camera_id, version)
      );
      CREATE TABLE IF NOT EXISTS mask_lifts (
        id TEXT PRIMARY KEY,
        camera_id TEXT NOT NULL,
        person_id TEXT NOT NULL,
        person_name TEXT NOT NULL,
        reason TEXT NOT NULL,
        lifted_at INTEGER NOT NULL,
        until_ms INTEGER NOT NULL,
        ended_at INTEGER,
        ended_why TEXT
      );
      CREATE INDEX IF NOT EXISTS mask_lifts_open ON mask_lifts (ended_at);
    `);
  }

  /** Every camera's newest version. */
  current(): MaskVersion[] {
    const rows = this.db
      .prepare('SELECT * FROM mask_versions v WHERE version = (SELECT MAX(version) FROM mask_versions WHERE camera_id = v.camera_id) ORDER BY camera_id')
      .all() as Array<Record<string, unknown>>;
    return rows.map(toVersion);
  }

  latest(cameraId: string): MaskVersion | null {
    const row = this.db.prepare('SELECT * FROM mask_versions WHERE camera_id = ? ORDER BY version DESC LIMIT 1').get(cameraId) as Record<string, unknown> | undefined;
    return row ? toVersion(row) : null;
  }

  /** Saves the next version of a camera's masks (the version number is taken inside one transaction). */
  add(cameraId: string, polygons: MaskPolygon[], sha256: string, setBy: string, setAt: number): MaskVersion {
    return this.db.transaction(() => {
      const version = (this.latest(cameraId)?.version ?? 0) + 1;
      this.db
        .prepare('INSERT INTO mask_versions (camera_id, version, polygons, sha256, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(cameraId, version, JSON.stringify(polygons), sha256, setBy, setAt);
      return { cameraId, version, polygons, sha256, setBy, setAt };
    })();
  }

  openLifts(): MaskLift[] {
    return (this.db.prepare('SELECT * FROM mask_lifts WHERE ended_at IS NULL ORDER BY lifted_at').all() as LiftRow[]).map(toLift);
  }

  insertLift(lift: MaskLift): void {
    this.db
      .prepare('INSERT INTO mask_lifts (id, camera_id, person_id, person_name, reason, lifted_at, until_ms) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(lift.id, lift.cameraId, lift.personId, lift.personName, lift.reason, lift.liftedAt, lift.untilMs);
  }

  /** Marks an open lift ended; false if it had already ended (so it is ledgered once). */
  endLift(id: string, endedAt: number, why: string): boolean {
    return this.db.prepare('UPDATE mask_lifts SET ended_at = ?, ended_why = ? WHERE id = ? AND ended_at IS NULL').run(endedAt, why, id).changes === 1;
  }

  close(): void {
    this.db.close();
  }
}

function toVersion(r: Record<string, unknown>): MaskVersion {
  return {
    cameraId: String(r.camera_id),
    version: Number(r.version),
    polygons: JSON.parse(String(r.polygons)) as MaskPolygon[],
    sha256: String(r.sha256),
    setBy: String(r.set_by),
    setAt: Number(r.set_at),
  };
}
