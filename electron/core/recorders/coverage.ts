/**
 * What each recorder of a site holds of each camera, in the directory: one row per stretch of
 * footage without a break (camera, recorder, start, end), so a workstation draws a camera's timeline
 * from every recorder that recorded it, a dead one's past included, and an unrecorded stretch (a
 * takeover's gap) shows as the hole it is. Each recorder brings its rows up to date from its own
 * segment index once a minute, from where it last got to; a round that cannot reach the directory is
 * made up by the next one. The segment index itself stays on the recorder (1,000 cameras of 6-s
 * segments would be 14 M directory rows a day for nothing).
 */
import type { Db } from '../directory/postgres-directory.js';
import type { Logger } from '../logger.js';
import { CONTIGUOUS_MS, type TimeRange } from '../recording/segment-index.js';

/** The schema, as one of the directory's numbered migrations. */
export const COVERAGE_TABLE = `
  CREATE TABLE coverage (
    camera_id text NOT NULL,
    recorder_id text NOT NULL,
    start_ms bigint NOT NULL,
    end_ms bigint NOT NULL CHECK (end_ms >= start_ms),
    PRIMARY KEY (camera_id, recorder_id, start_ms)
  );
  CREATE INDEX coverage_by_time ON coverage (camera_id, end_ms);
`;

/** What a recorder's segment index tells the reporter. */
export interface FootageIndex {
  cameraIds(): string[];
  ranges(cameraId: string, from: number, to: number): TimeRange[];
  oldestStart(cameraId: string): number | null;
}

export class CoverageTable {
  constructor(private readonly db: Db) {}

  /** Where this recorder's rows of the camera end (null: it has none). */
  async lastEnd(cameraId: string, recorderId: string): Promise<number | null> {
    const [row] = await this.db.query<{ end_ms: string | null }>('SELECT max(end_ms) AS end_ms FROM coverage WHERE camera_id = $1 AND recorder_id = $2', [cameraId, recorderId]);
    return row?.end_ms == null ? null : Number(row.end_ms);
  }

  /**
   * Adds the recorder's ranges of the camera, each joined to the row it continues (within a second)
   * or a row of its own; and forgets what retention deleted before `oldestMs`. One transaction.
   */
  async record(cameraId: string, recorderId: string, ranges: readonly TimeRange[], oldestMs: number | null): Promise<void> {
    await this.db.change('coverage', cameraId, async (c) => {
      for (const range of ranges) {
        const joined = await c.query(
          `UPDATE coverage SET end_ms = greatest(end_ms, $4) WHERE camera_id = $1 AND recorder_id = $2 AND start_ms <= $3 AND end_ms >= $3 - $5`,
          [cameraId, recorderId, range.startMs, range.endMs, CONTIGUOUS_MS],
        );
        if (!joined.rowCount) {
          await c.query('INSERT INTO coverage (camera_id, recorder_id, start_ms, end_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (camera_id, recorder_id, start_ms) DO UPDATE SET end_ms = greatest(coverage.end_ms, $4)', [cameraId, recorderId, range.startMs, range.endMs]);
        }
      }
      if (oldestMs !== null) {
        await c.query('DELETE FROM coverage WHERE camera_id = $1 AND recorder_id = $2 AND end_ms <= $3', [cameraId, recorderId, oldestMs]);
        await c.query('UPDATE coverage SET start_ms = $3 WHERE camera_id = $1 AND recorder_id = $2 AND start_ms < $3', [cameraId, recorderId, oldestMs]);
      }
      // Nobody needs telling of every minute's growth: views reload their timelines as they go.
      return null;
    });
  }

  /** The recorders holding footage of the camera in [from, to). */
  async holders(cameraId: string, fromMs: number, toMs: number): Promise<string[]> {
    const rows = await this.db.query<{ recorder_id: string }>('SELECT DISTINCT recorder_id FROM coverage WHERE camera_id = $1 AND end_ms > $2 AND start_ms < $3 ORDER BY recorder_id', [cameraId, fromMs, toMs]);
    return rows.map((r) => r.recorder_id);
  }

  /** The camera's footage across every recorder overlapping [from, to): stretches merged where they meet. */
  async ranges(cameraId: string, fromMs: number, toMs: number): Promise<TimeRange[]> {
    const rows = await this.db.query<{ start_ms: string; end_ms: string }>('SELECT start_ms, end_ms FROM coverage WHERE camera_id = $1 AND end_ms > $2 AND start_ms < $3 ORDER BY start_ms', [cameraId, fromMs, toMs]);
    const merged: TimeRange[] = [];
    for (const row of rows) {
      const range = { startMs: Number(row.start_ms), endMs: Number(row.end_ms) };
      const last = merged.at(-1);
      if (last && range.startMs <= last.endMs + CONTIGUOUS_MS) last.endMs = Math.max(last.endMs, range.endMs);
      else merged.push(range);
    }
    return merged;
  }
}

/** A recorder's side: once a minute, each camera it has footage of is brought up to date in the directory. */
export class CoverageReporter {
  /** Per camera, where the directory's rows end; read from there at first. */
  private readonly reached = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      table: CoverageTable;
      recorderId: string;
      index: FootageIndex;
      everyMs: number;
      logger: Logger;
    },
  ) {}

  start(): void {
    const tick = () => {
      this.round = this.report()
        .catch((error: Error) => this.deps.logger.log('warn', 'coverage: cannot reach the directory; the next round makes up for it', { error: error.message }))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.deps.everyMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** One round; exposed so tests can step. */
  async report(now = Date.now()): Promise<void> {
    const { table, recorderId, index } = this.deps;
    for (const cameraId of index.cameraIds()) {
      const from = this.reached.get(cameraId) ?? (await table.lastEnd(cameraId, recorderId)) ?? 0;
      // From a little before where it got to: the last stretch may have grown since.
      const ranges = index.ranges(cameraId, Math.max(0, from - CONTIGUOUS_MS), now);
      await table.record(cameraId, recorderId, ranges, index.oldestStart(cameraId));
      const end = ranges.at(-1)?.endMs;
      if (end !== undefined) this.reached.set(cameraId, Math.max(from, end));
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.round;
  }
}
