/**
 * Where recordings live and how a segment becomes part of the record:
 *
 *   <root>/<camera>/incoming/r<run>-00042.ts   being written by ffmpeg
 *   <root>/<camera>/incoming/r<run>.csv        ffmpeg's list of closed segments (stream seconds)
 *   <root>/<camera>/incoming/r<run>.json       the run's wall clock: epochMs = stream second 0
 *   <root>/<camera>/<YYYY-MM-DD>/<start>-<end>.ts   closed, hashed, indexed (ms since epoch, UTC day)
 *   <root>/<camera>/<YYYY-MM-DD>/<start>-<end>-2.ts the same name was taken: a file is never overwritten
 *
 * One camera's segments never overlap in time: one placed before the camera's latest recorded end (the
 * wall clock stepped back) is moved after it, and the step is audited.
 *
 * A closed segment is hashed, moved into its day folder and indexed; its hash enters the audit log as
 * a leaf of its camera's minute (minute-batches.ts), so an export can later prove the footage
 * unchanged since it was recorded.
 */
import type { AuditAction } from '../../../shared/audit-actions.js';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { minuteOf } from '../audit/capture-proof.js';
import { hashFile } from './file-hash.js';
import { sealAfterRestart, sealOpenMinutes } from './minute-batches.js';
import type { LedgerRef } from '../audit/audit-ledger.js';
import type { SegmentIndex, SegmentRow, TimeRange } from './segment-index.js';
import { parseSegmentList, type ListedSegment } from './segment-list.js';
import { repairPartialTs } from './ts-repair.js';

/** Appends to the audit ledger and says where the entry went. */
export type Audit = (action: AuditAction, subject: string, details: Record<string, unknown>) => LedgerRef;

export interface RecordingStoreOptions {
  root: string;
  index: SegmentIndex;
  audit: Audit;
  logger: Logger;
  ffprobePath?: string;
}

const CLOSED_NAME = /^(\d{13})-(\d{13})(?:-\d+)?\.ts$/;
const RUN_FILE = /^r([a-z0-9]+)-(\d{5})\.ts$/;

/** `copy` > 1 names a further file of the same range (the first name was taken). */
export function closedSegmentPath(cameraId: string, startMs: number, endMs: number, copy = 1): string {
  const day = new Date(startMs).toISOString().slice(0, 10);
  return join(cameraId, day, `${startMs}-${endMs}${copy > 1 ? `-${copy}` : ''}.ts`);
}

export function parseClosedName(name: string): { startMs: number; endMs: number } | null {
  const m = CLOSED_NAME.exec(name);
  return m ? { startMs: Number(m[1]), endMs: Number(m[2]) } : null;
}

export interface ListedSince {
  segments: ListedSegment[];
  /** Where the next read of the list starts. */
  offset: number;
  /** When the last of `segments` was listed (ms since epoch), or null when not known. */
  listedAtMs: number | null;
}

/**
 * A listed segment's wall-clock range in a run whose stream second 0 is at `epochMs`; it starts where
 * the run's previous segment ended, so moving the run's clock never opens a gap or an overlap.
 */
export function runRange(epochMs: number, seg: ListedSegment, lastEndMs: number | null): TimeRange {
  const startMs = lastEndMs ?? Math.round(epochMs + seg.start * 1000);
  return { startMs, endMs: Math.max(startMs, Math.round(epochMs + seg.end * 1000)) };
}

export class RecordingStore {
  constructor(private readonly opts: RecordingStoreOptions) {}

  get root(): string {
    return this.opts.root;
  }

  incomingDir(cameraId: string): string {
    return join(this.opts.root, cameraId, 'incoming');
  }

  /** Written again when the run is re-anchored: through a temporary file, so a crash leaves the old or the new clock. */
  async writeRunClock(cameraId: string, runId: string, epochMs: number): Promise<void> {
    const file = join(this.incomingDir(cameraId), `r${runId}.json`);
    await writeFile(`${file}.tmp`, JSON.stringify({ epochMs }));
    await rename(`${file}.tmp`, file);
  }

