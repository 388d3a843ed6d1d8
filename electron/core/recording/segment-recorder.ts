/**
 * One camera's recording, run by run: each ffmpeg run gets a second output (the segment muxer, the
 * camera's own bytes, `-c copy`, MPEG-TS so a killed process leaves a readable file). While the run
 * lasts, closed segments are committed as ffmpeg lists them; when it ends, whatever is left is
 * committed or salvaged by the store.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordingStore } from './recording-store.js';
import type { SegmentOutput } from '../streams/ffmpeg-args.js';

export const SEGMENT_SECONDS = 4;

export class SegmentRecorder {
  /** listOffset: how far ffmpeg's segment list has been read. */
  private run: { id: string; epochMs: number | null; listOffset: number } | null = null;
  private work: Promise<unknown> = Promise.resolve();

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
    this.run = { id, epochMs: null, listOffset: 0 };
    return { listFile: join(dir, `r${id}.csv`), pattern: join(dir, `r${id}-%05d.ts`), seconds: this.segmentSeconds };
  }

  /** The wall-clock time of stream second 0, known once the first frame arrives. */
  setEpoch(epochMs: number): void {
    const run = this.run;
    if (!run || run.epochMs !== null) return;
    run.epochMs = epochMs;
    this.enqueue(() => this.store.writeRunClock(this.cameraId, run.id, epochMs));
  }

  /** Commits the segments ffmpeg has closed since the last call. */
  poll(): Promise<unknown> {
    const run = this.run;
    if (!run || run.epochMs === null) return this.work;
    const epochMs = run.epochMs;
    return this.enqueue(async () => {
      const { segments, offset } = await this.store.listedSince(this.cameraId, run.id, run.listOffset);
      run.listOffset = offset;
      for (const seg of segments) {
        await this.store.commit(this.cameraId, run.id, seg.file, Math.round(epochMs + seg.start * 1000), Math.round(epochMs + seg.end * 1000), false);
      }
    });
  }

  /** The run's ffmpeg has exited: commit the rest and salvage the segment it was writing. */
  endRun(): Promise<unknown> {
    const run = this.run;
    this.run = null;
    if (!run) return this.work;
    return this.enqueue(() => this.store.completeRun(this.cameraId, run.id));
  }

  private enqueue(task: () => Promise<unknown>): Promise<unknown> {
    this.work = this.work.then(task).catch(this.onError);
    return this.work;
  }
}
