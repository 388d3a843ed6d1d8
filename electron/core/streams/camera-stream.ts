/**
 * Supervises one camera's ffmpeg: start, watch, classify failures, reconnect with backoff, fan out.
 * Any exit, whatever its code, and any stall counts as a failure and is retried.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { RecordingStatus, StreamPath, StreamState, StreamStatus, StreamVariant } from '../../../shared/events.js';
import type { Logger } from '../logger.js';
import { spawnSupervised, terminate } from './child-processes.js';
import { ffmpegCommand, type StreamSource } from './ffmpeg-args.js';
import { classifyFailure, isDiskFull, parseInputVideoCodec } from './ffmpeg-stderr.js';
import { Fmp4Segmenter, type MediaFragment } from './fmp4-segmenter.js';
import { Mp4BoxReader } from './mp4-box-reader.js';
import { backoffDelay } from './reconnect-backoff.js';
import { StreamFanout, type StreamSink } from './stream-fanout.js';
import { HealthMeter } from './health-meter.js';
import type { SegmentRecorder } from '../recording/segment-recorder.js';

export interface CameraStreamOptions {
  cameraId: string;
  stream: StreamVariant;
  /** Read at every (re)start so an edited URL takes effect. */
  source: () => StreamSource;
  ffmpegPath: string;
  logger: Logger;
  onStatus: (status: StreamStatus) => void;
  /** No bytes from ffmpeg for this long counts as a failure. */
  stallMs?: number;
  backoff?: (failures: number) => number;
  backlogCap?: number;
  /** Records the camera's native bytes alongside the live relay; read at every (re)start. */
  recorder?: () => SegmentRecorder | null;
}

/** After a full disk, recording is retried this often (retention may have freed space meanwhile). */
const DISK_FULL_RETRY_MS = 30_000;

/** Only H.264 is decodable by MSE in every Chromium build; everything else is re-encoded. */
const BROWSER_CODECS = new Set(['h264']);
const STDERR_TAIL = 40;
/** Live this long before the failure count resets, so a flapping camera still backs off. */
const STABLE_MS = 10_000;

export class CameraStream {
  private readonly fanout: StreamFanout;
  private readonly health = new HealthMeter();
  private child: ChildProcessWithoutNullStreams | null = null;
  private running = false;
  private state: StreamState = 'stopped';
  private reason: string | undefined;
  private path: StreamPath = 'copy';
  private sourceCodec: string | undefined;
  private codec: string | undefined;
  private failures = 0;
  private restarts = 0;
  private everLive = false;
  private liveSince = 0;
  private nextRetryAt: number | undefined;
  private retryTimer: NodeJS.Timeout | null = null;
  private stallTimer: NodeJS.Timeout | null = null;
  private lastDataAt = 0;
  private needsFullProbe = false;
  private healthTimer: NodeJS.Timeout | null = null;
  private recording: RecordingStatus = { state: 'off' };
  private recordingBlockedUntil = 0;
  private recorder: SegmentRecorder | null = null;
  private recordingRetryTimer: NodeJS.Timeout | null = null;
  /** The running ffmpeg is being replaced on purpose (codec fallback, recording retry): not a failure. */
  private plannedRestart = false;

  constructor(private readonly opts: CameraStreamOptions) {
    this.fanout = new StreamFanout(opts.backlogCap);
  }

  get subscriberCount(): number {
    return this.fanout.size;
  }

