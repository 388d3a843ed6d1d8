/**
 * Owns one CameraStream per watched camera: starts it with the first subscriber, stops it a grace
 * period after the last one leaves, restarts it when the camera is edited, kills it when removed.
 */
import type { StreamStatus } from '../../../shared/events.js';
import type { Logger } from '../logger.js';
import { CameraStream } from './camera-stream.js';
import type { StreamSource } from './ffmpeg-args.js';
import type { StreamSink } from './stream-fanout.js';
import type { SegmentRecorder } from '../recording/segment-recorder.js';

export interface StreamEngineOptions {
  ffmpegPath: string;
  logger: Logger;
  /** The camera's current source, or null when it no longer exists. */
  sourceFor: (cameraId: string) => StreamSource | null;
  onStatus: (status: StreamStatus) => void;
  graceMs?: number;
  stallMs?: number;
  backoff?: (failures: number) => number;
  /** The camera's recorder while its recording is on, else null: such a stream runs without viewers. */
  recorderFor?: (cameraId: string) => SegmentRecorder | null;
}

export class StreamEngine {
  private readonly streams = new Map<string, CameraStream>();
  private readonly stopTimers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly opts: StreamEngineOptions) {}

  /** Starts the camera's stream if needed; the returned function unsubscribes. */
  subscribe(cameraId: string, sink: StreamSink): () => void {
    if (this.closed) throw new Error('The stream engine is shut down.');
    const stream = this.streamFor(cameraId);
    this.cancelStop(cameraId);
    const unsubscribe = stream.subscribe(sink);
    stream.start();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      unsubscribe();
      if (stream.subscriberCount === 0 && this.streams.get(cameraId) === stream) this.scheduleStop(cameraId, stream);
    };
  }

  statuses(cameraIds: readonly string[]): StreamStatus[] {
    return cameraIds.map((id) => this.streams.get(id)?.status() ?? stoppedStatus(id));
  }

  /** Starts every camera that records; recording runs whether or not anyone watches. */
  startRecording(cameraIds: readonly string[]): void {
    for (const id of cameraIds) if (this.records(id)) this.streamFor(id).start();
  }

  async cameraChanged(cameraId: string): Promise<void> {
    const stream = this.streams.get(cameraId);
    if (stream && stream.subscriberCount === 0 && !this.records(cameraId)) await stream.stop();
    else await stream?.restart();
    this.startRecording([cameraId]);
  }

  private records(cameraId: string): boolean {
    return (this.opts.recorderFor?.(cameraId) ?? null) !== null;
  }

  async cameraRemoved(cameraId: string): Promise<void> {
    const stream = this.streams.get(cameraId);
    this.cancelStop(cameraId);
    this.streams.delete(cameraId);
    await stream?.end('The camera was removed.');
  }

  /** Stops every stream and waits until each ffmpeg has exited. */
  async close(): Promise<void> {
    this.closed = true;
    for (const id of this.stopTimers.keys()) this.cancelStop(id);
    const all = [...this.streams.values()];
    this.streams.clear();
    await Promise.all(all.map((s) => s.stop()));
  }

  private streamFor(cameraId: string): CameraStream {
    let stream = this.streams.get(cameraId);
    if (stream) return stream;
    const initial = this.opts.sourceFor(cameraId);
    if (!initial) throw new Error(`Unknown camera ${cameraId}.`);
    let last = initial;
    stream = new CameraStream({
      cameraId,
      // A camera removed mid-retry keeps its last source until cameraRemoved() stops it.
      source: () => (last = this.opts.sourceFor(cameraId) ?? last),
      ffmpegPath: this.opts.ffmpegPath,
      logger: this.opts.logger,
      onStatus: this.opts.onStatus,
      ...(this.opts.stallMs !== undefined ? { stallMs: this.opts.stallMs } : {}),
      ...(this.opts.backoff ? { backoff: this.opts.backoff } : {}),
      recorder: () => this.opts.recorderFor?.(cameraId) ?? null,
    });
    this.streams.set(cameraId, stream);
    return stream;
  }

  private scheduleStop(cameraId: string, stream: CameraStream): void {
    this.cancelStop(cameraId);
    this.stopTimers.set(
      cameraId,
      setTimeout(() => {
        this.stopTimers.delete(cameraId);
        if (stream.subscriberCount === 0 && !this.records(cameraId)) void stream.stop();
      }, this.opts.graceMs ?? 10_000),
    );
  }

  private cancelStop(cameraId: string): void {
    const timer = this.stopTimers.get(cameraId);
    if (timer) clearTimeout(timer);
    this.stopTimers.delete(cameraId);
  }
}

function stoppedStatus(cameraId: string): StreamStatus {
  return { cameraId, state: 'stopped', path: 'copy', health: { fps: 0, kbps: 0, lastFrameAt: null, restarts: 0, subscribers: 0 } };
}
