/**
 * Owns one CameraStream per watched camera stream (main, and the sub-stream where a camera has one),
 * which starts with its first subscriber and stops a grace period after the last one leaves; restarts
 * it when the camera is edited, kills it when removed. However many tiles and windows show a stream,
 * it has one ffmpeg and one RTSP session. Only the main stream records.
 */
import { STREAM_VARIANTS, streamKey, type StreamStatus, type StreamVariant } from '../../../shared/events.js';
import type { Logger } from '../logger.js';
import { CameraStream } from './camera-stream.js';
import type { StreamSource } from './ffmpeg-args.js';
import type { StreamSink } from './stream-fanout.js';
import type { SegmentRecorder } from '../recording/segment-recorder.js';

export interface StreamEngineOptions {
  ffmpegPath: string;
  logger: Logger;
  /** The source of one of the camera's streams, or null when the camera (or that stream) no longer exists. */
  sourceFor: (cameraId: string, stream: StreamVariant) => StreamSource | null;
  onStatus: (status: StreamStatus) => void;
  graceMs?: number;
  stallMs?: number;
  backoff?: (failures: number) => number;
  /** The camera's recorder while its recording is on, else null: such a stream runs without viewers. */
  recorderFor?: (cameraId: string) => SegmentRecorder | null;
}


export class StreamEngine {
  private readonly streams = new Map<string, CameraStream>();
  private closed = false;

  constructor(private readonly opts: StreamEngineOptions) {}

  /**
   * Starts the stream if needed; the returned function unsubscribes. A sub-stream asked of a camera
   * that has none is its main stream.
   */
  subscribe(cameraId: string, sink: StreamSink, asked: StreamVariant = 'main'): () => void {
    if (this.closed) throw new Error('The stream engine is shut down.');
    const variant = asked === 'sub' && this.opts.sourceFor(cameraId, 'sub') ? 'sub' : 'main';
    const unsubscribe = this.streamFor(cameraId, variant).subscribe(sink);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      unsubscribe();
    };
  }

  /** Each camera's main stream, and its sub-stream while one runs. */
  statuses(cameraIds: readonly string[]): StreamStatus[] {
    return cameraIds.flatMap((id) => {
      const sub = this.streams.get(streamKey(id, 'sub'));
      return [this.streams.get(streamKey(id, 'main'))?.status() ?? stoppedStatus(id), ...(sub ? [sub.status()] : [])];
    });
  }

  /** Starts every camera that records; recording runs whether or not anyone watches. */
  startRecording(cameraIds: readonly string[]): void {
    for (const id of cameraIds) if (this.records(id)) this.streamFor(id, 'main').start();
  }

  async cameraChanged(cameraId: string): Promise<void> {
    for (const variant of STREAM_VARIANTS) {
      const key = streamKey(cameraId, variant);
      const stream = this.streams.get(key);
      if (!stream) continue;
      if (variant === 'sub' && !this.opts.sourceFor(cameraId, 'sub')) {
        // The sub-stream address was removed: its viewers reconnect and get the main stream.
        this.streams.delete(key);
        await stream.end('The camera no longer has a sub-stream.');
      } else if (stream.subscriberCount === 0 && !(variant === 'main' && this.records(cameraId))) await stream.stop();
      else await stream.restart();
    }
    this.startRecording([cameraId]);
  }

  private records(cameraId: string): boolean {
    return (this.opts.recorderFor?.(cameraId) ?? null) !== null;
  }

  async cameraRemoved(cameraId: string, reason = 'The camera was removed.'): Promise<void> {
    await Promise.all(
      STREAM_VARIANTS.map(async (variant) => {
        const key = streamKey(cameraId, variant);
        const stream = this.streams.get(key);
        this.streams.delete(key);
        await stream?.end(reason);
      }),
    );
  }

  /** Stops every stream and waits until each ffmpeg has exited. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.streams.values()];
    this.streams.clear();
    await Promise.all(all.map((s) => s.stop()));
  }

  private streamFor(cameraId: string, variant: StreamVariant): CameraStream {
    const key = streamKey(cameraId, variant);
    let stream = this.streams.get(key);
    if (stream) return stream;
    const initial = this.opts.sourceFor(cameraId, variant);
    if (!initial) throw new Error(`Unknown camera ${cameraId}.`);
    let last = initial;
    stream = new CameraStream({
      cameraId,
      stream: variant,
      // A camera removed mid-retry keeps its last source until cameraRemoved() stops it.
      source: () => (last = this.opts.sourceFor(cameraId, variant) ?? last),
      ffmpegPath: this.opts.ffmpegPath,
      logger: this.opts.logger,
      onStatus: this.opts.onStatus,
      ...(this.opts.stallMs !== undefined ? { stallMs: this.opts.stallMs } : {}),
      ...(this.opts.backoff ? { backoff: this.opts.backoff } : {}),
      ...(this.opts.graceMs !== undefined ? { graceMs: this.opts.graceMs } : {}),
      recorder: () => (variant === 'main' ? (this.opts.recorderFor?.(cameraId) ?? null) : null),
    });
    this.streams.set(key, stream);
    return stream;
  }
}

function stoppedStatus(cameraId: string): StreamStatus {
  return { cameraId, stream: 'main', state: 'stopped', path: 'copy', health: { fps: 0, kbps: 0, lastFrameAt: null, restarts: 0, subscribers: 0 } };
}
