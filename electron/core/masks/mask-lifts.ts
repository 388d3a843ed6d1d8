/**
 * Privacy mask lifts, in the workstation's masks.sqlite: every lift, open or ended, with who, why and
 * when. A lift is one signed-in person's, on the workstation they are at, so it stays on that machine
 * even in a site (the versions it lifts are the directory's: mask-versions.ts).
 */
import type Database from 'better-sqlite3';
import { openPrivateDatabase } from '../private-database.js';

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

export class MaskLiftStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openPrivateDatabase(file);
    this.db.exec(`
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
