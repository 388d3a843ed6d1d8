/**
 * One camera's recording, run by run: each ffmpeg run gets a second output (the segment muxer, the
 * camera's own bytes, `-c copy`, MPEG-TS so a killed process leaves a readable file). While the run
 * lasts, closed segments are committed as ffmpeg lists them; when it ends, whatever is left is
 * committed or salvaged by the store.
 *
 * A run's wall clock is stream seconds counted from its first frame, so a camera whose timestamps run
 * slow or fast drifts from real time. Each closed segment's recorded end is checked against when it
 * closed: after ffmpeg listed it (the list's mtime, normally a few ms after its real end) and before
 * this process read the list. Beyond MAX_CLOCK_OFFSET_MS outside that window the run is re-anchored
 * so that the segment ends when it closed, and the drift is audited and shown.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ClockDrift } from '../../../shared/events.js';
import { runRange, type RecordingStore } from './recording-store.js';
import type { SegmentOutput } from '../streams/ffmpeg-args.js';

export const SEGMENT_SECONDS = 4;
/** Drift of a run's clock from real time (ms) beyond which the run is re-anchored. */
export const MAX_CLOCK_OFFSET_MS = 1_000;

interface Run {
  id: string;
  /** Wall-clock time of stream second 0, once known. */
  epochMs: number | null;
  /** How far its segments were moved after earlier footage (the wall clock had stepped back). */
  stepMs: number;
  /** The clock its clock file holds: epochMs + stepMs when written. */
  clockFileMs: number | null;
  /** How far ffmpeg's segment list has been read. */
  listOffset: number;
  /** Where its last committed segment ended. */
  lastEndMs: number | null;
}

/**
 * How far a recorded end lies outside the window in which its segment closed (0 inside it): a coarse
 * file-system clock only widens the window, it never makes a steady camera look drifted.
 */
export function clockOffset(endMs: number, listedAtMs: number, readAtMs: number): number {
  if (endMs < listedAtMs) return endMs - listedAtMs;
  return endMs > readAtMs ? endMs - readAtMs : 0;
}

export class SegmentRecorder {
  private run: Run | null = null;
  private work: Promise<unknown> = Promise.resolve();
  /** The latest re-anchoring of this camera's recording, for its stream status. */
  clockDrift: ClockDrift | null = null;

  constructor(
    private readonly cameraId: string,
    private readonly store: RecordingStore,
    private readonly onError: (error: unknown) => void,
    private readonly segmentSeconds = SEGMENT_SECONDS,
  ) {}

  /** Starts a run and says where ffmpeg's segment muxer writes it. */
  beginRun(): SegmentOutput {
    const id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const dir = this.store.incomingDir(this.cameraId);
    mkdirSync(dir, { recursive: true });
    this.run = { id, epochMs: null, stepMs: 0, clockFileMs: null, listOffset: 0, lastEndMs: null };
    return { runId: id, listFile: join(dir, `r${id}.csv`), pattern: join(dir, `r${id}-%05d.ts`), seconds: this.segmentSeconds };
  }

  /**
   * The wall-clock time of stream second 0 as a frame's arrival tells it (arrival less stream time),
   * told for every frame from the first keyframe on. Until ffmpeg lists the run's first segment the
   * earliest wins: ffmpeg holds the first frames back while it probes, later ones arrive as sent.
   */
  setEpoch(epochMs: number): void {
    const run = this.run;
    if (!run || run.listOffset > 0 || (run.epochMs !== null && epochMs >= run.epochMs)) return;
    const first = run.epochMs === null;
    run.epochMs = epochMs;
    if (first) this.enqueue(() => this.writeClock(run));
  }

  /** Commits the segments ffmpeg has closed since the last call. */
  poll(): Promise<unknown> {
    const run = this.run;
    if (!run || run.epochMs === null) return this.work;
    return this.enqueue(async () => {
      const { segments, offset, listedAtMs } = await this.store.listedSince(this.cameraId, run.id, run.listOffset);
      const readAtMs = Date.now();
      run.listOffset = offset;
      for (const [i, seg] of segments.entries()) {
        let range = runRange(run.epochMs! + run.stepMs, seg, run.lastEndMs);
        // Only the list's last line has a known arrival (earlier ones were read late, in one batch).
        // The arrival is on the wall clock, so it is compared with the run's clock before any step.
        const offsetMs = i === segments.length - 1 && listedAtMs !== null ? clockOffset(range.endMs - run.stepMs, listedAtMs, readAtMs) : null;
        const drifted = offsetMs !== null && Math.abs(offsetMs) > MAX_CLOCK_OFFSET_MS;
        if (drifted) {
          run.epochMs! -= offsetMs;
          range = runRange(run.epochMs! + run.stepMs, seg, run.lastEndMs);
        }
        const row = await this.store.commit(this.cameraId, run.id, seg.file, range.startMs, range.endMs, false, offsetMs);
        // A segment moved after earlier footage (the wall clock stepped back) takes the run with it.
        run.stepMs += row.endMs - range.endMs;
        run.lastEndMs = row.endMs;
        if (drifted) {
          this.store.auditClockDrift(this.cameraId, { runId: run.id, path: row.path, offsetMs });
          this.clockDrift = { offsetMs, atMs: row.endMs };
        }
      }
      // Segments committed at the run's end (or after a crash) follow the corrected clock.
      if (run.epochMs! + run.stepMs !== run.clockFileMs) await this.writeClock(run);
    });
  }

  private async writeClock(run: Run): Promise<void> {
    const epochMs = run.epochMs! + run.stepMs;
    await this.store.writeRunClock(this.cameraId, run.id, epochMs);
    run.clockFileMs = epochMs;
  }

  /**
   * Run `runId`'s ffmpeg has exited: commit the rest and salvage the segment it was writing. A run
   * shut down for a restart may end after the next one began: that one records on.
   */
  endRun(runId: string): Promise<unknown> {
    if (this.run?.id === runId) this.run = null;
    return this.enqueue(() => this.store.completeRun(this.cameraId, runId));
  }

  private enqueue(task: () => Promise<unknown>): Promise<unknown> {
    this.work = this.work.then(task).catch(this.onError);
    return this.work;
  }
}
