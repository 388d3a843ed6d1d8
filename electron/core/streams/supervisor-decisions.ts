/**
 * What a camera stream's supervisor does next, as a pure function of what happened and when: start
 * ffmpeg, restart it after a growing backoff, fall back from copy to transcode, pause recording on a
 * full disk, stop a grace period after the last viewer leaves. No ffmpeg, no timers, no clock of its
 * own: camera-stream.ts reports events and carries out the actions, the unit tests feed a fake clock.
 * Any exit, whatever its code, and any stall counts as a failure and is retried.
 */
import type { RecordingStatus, StreamPath, StreamState } from '../../../shared/events.js';
import type { LogLevel } from '../logger.js';
import { classifyFailure, isDiskFull, type Failure } from './ffmpeg-stderr.js';

/** retry: the next start after a failure. recording-retry: try recording again after a full disk. */
export type TimerName = 'retry' | 'recording-retry' | 'grace';
const TIMERS: readonly TimerName[] = ['retry', 'recording-retry', 'grace'];

export interface SupervisorSettings {
  /** Wait before the next start after `failures` failures in a row. */
  backoff: (failures: number) => number;
  /** A stream nobody watches and nothing records stops this long after its last viewer left. */
  graceMs: number;
}

/** Only H.264 is decodable by MSE in every Chromium build; everything else is re-encoded. */
const BROWSER_CODECS = new Set(['h264']);
/** Live this long before the failure count resets, so a flapping camera still backs off. */
export const STABLE_MS = 10_000;
/** After a full disk, recording is retried this often (retention may have freed space meanwhile). */
export const DISK_FULL_RETRY_MS = 30_000;
const DISK_FULL = 'The recording disk is full; recording pauses and retries every 30 s. Live view continues.';

export interface SupervisorState {
  readonly settings: SupervisorSettings;
  running: boolean;
  /** An ffmpeg of ours is running: its exit is still to come. */
  child: boolean;
  subscribers: number;
  state: StreamState;
  reason: string | undefined;
  path: StreamPath;
  sourceCodec: string | undefined;
  /** Failures in a row, for the backoff; restarts, ever, for the status. */
  failures: number;
  restarts: number;
  everLive: boolean;
  liveSince: number;
  nextRetryAt: number | undefined;
  /** Cleared for good once a run failed before its first output: that camera gets ffmpeg's full probe. */
  quickProbe: boolean;
  recording: RecordingStatus;
  recordingBlockedUntil: number;
  /** The running ffmpeg is being replaced on purpose (codec fallback, recording retry): not a failure. */
  plannedRestart: boolean;
}

export type SupervisorEvent =
  /** Something wants the stream running (recording, or a restart after an edit). */
  | { type: 'start' }
  | { type: 'subscribed'; subscribers: number }
  /** `records`: the camera records, so its stream runs on without viewers. */
  | { type: 'unsubscribed'; subscribers: number; records: boolean }
  /** ffmpeg was spawned; `recordingWanted`: the camera records (whether or not this run may). */
  | { type: 'child-started'; recordingWanted: boolean }
  /** ffmpeg's stderr named the camera's video codec. */
  | { type: 'source-codec'; codec: string }
  | { type: 'fragment' }
  /** The recording has its first keyframe. */
  | { type: 'recording-started' }
  /** No bytes for the stall time, or output that cannot be played: the run is killed as a failure. */
  | { type: 'stalled'; stallMs: number }
  | { type: 'output-broken' }
  /** `recorded`: this run also wrote the recording. */
  /** `failure`: why, when the upstream knew it better than its stderr can tell (a recorder's relay). */
  | { type: 'child-exited'; code: number | null; signal: string | null; stderr: readonly string[]; failure?: Failure; producedInit: boolean; recorded: boolean }
  | { type: 'timer-fired'; timer: TimerName }
  /** The camera's address changed: probe its codec afresh, starting from copy. */
  | { type: 'source-changed' }
  /** What ffmpeg would open cannot be built (its stored password cannot be read): nothing runs until the camera is edited. */
  | { type: 'source-unusable'; reason: string }
  | { type: 'stop' }
  /** The stopped ffmpeg has exited and its recording run is closed. */
  | { type: 'stopped' };

