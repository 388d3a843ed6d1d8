/**
 * Privacy masks' saved versions, in the directory: every workstation of a site shows, and every export
 * burns in, the masks set on any of them. Every saved set is a new version, never overwritten, so any
 * export can say which masks it burned in. Two implementations, as the directory has: the data
 * folder's masks.sqlite (one machine) and a PostgreSQL table whose triggers refuse every update and
 * delete. Lifts are not here: a lift belongs to a person signed in on one workstation (mask-lifts.ts).
 */
import type Database from 'better-sqlite3';
import type { MaskPolygon } from '../../../shared/masks.js';
import { maskPolygonsSchema } from '../../../shared/schemas.js';
import type { Db } from '../directory/postgres-directory.js';
import { openPrivateDatabase } from '../private-database.js';

export interface MaskVersion {
  cameraId: string;
  version: number;
  polygons: MaskPolygon[];
  sha256: string;
  setBy: string;
  setAt: number;
}

export interface MaskVersionRepository {
  /** Every camera's newest version (a camera whose masks were cleared has an empty one). */
  current(): Promise<MaskVersion[]>;
  latest(cameraId: string): Promise<MaskVersion | null>;
  /** Saves the camera's next version, numbered in the write itself: two workstations saving at once get two numbers. */
  add(next: Omit<MaskVersion, 'version'>): Promise<MaskVersion>;
}

interface Row {
  camera_id: string;
  version: number;
  polygons: string | MaskPolygon[];
  sha256: string;
  set_by: string;
  set_at: number | string;
}

// PostgreSQL hands jsonb back parsed and bigint as a string; SQLite, text and a number.
/** The whole picture: what a version that is not a set of masks hides (fail closed). */
const WHOLE_PICTURE: MaskPolygon[] = [[[0, 0], [1, 0], [1, 1], [0, 1]]];

/**
 * A version's polygons as stored, or the whole picture when they are not masks: a row anyone who can
 * write the directory may have put there must neither break every wall nor unmask its camera.
 */
function polygonsOf(stored: unknown): MaskPolygon[] {
  let value = stored;
  try {
    if (typeof stored === 'string') value = JSON.parse(stored);
  } catch {
    return WHOLE_PICTURE;
  }
  const parsed = maskPolygonsSchema.safeParse(value);
  return parsed.success ? parsed.data : WHOLE_PICTURE;
}

const toVersion = (r: Row): MaskVersion => ({
  cameraId: r.camera_id,
  version: Number(r.version),
  polygons: polygonsOf(r.polygons),
  sha256: r.sha256,
  setBy: r.set_by,
  setAt: Number(r.set_at),
});

const NEWEST = 'SELECT * FROM mask_versions v WHERE version = (SELECT MAX(version) FROM mask_versions WHERE camera_id = v.camera_id) ORDER BY camera_id';

/** One machine's versions, in masks.sqlite beside its lifts (the file predates the directory). */
export class MaskVersionStore {
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
    `);
  }

  current(): MaskVersion[] {
    return (this.db.prepare(NEWEST).all() as Row[]).map(toVersion);
  }

  latest(cameraId: string): MaskVersion | null {
    const row = this.db.prepare('SELECT * FROM mask_versions WHERE camera_id = ? ORDER BY version DESC LIMIT 1').get(cameraId) as Row | undefined;
    return row ? toVersion(row) : null;
  }

  add(next: Omit<MaskVersion, 'version'>): MaskVersion {
    return this.db.transaction(() => {
      const version = (this.latest(next.cameraId)?.version ?? 0) + 1;
      this.db
        .prepare('INSERT INTO mask_versions (camera_id, version, polygons, sha256, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(next.cameraId, version, JSON.stringify(next.polygons), next.sha256, next.setBy, next.setAt);
      return { ...next, version };
    })();
  }

  close(): void {
    this.db.close();
  }
}

/** The schema, as one of the directory's numbered migrations. */
export const MASK_VERSION_TABLE = `
  CREATE TABLE mask_versions (
    camera_id text NOT NULL,
    version integer NOT NULL CHECK (version > 0),
    polygons jsonb NOT NULL,
    sha256 text NOT NULL,
    set_by text NOT NULL,
    set_at bigint NOT NULL,
    PRIMARY KEY (camera_id, version)
  );
  CREATE FUNCTION mask_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'mask versions are append-only'; END $$;
  CREATE TRIGGER mask_versions_append_only BEFORE UPDATE OR DELETE ON mask_versions
    FOR EACH ROW EXECUTE FUNCTION mask_versions_append_only();
  CREATE TRIGGER mask_versions_no_truncate BEFORE TRUNCATE ON mask_versions
    FOR EACH STATEMENT EXECUTE FUNCTION mask_versions_append_only();
`;

/** The site's versions; a save is announced (topic `masks`, the camera's id) when it is committed. */
export function siteMaskVersions(db: Db): MaskVersionRepository {
  return {
    current: async () => (await db.query<Row>(NEWEST)).map(toVersion),
    latest: async (cameraId) => (await db.query<Row>('SELECT * FROM mask_versions WHERE camera_id = $1 ORDER BY version DESC LIMIT 1', [cameraId])).map(toVersion)[0] ?? null,
    add: async (next) =>
      (await db.change('masks', next.cameraId, async (client) => {
        // Saves wait for each other (rare: a person's act), so each reads the number the last one took.
        await client.query('LOCK TABLE mask_versions IN SHARE ROW EXCLUSIVE MODE');
        const { rows } = await client.query<Row>(
          `INSERT INTO mask_versions (camera_id, version, polygons, sha256, set_by, set_at)
           SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5 FROM mask_versions WHERE camera_id = $1
           RETURNING *`,
          [next.cameraId, JSON.stringify(next.polygons), next.sha256, next.setBy, next.setAt],
        );
        return toVersion(rows[0]!);
      }))!,
  };
}
