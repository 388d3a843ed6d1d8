/**
 * Runs one camera stream's ffmpeg the way supervisor-decisions.ts decides: it reports what happens
 * (subscribers, output, the codec on stderr, stalls, exits, timers) as events and carries out the
 * actions that come back. Fans the output out to viewers and feeds the recorder.
 */
import type { StreamStatus, StreamVariant } from '../../../shared/events.js';
import { backoffDelay } from '../../../shared/backoff.js';
import { DisposableMap, DisposableStore, interval, timeout } from '../disposables.js';
import type { Logger } from '../logger.js';
import type { StreamSource } from './ffmpeg-args.js';
import { startFfmpeg, startRelay, type Upstream, type UpstreamEvents } from './stream-upstreams.js';
import { Fmp4Segmenter, type MediaFragment } from './fmp4-segmenter.js';
import { StreamFanout, type StreamSink } from './stream-fanout.js';
import { HealthMeter } from './health-meter.js';
import { decide, fragmentMatters, initialState, type SupervisorAction, type SupervisorEvent, type SupervisorState, type TimerName } from './supervisor-decisions.js';
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
  /** Stop this long after the last viewer left, unless the stream records. */
  graceMs?: number;
  backlogCap?: number;
  /** Records the camera's native bytes alongside the live relay; read at every (re)start. */
  recorder?: () => SegmentRecorder | null;
}

/** One ffmpeg (or relay) and what lives as long as it does. */
interface Run {
  upstream: Upstream;
  recorder: SegmentRecorder | null;
  /** Its recording run, ended by id: the next run may have begun by when it is. */
  recordingRun: string | null;
  /** When ffmpeg's latest output arrived: the arrival time of every frame in it. */
  lastDataAt: number;
  /** Its stall watch and health tick. */
  resources: DisposableStore;
}

export class CameraStream {
  private readonly fanout: StreamFanout;
  private readonly health = new HealthMeter();
  private readonly timers = new DisposableMap<TimerName>();
  private supervisor: SupervisorState;
  private run: Run | null = null;
  /** The last run's recorder, whose clock drift the status reports. */
  private recorder: SegmentRecorder | null = null;
  private codec: string | undefined;
  /** Settles once every ffmpeg that was shut down has exited and its recording run is closed. */
  private stopping: Promise<void> = Promise.resolve();
  private readonly events: SupervisorEvent[] = [];
  private dispatching = false;

  constructor(private readonly opts: CameraStreamOptions) {
    this.fanout = new StreamFanout(opts.backlogCap);
    this.supervisor = initialState({ backoff: opts.backoff ?? backoffDelay, graceMs: opts.graceMs ?? 10_000 });
  }

  get subscriberCount(): number {
    return this.fanout.size;
  }

  /** Starts the stream if it is not running; the returned function unsubscribes. */
  subscribe(sink: StreamSink): () => void {
    const unsubscribe = this.fanout.subscribe(sink);
    this.dispatch({ type: 'subscribed', subscribers: this.fanout.size });
    return () => {
      unsubscribe();
      this.dispatch({ type: 'unsubscribed', subscribers: this.fanout.size, records: (this.opts.recorder?.() ?? null) !== null });
    };
  }

  start(): void {
    this.dispatch({ type: 'start' });
  }

  /** Kills ffmpeg and waits for it; the stream reads `stopped` afterwards. */
  async stop(): Promise<void> {
    this.dispatch({ type: 'stop' });
    await this.stopping;
  }

  /** Stops for good and tells every subscriber why (the camera was removed). */
  async end(reason: string): Promise<void> {
    await this.stop();
    this.fanout.endAll(reason);
  }

  /** Restart now with the current source (after the camera was edited). */
  async restart(): Promise<void> {
    if (!this.supervisor.running) return;
    await this.stop();
    this.dispatch({ type: 'source-changed' });
    this.start();
  }

  status(): StreamStatus {
    const s = this.supervisor;
    const status: StreamStatus = {
      cameraId: this.opts.cameraId,
      stream: this.opts.stream,
      state: s.state,
      path: s.path,
      // A stream that is not live has no rate, whatever the meter still holds from before it dropped.
      health: { ...this.health.snapshot(s.state === 'live'), restarts: s.restarts, subscribers: this.fanout.size },
    };
    if (s.reason) status.reason = s.reason;
    if (s.sourceCodec) status.sourceCodec = s.sourceCodec;
    if (this.codec) status.codec = this.codec;
    if (s.nextRetryAt && s.state !== 'live') status.nextRetryAt = s.nextRetryAt;
    const clockDrift = this.recorder?.clockDrift;
    status.recording = clockDrift ? { ...s.recording, clockDrift } : s.recording;
    return status;
  }