  async readRunClock(cameraId: string, runId: string): Promise<number | null> {
    try {
      const { epochMs } = JSON.parse(await readFile(join(this.incomingDir(cameraId), `r${runId}.json`), 'utf8')) as { epochMs?: unknown };
      return typeof epochMs === 'number' ? epochMs : null;
    } catch {
      return null;
    }
  }

  async listedSegments(cameraId: string, runId: string): Promise<ListedSegment[]> {
    return (await this.listedSince(cameraId, runId, 0)).segments;
  }

  /**
   * The segments listed after byte `offset` of the run's list, and the offset after the last whole
   * line: a long run's list is read once, not again every second.
   */
  async listedSince(cameraId: string, runId: string, offset: number): Promise<ListedSince> {
    const file = join(this.incomingDir(cameraId), `r${runId}.csv`);
    // Asked of every camera every second: one stat says whether the list grew; it is opened only then.
    const listed = await stat(file).catch(() => null);
    if (!listed || listed.size <= offset) return { segments: [], offset, listedAtMs: null };
    const handle = await open(file, 'r');
    try {
      const buf = Buffer.alloc(listed.size - offset);
      const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
      const whole = buf.lastIndexOf(0x0a, bytesRead - 1) + 1;
      // ffmpeg appends a line as it closes a segment: the file's last change is when the last one closed.
      return { segments: parseSegmentList(buf.toString('utf8', 0, whole)), offset: offset + whole, listedAtMs: whole === buf.length ? Math.round(listed.mtimeMs) : null };
    } finally {
      await handle.close();
    }
  }

  /**
   * Hashes, files and indexes one closed segment, a leaf of its minute: the camera's earlier minutes
   * still open are sealed first. The row may start later than asked: after the camera's latest
   * recorded end (see above). `clockOffsetMs`: the drift measured at its close.
   */
  async commit(cameraId: string, runId: string, file: string, askedStartMs: number, askedEndMs: number, repaired: boolean, clockOffsetMs: number | null = null): Promise<SegmentRow> {
    const src = join(this.incomingDir(cameraId), file);
    const { sha256, bytes } = await hashFile(src);
    const { startMs, endMs } = this.afterLatest(cameraId, runId, file, { startMs: askedStartMs, endMs: askedEndMs });
    const path = await this.fileUnder(src, cameraId, startMs, endMs);
    sealOpenMinutes(this.opts.index, this.opts.audit, cameraId, { keepMinute: minuteOf(endMs) });
    return this.opts.index.insert({ cameraId, runId, path, startMs, endMs, bytes, sha256, repaired, ledgerOffset: null, captureOpen: true, clockOffsetMs });
  }

  /** At start, before anything records: seals the minutes a crash left open; returns the paths that changed meanwhile. */
  sealAfterRestart(): Promise<string[]> {
    return sealAfterRestart(this.opts.index, this.opts.audit, this.opts.root);
  }

  /** Seals the camera's open minutes: its run ended, so no further segment of them is coming. */
  sealMinutes(cameraId: string): void {
    sealOpenMinutes(this.opts.index, this.opts.audit, cameraId);
  }

  /** A run's stream clock was found this far off real time and re-anchored at this segment. */
  auditClockDrift(cameraId: string, details: { runId: string; path: string; offsetMs: number }): void {
    this.opts.audit('recording.clock-drift', cameraId, details);
    this.opts.logger.log('warn', 'recording.clock-drift', { cameraId, ...details });
  }

  /** The range moved after the camera's latest recorded end if it would overlap it; the move is audited. */
  private afterLatest(cameraId: string, runId: string, file: string, asked: TimeRange): TimeRange {
    const latestEnd = this.opts.index.ranges(cameraId, asked.startMs, Number.MAX_SAFE_INTEGER).at(-1)?.endMs;
    if (latestEnd === undefined || latestEnd <= asked.startMs) return asked;
    const stepMs = latestEnd - asked.startMs;
    this.opts.audit('recording.clock-step', cameraId, { runId, file, askedStartMs: asked.startMs, stepMs });
    this.opts.logger.log('warn', 'recording.clock-step', { cameraId, runId, stepMs });
    return { startMs: latestEnd, endMs: asked.endMs + stepMs };
  }