export type SupervisorAction =
  | { type: 'start-child'; path: StreamPath; quickProbe: boolean; mayRecord: boolean }
  /** Kill the running ffmpeg (now, or SIGTERM first so it closes its files); its exit comes back as an event. */
  | { type: 'kill-child'; gently: boolean }
  /** Let go of the running ffmpeg, terminate it, close its recording run, then report `stopped`. */
  | { type: 'shut-down' }
  | { type: 'set-timer'; timer: TimerName; ms: number }
  | { type: 'cancel-timer'; timer: TimerName }
  | { type: 'publish-status' }
  | { type: 'log'; level: LogLevel; msg: string; fields?: Record<string, unknown> };

export interface Decision {
  state: SupervisorState;
  actions: SupervisorAction[];
}

export function initialState(settings: SupervisorSettings): SupervisorState {
  return {
    settings,
    running: false,
    child: false,
    subscribers: 0,
    state: 'stopped',
    reason: undefined,
    path: 'copy',
    sourceCodec: undefined,
    failures: 0,
    restarts: 0,
    everLive: false,
    liveSince: 0,
    nextRetryAt: undefined,
    quickProbe: true,
    recording: { state: 'off' },
    recordingBlockedUntil: 0,
    plannedRestart: false,
  };
}

const PUBLISH: SupervisorAction = { type: 'publish-status' };

export function decide(state: SupervisorState, event: SupervisorEvent, nowMs: number): Decision {
  switch (event.type) {
    case 'start':
      return start(state, nowMs);
    case 'subscribed': {
      const next = start({ ...state, subscribers: event.subscribers }, nowMs);
      return { state: next.state, actions: [...next.actions, PUBLISH] };
    }
    case 'unsubscribed': {
      const next = { ...state, subscribers: event.subscribers };
      if (!state.running || event.subscribers > 0) return { state: next, actions: [PUBLISH] };
      const grace: SupervisorAction = event.records ? { type: 'cancel-timer', timer: 'grace' } : { type: 'set-timer', timer: 'grace', ms: state.settings.graceMs };
      return { state: next, actions: [PUBLISH, grace] };
    }
    case 'child-started':
      return { state: event.recordingWanted ? state : { ...state, recording: { state: 'off' } }, actions: [] };
    case 'source-codec':
      return sourceCodec(state, event.codec);
    case 'fragment':
      return fragment(state, nowMs);
    case 'recording-started':
      return { state: { ...state, recording: { state: 'recording' } }, actions: [PUBLISH] };
    case 'stalled':
      if (!state.child) return { state, actions: [] };
      return { state, actions: [{ type: 'log', level: 'warn', msg: 'stream.stalled', fields: { stallMs: event.stallMs } }, { type: 'kill-child', gently: false }] };
    case 'output-broken':
      return { state, actions: state.child ? [{ type: 'kill-child', gently: false }] : [] };
    case 'child-exited':
      return childExited({ ...state, child: false }, event, nowMs);
    case 'timer-fired':
      return timerFired(state, event.timer, nowMs);
    case 'source-changed':
      return { state: { ...state, path: 'copy', sourceCodec: undefined }, actions: [] };
    case 'source-unusable':
      return withState({ ...state, child: false }, 'unauthorized', event.reason, []);
    case 'stop':
      return stop(state);
    case 'stopped':
      if (state.running) return { state, actions: [] }; // started again while the old ffmpeg was exiting
      return withState({ ...state, recording: { state: 'off' } }, 'stopped', undefined, []);
  }
}

function start(state: SupervisorState, nowMs: number): Decision {
  // Whoever starts a stream wants it running: a stop pending since the last viewer left is off.
  const cancelGrace: SupervisorAction = { type: 'cancel-timer', timer: 'grace' };
  if (state.running) return { state, actions: [cancelGrace] };
  const running = { ...state, running: true, failures: 0, everLive: false };
  const spawn = startChild(running, nowMs);
  return withState(spawn.state, 'connecting', undefined, [cancelGrace, ...spawn.actions]);
}

function startChild(state: SupervisorState, nowMs: number): Decision {
  const action: SupervisorAction = { type: 'start-child', path: state.path, quickProbe: state.quickProbe, mayRecord: nowMs >= state.recordingBlockedUntil };
  return { state: { ...state, child: true }, actions: [action] };
}

function sourceCodec(state: SupervisorState, codec: string): Decision {
  if (!state.child || state.sourceCodec) return { state, actions: [] };
  const next = { ...state, sourceCodec: codec };
  // Falls back once: a transcoding run never falls back again.
  if (BROWSER_CODECS.has(codec) || state.path !== 'copy') return { state: next, actions: [] };
  return {
    state: { ...next, path: 'transcode', plannedRestart: true },
    actions: [{ type: 'log', level: 'info', msg: 'stream.transcode', fields: { sourceCodec: codec } }, { type: 'kill-child', gently: false }],
  };
}