  subscribe(sink: StreamSink): () => void {
    const unsubscribe = this.fanout.subscribe(sink);
    this.emit();
    return () => {
      unsubscribe();
      this.emit();
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    this.everLive = false;
    this.setState('connecting', undefined);
    this.spawnRun();
    this.healthTimer = setInterval(() => {
      void this.recorder?.poll();
      if (this.state === 'live') this.emit();
    }, 1_000);
  }

  /** Kills ffmpeg and waits for it; the stream reads `stopped` afterwards. */
  async stop(): Promise<void> {
    this.running = false;
    this.clearTimers();
    const child = this.child;
    this.child = null;
    this.fanout.reset();
    if (child) await terminate(child);
    await this.recorder?.endRun();
    this.recorder = null;
    this.recording = { state: 'off' };
    this.setState('stopped', undefined);
  }

  /** Stops for good and tells every subscriber why (the camera was removed). */
  async end(reason: string): Promise<void> {
    await this.stop();
    this.fanout.endAll(reason);
  }

  /** Restart now with the current source (after the camera was edited). */
  async restart(): Promise<void> {
    if (!this.running) return;
    await this.stop();
    this.path = 'copy';
    this.start();
  }

  status(): StreamStatus {
    const status: StreamStatus = {
      cameraId: this.opts.cameraId,
      stream: this.opts.stream,
      state: this.state,
      path: this.path,
      // A stream that is not live has no rate, whatever the meter still holds from before it dropped.
      health: { ...this.health.snapshot(this.state === 'live'), restarts: this.restarts, subscribers: this.fanout.size },
    };
    if (this.reason) status.reason = this.reason;
    if (this.sourceCodec) status.sourceCodec = this.sourceCodec;
    if (this.codec) status.codec = this.codec;
    if (this.nextRetryAt && this.state !== 'live') status.nextRetryAt = this.nextRetryAt;
    const clockDrift = this.recorder?.clockDrift;
    status.recording = clockDrift ? { ...this.recording, clockDrift } : this.recording;
    return status;
  }

  private spawnRun(): void {
    const source = this.opts.source();
    if (source.kind === 'unusable') return this.setState('unauthorized', source.reason);
    let producedInit = false;
    let epochSet = false;
    let timescale = 90_000;
    const wanted = this.opts.recorder?.() ?? null;
    const recorder = wanted && Date.now() >= this.recordingBlockedUntil ? wanted : null;
    this.recorder = recorder;
    const { args, input } = ffmpegCommand(source, this.path, { quickProbe: !this.needsFullProbe, record: recorder?.beginRun() ?? null });
    if (!wanted) this.recording = { state: 'off' };
    const child = spawnSupervised(this.opts.ffmpegPath, args, input);
    this.child = child;
    const reader = new Mp4BoxReader();
    const segmenter = new Fmp4Segmenter();
    const stderrTail: string[] = [];
    let stderrRest = '';

    this.opts.logger.log('info', 'stream.spawn', { cameraId: this.opts.cameraId, path: this.path, pid: child.pid });
    this.watchForStall(child);

    child.stdout.on('data', (chunk: Buffer) => {
      if (this.child !== child) return;
      this.lastDataAt = Date.now();
      try {
        for (const box of reader.push(chunk)) {
          const out = segmenter.push(box);
          if (out?.kind === 'init') {
            producedInit = true;
            timescale = out.init.timescale;
            this.onInit(out.init.codec, out.init.bytes, child);
          }
          else if (out?.kind === 'fragment') {
            if (recorder && (epochSet || out.fragment.keyframe)) {
              // Both outputs share ffmpeg's timeline: stream second 0 was this long before this frame.
              recorder.setEpoch(Date.now() - (out.fragment.decodeTime / timescale) * 1000);
              if (!epochSet) this.setRecording({ state: 'recording' });
              epochSet = true;
            }
            this.onFragment(out.fragment);
          }
        }
      } catch (error) {
        this.opts.logger.log('error', 'stream.corrupt', { cameraId: this.opts.cameraId, error: String(error) });
        child.kill('SIGKILL');
      }
    });

    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      const lines = (stderrRest + text).split(/\r?\n|\r/);
      stderrRest = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        stderrTail.push(line);
        if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
        const codec = source.kind === 'rtsp' ? parseInputVideoCodec(line) : null;
        if (codec && this.child === child && !this.sourceCodec) {
          this.sourceCodec = codec;
          if (!BROWSER_CODECS.has(codec) && this.path === 'copy') {
            this.plannedRestart = true;
            this.path = 'transcode';
            this.opts.logger.log('info', 'stream.transcode', { cameraId: this.opts.cameraId, sourceCodec: codec });
            child.kill('SIGKILL');
          }
        }
      }
    });

    child.once('error', (error) => {
      stderrTail.push(String(error));
    });
    child.once('exit', (code, signal) => {
      if (stderrRest.trim()) stderrTail.push(stderrRest);
      if (this.child !== child) return;
      this.child = null;
      this.clearStallTimer();
      this.fanout.reset();
      this.codec = undefined;
      if (recorder) void recorder.endRun();
      if (recorder && isDiskFull(stderrTail)) {
        // Live view goes on without recording; nothing already recorded is touched.
        this.recordingBlockedUntil = Date.now() + DISK_FULL_RETRY_MS;
        this.setRecording({ state: 'error', reason: 'The recording disk is full; recording pauses and retries every 30 s. Live view continues.' });
        this.opts.logger.log('error', 'recording.disk-full', { cameraId: this.opts.cameraId });
        this.recordingRetryTimer = setTimeout(() => this.restartOnPurpose(), DISK_FULL_RETRY_MS);
        if (this.running) this.spawnRun();
        return;
      }
      if (!this.running) return;
      if (this.plannedRestart) {
        this.plannedRestart = false;
        this.spawnRun();
        return;
      }
      // A camera whose parameters a short probe misses gets ffmpeg's full probe from now on.
      if (!producedInit) this.needsFullProbe = true;
      this.onRunFailed(code, signal, stderrTail);
    });
  }

  private onInit(codec: string | null, bytes: Buffer, child: ChildProcessWithoutNullStreams): void {
    if (!codec) {
      // Output is always H.264; anything else here means ffmpeg produced something unplayable.
      this.opts.logger.log('error', 'stream.init.unplayable', { cameraId: this.opts.cameraId });
      child.kill('SIGKILL');
      return;
    }
    this.codec = codec;
    this.fanout.setInit(codec, this.path, bytes);
  }

  private onFragment(fragment: MediaFragment): void {
    const now = Date.now();
    this.health.record(now, fragment.bytes.length, fragment.sampleCount);
    if (this.state !== 'live') {
      this.everLive = true;
      this.liveSince = now;
      this.nextRetryAt = undefined;
      this.setState('live', undefined);
    } else if (this.failures > 0 && now - this.liveSince > STABLE_MS) {
      this.failures = 0;
    }
    this.fanout.push(fragment);
  }

  private onRunFailed(code: number | null, signal: NodeJS.Signals | null, stderrTail: string[]): void {
    const failure = classifyFailure(stderrTail);
    this.failures++;
    this.restarts++;
    const delay = (this.opts.backoff ?? backoffDelay)(this.failures);
    this.nextRetryAt = Date.now() + delay;
    const state: StreamState =
      failure.kind === 'dropped' || (failure.kind === 'unreachable' && this.everLive) ? 'reconnecting' : failure.kind;
    this.opts.logger.log('warn', 'stream.failed', {
      cameraId: this.opts.cameraId,
      code,
      signal,
      state,
      reason: failure.reason,
      retryInMs: delay,
      stderr: stderrTail.slice(-5),
    });
    this.sourceCodec = undefined;
    this.setState(state, failure.reason);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.running) this.spawnRun();
    }, delay);
  }

  /** Checks once a second rather than re-arming a timer per chunk: the data path stays cheap. */
  private watchForStall(child: ChildProcessWithoutNullStreams): void {
    this.clearStallTimer();
    this.lastDataAt = Date.now();
    const stallMs = this.opts.stallMs ?? 10_000;
    this.stallTimer = setInterval(() => {
      if (this.child !== child || Date.now() - this.lastDataAt < stallMs) return;
      this.opts.logger.log('warn', 'stream.stalled', { cameraId: this.opts.cameraId, stallMs });
      this.clearStallTimer();
      child.kill('SIGKILL');
    }, Math.min(1_000, stallMs / 4));
  }

  private clearStallTimer(): void {
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.stallTimer = null;
  }

  private clearTimers(): void {
    this.clearStallTimer();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.healthTimer) clearInterval(this.healthTimer);
    if (this.recordingRetryTimer) clearTimeout(this.recordingRetryTimer);
    this.retryTimer = null;
    this.healthTimer = null;
    this.recordingRetryTimer = null;
  }

  /** Replaces the running ffmpeg (letting it close its files) without counting a failure. */
  private restartOnPurpose(): void {
    this.recordingRetryTimer = null;
    if (!this.running || !this.child) return;
    this.plannedRestart = true;
    void terminate(this.child);
  }

  private setRecording(recording: RecordingStatus): void {
    this.recording = recording;
    this.emit();
  }

  private setState(state: StreamState, reason: string | undefined): void {
    if (this.state === state && this.reason === reason) return;
    this.state = state;
    this.reason = reason;
    this.emit();
  }

  private emit(): void {
    this.opts.onStatus(this.status());
  }
}