  /**
   * Moves a segment into its day folder under a name no file or row has (rename would silently
   * replace a file): a clash takes the next `-<n>` name. Checking first is safe because a camera's
   * folder has one writer, its recorder's queue (or start-up reconciliation, before recording starts).
   */
  private async fileUnder(src: string, cameraId: string, startMs: number, endMs: number): Promise<string> {
    await mkdir(join(this.opts.root, closedSegmentPath(cameraId, startMs, endMs), '..'), { recursive: true });
    for (let copy = 1; ; copy++) {
      const path = closedSegmentPath(cameraId, startMs, endMs, copy);
      if (this.opts.index.byPath(path) || existsSync(join(this.opts.root, path))) continue;
      await rename(src, join(this.opts.root, path));
      return path;
    }
  }

  /**
   * Files every segment of a finished run that is still in incoming/: those ffmpeg listed as closed,
   * then the one it was writing when it died, trimmed to its last whole packet. Removes the run's
   * bookkeeping files. Returns what it did, for the log.
   */
  async completeRun(cameraId: string, runId: string): Promise<{ committed: number; repaired: number; removed: number }> {
    const dir = this.incomingDir(cameraId);
    const epochMs = await this.readRunClock(cameraId, runId);
    const counts = { committed: 0, repaired: 0, removed: 0 };
    const listed = await this.listedSegments(cameraId, runId);
    const present = new Set(existsSync(dir) ? await readdir(dir) : []);
    let lastEnd = this.opts.index.lastOfRun(runId)?.endMs ?? null;
    if (epochMs !== null) {
      let clock = epochMs;
      for (const seg of listed) {
        if (!present.has(seg.file)) continue;
        const range = runRange(clock, seg, lastEnd);
        const row = await this.commit(cameraId, runId, seg.file, range.startMs, range.endMs, false);
        // A segment moved after earlier footage takes the rest of the run with it.
        clock += row.endMs - range.endMs;
        present.delete(seg.file);
        lastEnd = row.endMs;
        counts.committed++;
      }
    }
    const partials = [...present].filter((f) => RUN_FILE.exec(f)?.[1] === runId).sort();
    for (const file of partials) {
      const duration = await repairPartialTs(join(dir, file), this.opts.ffprobePath);
      // Without the run's clock there is no honest wall-clock time for the footage: keep nothing unplaceable.
      // The clock is a frame's arrival less its stream time, a fraction of a millisecond; the index holds whole ones.
      const startMs = lastEnd ?? (epochMs === null ? null : Math.round(epochMs));
      if (duration === null || startMs === null) {
        await rm(join(dir, file), { force: true });
        counts.removed++;
        continue;
      }
      const row = await this.commit(cameraId, runId, file, startMs, Math.round(startMs + duration * 1000), true);
      lastEnd = row.endMs;
      counts.repaired++;
    }
    await rm(join(dir, `r${runId}.csv`), { force: true });
    await rm(join(dir, `r${runId}.json`), { force: true });
    await rm(join(dir, `r${runId}.json.tmp`), { force: true });
    this.sealMinutes(cameraId);
    if (counts.repaired || counts.removed) this.opts.logger.log('warn', 'recording.run-salvaged', { cameraId, runId, ...counts });
    return counts;
  }

  /** Run ids with files left in a camera's incoming folder. */
  async leftoverRuns(cameraId: string): Promise<string[]> {
    const dir = this.incomingDir(cameraId);
    if (!existsSync(dir)) return [];
    const ids = new Set<string>();
    for (const f of await readdir(dir)) {
      const m = /^r([a-z0-9]+)(?:-\d{5}\.ts|\.csv|\.json)$/.exec(f);
      if (m) ids.add(m[1]!);
    }
    return [...ids];
  }

  async cameraDirs(): Promise<string[]> {
    if (!existsSync(this.opts.root)) return [];
    return (await readdir(this.opts.root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  }
}