/**
 * Whether a fragment now would change anything: the first one of a run makes the stream live, and one
 * after STABLE_MS live clears the failure count. Every other fragment leaves the state as it is, so the
 * stream reports fragments only when this says so (it is asked for every frame of every camera).
 */
export function fragmentMatters(state: SupervisorState, nowMs: number): boolean {
  return state.state !== 'live' || (state.failures > 0 && nowMs - state.liveSince > STABLE_MS);
}

function fragment(state: SupervisorState, nowMs: number): Decision {
  if (state.state !== 'live') return withState({ ...state, everLive: true, liveSince: nowMs, nextRetryAt: undefined }, 'live', undefined, []);
  if (fragmentMatters(state, nowMs)) return { state: { ...state, failures: 0 }, actions: [] };
  return { state, actions: [] };
}

function childExited(state: SupervisorState, exit: Extract<SupervisorEvent, { type: 'child-exited' }>, nowMs: number): Decision {
  if (exit.recorded && isDiskFull(exit.stderr)) {
    // Live view goes on without recording at once (not a failure); nothing already recorded is touched.
    const blocked: SupervisorState = { ...state, plannedRestart: false, recordingBlockedUntil: nowMs + DISK_FULL_RETRY_MS, recording: { state: 'error', reason: DISK_FULL } };
    const actions: SupervisorAction[] = [PUBLISH, { type: 'log', level: 'error', msg: 'recording.disk-full' }, { type: 'set-timer', timer: 'recording-retry', ms: DISK_FULL_RETRY_MS }];
    if (!state.running) return { state: blocked, actions };
    const spawn = startChild(blocked, nowMs);
    return { state: spawn.state, actions: [...actions, ...spawn.actions] };
  }
  if (!state.running) return { state, actions: [] };
  if (state.plannedRestart) return startChild({ ...state, plannedRestart: false }, nowMs);

  const failure = exit.failure ?? classifyFailure(exit.stderr);
  const failures = state.failures + 1;
  const delay = state.settings.backoff(failures);
  const shown: StreamState = failure.kind === 'dropped' || (failure.kind === 'unreachable' && state.everLive) ? 'reconnecting' : failure.kind;
  const failed: SupervisorState = {
    ...state,
    failures,
    restarts: state.restarts + 1,
    nextRetryAt: nowMs + delay,
    sourceCodec: undefined,
    // A camera whose parameters a short probe misses gets ffmpeg's full probe from now on.
    quickProbe: state.quickProbe && exit.producedInit,
  };
  const log: SupervisorAction = {
    type: 'log',
    level: 'warn',
    msg: 'stream.failed',
    fields: { code: exit.code, signal: exit.signal, state: shown, reason: failure.reason, retryInMs: delay, stderr: exit.stderr.slice(-5) },
  };
  return withState(failed, shown, failure.reason, [log, { type: 'set-timer', timer: 'retry', ms: delay }]);
}

function timerFired(state: SupervisorState, timer: TimerName, nowMs: number): Decision {
  switch (timer) {
    case 'retry':
      return state.running && !state.child ? startChild(state, nowMs) : { state, actions: [] };
    case 'recording-retry':
      // Replaces the running ffmpeg, letting it close its files; a stream waiting to retry picks recording up by itself.
      if (!state.running || !state.child) return { state, actions: [] };
      return { state: { ...state, plannedRestart: true }, actions: [{ type: 'kill-child', gently: true }] };
    case 'grace':
      return state.subscribers === 0 ? stop(state) : { state, actions: [] };
  }
}

/** The stream reads `stopped` once the ffmpeg has exited (the `stopped` event). */
function stop(state: SupervisorState): Decision {
  const cancel = TIMERS.map((timer): SupervisorAction => ({ type: 'cancel-timer', timer }));
  return { state: { ...state, running: false, child: false, plannedRestart: false, nextRetryAt: undefined }, actions: [...cancel, { type: 'shut-down' }] };
}

/** Sets the shown state, publishing only when it changed. */
function withState(state: SupervisorState, shown: StreamState, reason: string | undefined, actions: SupervisorAction[]): Decision {
  if (state.state === shown && state.reason === reason) return { state, actions };
  return { state: { ...state, state: shown, reason }, actions: [...actions, PUBLISH] };
}
