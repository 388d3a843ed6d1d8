/**
 * What each recorder of a site holds of each camera, in the directory: one row per stretch of
 * footage without a break (camera, recorder, start, end), so a workstation draws a camera's timeline
 * from every recorder that recorded it, a dead one's past included, and an unrecorded stretch (a
 * takeover's gap) shows as the hole it is. Each recorder brings its rows up to date from its own
 * segment index every 15 s (CoverageReporter). The segment index itself stays on the recorder (1,000
 * cameras of 6-s segments would be 14 M directory rows a day for nothing).
 */
import type { Db } from '../directory/postgres-directory.js';
import type { Logger } from '../logger.js';
import { CONTIGUOUS_MS, type TimeRange } from '../recording/segment-index.js';

/** How often a recorder brings its coverage in the directory up to date: how far behind a workstation's timeline may be. */
export const COVERAGE_EVERY_MS = 15_000;

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

/** What a recorder has of one camera since its last report. */
export interface CoverageReport {
  cameraId: string;
  /** New or grown stretches, oldest first. */
  ranges: readonly TimeRange[];
  /** Retention deleted everything before this (null: nothing new deleted). */
  oldestMs: number | null;
}

export class CoverageTable {
  constructor(private readonly db: Db) {}

  /** Where each of the recorder's cameras' rows end. */
  async lastEnds(recorderId: string): Promise<Map<string, number>> {
    const rows = await this.db.query<{ camera_id: string; end_ms: string }>('SELECT camera_id, max(end_ms) AS end_ms FROM coverage WHERE recorder_id = $1 GROUP BY camera_id', [recorderId]);
    return new Map(rows.map((r) => [r.camera_id, Number(r.end_ms)]));
  }

  /**
   * A recorder's round, in one transaction (one commit per recorder per round, however many cameras):
   * each range joined to the row it continues (within a second) or a row of its own; what retention
   * deleted before a camera's `oldestMs` forgotten.
   */
  async record(recorderId: string, reports: readonly CoverageReport[]): Promise<void> {
    if (!reports.length) return;
    await this.db.change('coverage', recorderId, async (c) => {
      for (const { cameraId, ranges, oldestMs } of reports) {
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
      }
      // Nobody needs telling of every round's growth: views reload their timelines as they go.
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

/**
 * A recorder's side: every round (15 s), what it recorded since the last one, all cameras in one
 * transaction; a camera with nothing new costs nothing. A round that fails is made up by the next.
 */
export class CoverageReporter {
  /** Per camera, where the directory's rows end (read from the directory at the first round). */
  private reached: Map<string, number> | null = null;
  /** Per camera, the retention cut last reported. */
  private readonly trimmedTo = new Map<string, number>();
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
    const reached = (this.reached ??= await table.lastEnds(recorderId));
    const reports: CoverageReport[] = [];
    for (const cameraId of index.cameraIds()) {
      const from = reached.get(cameraId) ?? 0;
      // From a little before where it got to: the last stretch may have grown since.
      const ranges = index.ranges(cameraId, Math.max(0, from - CONTIGUOUS_MS), now).filter((r) => r.endMs > from);
      const oldest = index.oldestStart(cameraId);
      const oldestMs = oldest !== null && oldest !== this.trimmedTo.get(cameraId) ? oldest : null;
      if (ranges.length || oldestMs !== null) reports.push({ cameraId, ranges, oldestMs });
    }
    await table.record(recorderId, reports);
    for (const { cameraId, ranges, oldestMs } of reports) {
      const end = ranges.at(-1)?.endMs;
      if (end !== undefined) reached.set(cameraId, Math.max(reached.get(cameraId) ?? 0, end));
      if (oldestMs !== null) this.trimmedTo.set(cameraId, oldestMs);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.round;
  }
}