  /** Events raised while actions are carried out wait their turn, so each decision sees the state the last one left. */
  private dispatch(event: SupervisorEvent): void {
    this.events.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let next = this.events.shift(); next; next = this.events.shift()) {
        const { state, actions } = decide(this.supervisor, next, Date.now());
        this.supervisor = state;
        for (const action of actions) if (action.type !== 'publish-status') this.perform(action);
        if (actions.some((a) => a.type === 'publish-status')) this.opts.onStatus(this.status());
      }
    } finally {
      this.dispatching = false;
    }
  }

  private perform(action: Exclude<SupervisorAction, { type: 'publish-status' }>): void {
    switch (action.type) {
      case 'start-child':
        return this.spawnRun(action);
      case 'kill-child':
        if (action.gently) void this.run?.upstream.terminate();
        else this.run?.upstream.kill();
        return;
      case 'shut-down':
        return this.shutDown();
      case 'set-timer':
        return this.timers.set(action.timer, timeout(() => this.dispatch({ type: 'timer-fired', timer: action.timer }), action.ms));
      case 'cancel-timer':
        return this.timers.delete(action.timer);
      case 'log':
        return this.opts.logger.log(action.level, action.msg, { cameraId: this.opts.cameraId, ...action.fields });
    }
  }

  private spawnRun({ path, quickProbe, mayRecord }: Extract<SupervisorAction, { type: 'start-child' }>): void {
    const source = this.opts.source();
    if (source.kind === 'unusable') return this.dispatch({ type: 'source-unusable', reason: source.reason });
    if (source.kind === 'absent') {
      const failure = { kind: 'dropped' as const, reason: source.reason };
      return this.dispatch({ type: 'child-exited', code: null, signal: null, stderr: [source.reason], failure, producedInit: false, recorded: false });
    }
    let producedInit = false;
    let epochSet = false;
    let timescale = 90_000;
    // A relayed stream is recorded by the recorder it comes from, never again here.
    const wanted = source.kind === 'relay' ? null : (this.opts.recorder?.() ?? null);
    const recorder = wanted && mayRecord ? wanted : null;
    this.recorder = recorder;
    const segmenter = new Fmp4Segmenter({
      init: (init) => {
        producedInit = true;
        timescale = init.timescale;
        this.onInit(init.codec, init.bytes);
      },
      fragment: (fragment) => {
        if (recorder && (epochSet || fragment.keyframe)) {
          // Both outputs share ffmpeg's timeline: stream second 0 was this long before this frame.
          recorder.setEpoch(run.lastDataAt - (fragment.decodeTime / timescale) * 1000);
          if (!epochSet) this.dispatch({ type: 'recording-started' });
          epochSet = true;
        }
        this.onFragment(fragment, run.lastDataAt);
      },
    });
    const events: UpstreamEvents = {
      data: (chunk) => {
        if (this.run !== run) return;
        run.lastDataAt = Date.now();
        try {
          segmenter.push(chunk);
        } catch (error) {
          this.opts.logger.log('error', 'stream.corrupt', { cameraId: this.opts.cameraId, error: String(error) });
          this.dispatch({ type: 'output-broken' });
        }
      },
      codec: (codec) => {
        if (this.run === run) this.dispatch({ type: 'source-codec', codec });
      },
      ended: (exit) => {
        // A run that was shut down is waited for by stop(), not reported.
        if (this.run !== run) return;
        this.detach(run);
        if (recorder && output) void recorder.endRun(output.runId);
        this.dispatch({ type: 'child-exited', ...exit, producedInit, recorded: recorder !== null });
      },
    };
    // The upstream reports only from later turns of the event loop, by when `run` is set.
    const output = source.kind === 'relay' ? null : (recorder?.beginRun() ?? null);
    const upstream = source.kind === 'relay' ? startRelay(source, events) : startFfmpeg(this.opts.ffmpegPath, source, path, { quickProbe, record: output }, events);
    const run: Run = { upstream, recorder, recordingRun: output?.runId ?? null, lastDataAt: Date.now(), resources: new DisposableStore() };
    this.run = run;
    this.opts.logger.log('info', 'stream.spawn', { cameraId: this.opts.cameraId, path, ...run.upstream.label });
    this.dispatch({ type: 'child-started', recordingWanted: wanted !== null });
    this.watch(run);
  }

  /** Checks for a stall once a second rather than re-arming a timer per chunk: the data path stays cheap. */
  private watch(run: Run): void {
    const stallMs = this.opts.stallMs ?? 10_000;
    const stallWatch = run.resources.add(
      interval(() => {
        if (Date.now() - run.lastDataAt < stallMs) return;
        stallWatch.dispose();
        this.dispatch({ type: 'stalled', stallMs });
      }, Math.min(1_000, stallMs / 4)),
    );
    run.resources.add(
      interval(() => {
        void run.recorder?.poll();
        if (this.supervisor.state === 'live') this.opts.onStatus(this.status());
      }, 1_000),
    );
  }

  private onInit(codec: string | null, bytes: Buffer): void {
    if (!codec) {
      // Output is always H.264; anything else here means ffmpeg produced something unplayable.
      this.opts.logger.log('error', 'stream.init.unplayable', { cameraId: this.opts.cameraId });
      this.dispatch({ type: 'output-broken' });
      return;
    }
    this.codec = codec;
    this.fanout.setInit(codec, this.supervisor.path, bytes);
  }

  /** Runs for every frame: the supervisor hears of one only when it changes something (going live, settling). */
  private onFragment(fragment: MediaFragment, at: number): void {
    this.health.record(at, fragment.bytes.length, fragment.sampleCount);
    if (fragmentMatters(this.supervisor, at)) this.dispatch({ type: 'fragment' });
    this.fanout.push(fragment);
  }

  /** The run is over or being shut down: its media is stale for viewers. */
  private detach(run: Run): void {
    this.run = null;
    run.resources.dispose();
    this.fanout.reset();
    this.codec = undefined;
  }

  /** Lets go of the running ffmpeg and terminates it; `stopped` is reported once it has exited and its recording run closed. */
  private shutDown(): void {
    const run = this.run;
    if (run) this.detach(run);
    this.recorder = null;
    const before = this.stopping;
    this.stopping = (async () => {
      await before;
      if (run) await run.upstream.terminate();
      if (run?.recorder && run.recordingRun) await run.recorder.endRun(run.recordingRun);
      this.dispatch({ type: 'stopped' });
    })();
  }
}
