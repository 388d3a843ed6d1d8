/**
 * The stream supervisor's decisions on a fake clock, without ffmpeg: a simulated supervisor feeds
 * events to decide() and keeps the timers and the child its actions ask for.
 */
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../shared/backoff.js';
import {
  DISK_FULL_RETRY_MS,
  STABLE_MS,
  decide,
  fragmentMatters,
  initialState,
  type SupervisorAction,
  type SupervisorEvent,
  type SupervisorState,
  type TimerName,
} from '../../electron/core/streams/supervisor-decisions.js';

const GRACE_MS = 5_000;

/** A supervisor on a fake clock: pending timers fire as the clock advances past them. */
class Simulation {
  state: SupervisorState = initialState({ backoff: backoffDelay, graceMs: GRACE_MS });
  now = 1_000_000;
  readonly timers = new Map<TimerName, number>();
  /** Every action so far, in order. */
  readonly actions: SupervisorAction[] = [];

  /** Feeds one event; returns the actions it caused. */
  send(event: SupervisorEvent): SupervisorAction[] {
    const { state, actions } = decide(this.state, event, this.now);
    this.state = state;
    for (const action of actions) {
      if (action.type === 'set-timer') this.timers.set(action.timer, this.now + action.ms);
      if (action.type === 'cancel-timer') this.timers.delete(action.timer);
      if (action.type === 'shut-down') this.timers.clear(); // what the interpreter's timers would see
    }
    this.actions.push(...actions);
    return actions;
  }

  /** Moves the clock on by `ms`, firing due timers in order; returns the actions they caused. */
  advance(ms: number): SupervisorAction[] {
    const until = this.now + ms;
    const caused: SupervisorAction[] = [];
    for (;;) {
      const due = [...this.timers].filter(([, at]) => at <= until).sort((a, b) => a[1] - b[1])[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1];
      caused.push(...this.send({ type: 'timer-fired', timer: due[0] }));
    }
    this.now = until;
    return caused;
  }

  /** A run that went live: it started, then fragments flowed for `ms`. */
  liveFor(ms: number): void {
    this.send({ type: 'fragment' });
    this.now += ms;
    this.send({ type: 'fragment' });
  }

  exit(stderr: string[] = [], more: Partial<Extract<SupervisorEvent, { type: 'child-exited' }>> = {}): SupervisorAction[] {
    return this.send({ type: 'child-exited', code: 1, signal: null, stderr, producedInit: true, recorded: false, ...more });
  }
}

const starts = (actions: SupervisorAction[]) => actions.filter((a) => a.type === 'start-child');
const kills = (actions: SupervisorAction[]) => actions.filter((a) => a.type === 'kill-child');
const retryDelay = (actions: SupervisorAction[]) => actions.flatMap((a) => (a.type === 'set-timer' && a.timer === 'retry' ? [a.ms] : []))[0];
const has = (actions: SupervisorAction[], type: SupervisorAction['type']) => actions.some((a) => a.type === type);

function running(): Simulation {
  const sim = new Simulation();
  sim.send({ type: 'subscribed', subscribers: 1 });
  return sim;
}

describe('supervisor decisions: starting', () => {
  it.each<[string, SupervisorEvent[], number]>([
    ['the first subscriber', [{ type: 'subscribed', subscribers: 1 }], 1],
    ['recording', [{ type: 'start' }], 1],
    ['a second subscriber (already running)', [{ type: 'subscribed', subscribers: 1 }, { type: 'subscribed', subscribers: 2 }], 1],
    ['recording while a viewer watches', [{ type: 'subscribed', subscribers: 1 }, { type: 'start' }], 1],
  ])('starts one ffmpeg on %s', (_name, events, expected) => {
    const sim = new Simulation();
    for (const event of events) sim.send(event);
    expect(starts(sim.actions)).toEqual(Array(expected).fill({ type: 'start-child', path: 'copy', quickProbe: true, mayRecord: true }));
    expect(sim.state).toMatchObject({ running: true, child: true, state: 'connecting' });
    expect(has(sim.actions, 'publish-status')).toBe(true);
  });

  it('goes live on the first fragment and clears the retry time', () => {
    const sim = running();
    sim.exit();
    sim.advance(1_000);
    expect(sim.state.nextRetryAt).toBeDefined();
    sim.send({ type: 'fragment' });
    expect(sim.state).toMatchObject({ state: 'live', everLive: true, nextRetryAt: undefined });
  });
});

describe('supervisor decisions: fragments', () => {
  it('hears of a fragment only when it changes something: going live, and settling after a failure', () => {
    // The stream asks fragmentMatters for every frame and reports only those; the rest must be no-ops.
    const every = running();
    every.exit(); // one failure, so a long enough live run resets the count
    every.advance(1_000);
    const reported = new Simulation();
    reported.state = every.state;
    reported.now = every.now;
    const mattered: number[] = [];
    for (let t = 0; t <= STABLE_MS + 2_000; t += 40) {
      every.now = reported.now = reported.now + (t === 0 ? 0 : 40);
      const before = every.state;
      const actions = every.send({ type: 'fragment' });
      const matters = fragmentMatters(before, every.now);
      if (!matters) expect({ same: every.state === before, actions }).toEqual({ same: true, actions: [] });
      if (matters) {
        mattered.push(t);
        reported.send({ type: 'fragment' });
      }
    }
    // The first fragment (live) and the first one past STABLE_MS (failures cleared), nothing else.
    expect(mattered).toEqual([0, STABLE_MS + 40]);
    expect(reported.state).toEqual(every.state);
    expect(every.state).toMatchObject({ state: 'live', failures: 0 });
  });
});

describe('supervisor decisions: failures', () => {
  it('restarts after each exit with a growing backoff, and the backoff resets only after a healthy run', () => {
    const sim = running();
    // [how long the run was live before it exited (null: never), expected wait before the next start]
    const table: Array<[number | null, number]> = [
      [null, 1_000],
      [null, 2_000],
      [null, 4_000],
      [STABLE_MS / 2, 8_000], // live, but not for long: a flapping camera keeps backing off
      [STABLE_MS + 1, 1_000], // a healthy run resets the count
      [null, 2_000],
    ];
    table.forEach(([liveMs, wait], i) => {
      if (liveMs !== null) sim.liveFor(liveMs);
      const failed = sim.exit();
      expect(retryDelay(failed), `failure ${i + 1}`).toBe(wait);
      expect(sim.state.nextRetryAt).toBe(sim.now + wait);
      expect(sim.advance(wait - 1), 'no start before the wait is over').toEqual([]);
      expect(starts(sim.advance(1))).toHaveLength(1);
    });
    expect(sim.state.restarts).toBe(table.length);
  });

  it.each<[string, string[], boolean, string]>([
    ['a wrong password', ['[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized'], false, 'unauthorized'],
    ['a closed port, never live', ['Connection refused'], false, 'unreachable'],
    ['a closed port after being live', ['Connection refused'], true, 'reconnecting'],
    ['an unknown end', ['Exiting normally'], false, 'reconnecting'],
  ])('shows %s as %s', (_name, stderr, wasLive, shown) => {
    const sim = running();
    if (wasLive) sim.send({ type: 'fragment' });
    sim.exit(stderr);
    expect(sim.state.state).toBe(shown);
  });

  it('treats a stall as a failure: kills ffmpeg now, then restarts it after the backoff', () => {
    const sim = running();
    sim.send({ type: 'fragment' });
    expect(kills(sim.send({ type: 'stalled', stallMs: 4_000 }))).toEqual([{ type: 'kill-child', gently: false }]);
    const failed = sim.exit([], { signal: 'SIGKILL', code: null });
    expect(sim.state.state).toBe('reconnecting');
    expect(starts(sim.advance(retryDelay(failed)!))).toHaveLength(1);
  });

  it('gives a camera whose first run failed before any output the full probe from then on', () => {
    const sim = running();
    sim.exit([], { producedInit: false });
    expect(sim.advance(1_000)).toContainEqual({ type: 'start-child', path: 'copy', quickProbe: false, mayRecord: true });
  });
});

describe('supervisor decisions: codec fallback', () => {
  it('falls back from copy to transcode once for a codec browsers cannot decode, without counting a failure', () => {
    const sim = running();
    expect(kills(sim.send({ type: 'source-codec', codec: 'hevc' }))).toEqual([{ type: 'kill-child', gently: false }]);
    expect(sim.exit()).toEqual([{ type: 'start-child', path: 'transcode', quickProbe: true, mayRecord: true }]);
    expect(sim.state).toMatchObject({ failures: 0, restarts: 0, path: 'transcode' });
    // The transcoding run reports the same codec again, also after a failure: no second fallback.
    expect(sim.send({ type: 'source-codec', codec: 'hevc' })).toEqual([]);
    sim.exit();
    sim.advance(1_000);
    expect(sim.send({ type: 'source-codec', codec: 'hevc' })).toEqual([]);
    expect(starts(sim.actions).map((a) => a.type === 'start-child' && a.path)).toEqual(['copy', 'transcode', 'transcode']);
  });

  it('keeps copy for H.264', () => {
    const sim = running();
    expect(sim.send({ type: 'source-codec', codec: 'h264' })).toEqual([]);
    expect(sim.state.path).toBe('copy');
  });

  it('probes the codec afresh after the camera’s address changed', () => {
    const sim = running();
    sim.send({ type: 'source-codec', codec: 'hevc' });
    sim.exit();
    sim.send({ type: 'stop' });
    sim.send({ type: 'stopped' });
    sim.send({ type: 'source-changed' });
    expect(starts(sim.send({ type: 'start' }))).toEqual([{ type: 'start-child', path: 'copy', quickProbe: true, mayRecord: true }]);
    expect(kills(sim.send({ type: 'source-codec', codec: 'mjpeg' }))).toHaveLength(1);
  });
});

describe('supervisor decisions: a source that cannot be opened', () => {
  it('shows why (a stored password that cannot be read) and starts nothing more until the camera is edited', () => {
    const sim = running();
    sim.send({ type: 'source-unusable', reason: 'The stored password of this camera cannot be read; enter it again.' });
    expect(sim.state).toMatchObject({ child: false, state: 'unauthorized', reason: 'The stored password of this camera cannot be read; enter it again.' });
    expect(starts(sim.advance(120_000))).toEqual([]);
  });
});

describe('supervisor decisions: a full disk', () => {
  const diskFull = ['[segment @ 0x2] Failed to open segment: No space left on device'];

  it('puts recording in an error state and keeps live view going at once, without counting a failure', () => {
    const sim = running();
    sim.send({ type: 'recording-started' });
    sim.send({ type: 'fragment' });
    const actions = sim.exit(diskFull, { recorded: true });
    expect(starts(actions)).toEqual([{ type: 'start-child', path: 'copy', quickProbe: true, mayRecord: false }]);
    expect(sim.state).toMatchObject({ state: 'live', failures: 0, restarts: 0, recording: { state: 'error' } });
    expect(sim.state.recording.reason).toMatch(/disk is full/);
    expect(has(actions, 'publish-status')).toBe(true);
  });

  it('tries recording again after the retry time, replacing ffmpeg gently so it closes its files', () => {
    const sim = running();
    sim.exit(diskFull, { recorded: true });
    expect(sim.advance(DISK_FULL_RETRY_MS - 1)).toEqual([]);
    expect(sim.advance(1)).toEqual([{ type: 'kill-child', gently: true }]);
    expect(sim.exit()).toEqual([{ type: 'start-child', path: 'copy', quickProbe: true, mayRecord: true }]);
    expect(sim.state.restarts).toBe(0);
  });

  it('does not take a full disk for a recording error when the run did not record', () => {
    const sim = running();
    sim.exit(diskFull, { recorded: false });
    expect(sim.state.recording.state).toBe('off');
    expect(sim.state.restarts).toBe(1);
  });
});

describe('supervisor decisions: the last viewer leaving', () => {
  it.each<[string, boolean, boolean]>([
    ['stops a grace period after the last viewer left when nothing records', false, true],
    ['keeps running without viewers while the camera records', true, false],
  ])('%s', (_name, records, stops) => {
    const sim = running();
    sim.send({ type: 'unsubscribed', subscribers: 0, records });
    expect(sim.advance(GRACE_MS - 1)).toEqual([]);
    expect(has(sim.advance(1), 'shut-down')).toBe(stops);
    expect(sim.state.running).toBe(!stops);
  });

  it('reads stopped once the stopped ffmpeg has exited, with recording off', () => {
    const sim = running();
    sim.send({ type: 'recording-started' });
    sim.send({ type: 'unsubscribed', subscribers: 0, records: false });
    sim.advance(GRACE_MS);
    expect(sim.state.state).toBe('connecting');
    expect(has(sim.send({ type: 'stopped' }), 'publish-status')).toBe(true);
    expect(sim.state).toMatchObject({ state: 'stopped', running: false, recording: { state: 'off' } });
  });

  it.each<[string, SupervisorEvent]>([
    ['a viewer comes back', { type: 'subscribed', subscribers: 1 }],
    ['recording is turned on', { type: 'start' }],
  ])('does not stop when %s within the grace period', (_name, event) => {
    const sim = running();
    sim.send({ type: 'unsubscribed', subscribers: 0, records: false });
    sim.advance(GRACE_MS / 2);
    sim.send(event);
    expect(sim.advance(GRACE_MS * 2)).toEqual([]);
    expect(sim.state.running).toBe(true);
    expect(starts(sim.actions)).toHaveLength(1);
  });

  it('does not stop while another viewer still watches', () => {
    const sim = running();
    sim.send({ type: 'subscribed', subscribers: 2 });
    sim.send({ type: 'unsubscribed', subscribers: 1, records: false });
    expect(sim.timers.has('grace')).toBe(false);
    // A grace timer that raced the viewer's return stops nothing either.
    expect(sim.send({ type: 'timer-fired', timer: 'grace' })).toEqual([]);
  });

  it('ignores a stopped report when the stream was started again meanwhile', () => {
    const sim = running();
    sim.send({ type: 'stop' });
    sim.send({ type: 'subscribed', subscribers: 1 });
    sim.send({ type: 'stopped' });
    expect(sim.state).toMatchObject({ running: true, state: 'connecting' });
  });
});

describe('supervisor decisions: stop', () => {
  it.each<[string, (sim: Simulation) => void, TimerName[]]>([
    ['a restart waiting out its backoff', (sim) => sim.exit(), ['retry']],
    ['a recording retry after a full disk', (sim) => sim.exit(['No space left on device'], { recorded: true }), ['recording-retry']],
    ['a grace period', (sim) => sim.send({ type: 'unsubscribed', subscribers: 0, records: false }), ['grace']],
  ])('cancels %s, shuts ffmpeg down and starts nothing afterwards', (_name, arrange, pending) => {
    const sim = running();
    arrange(sim);
    expect([...sim.timers.keys()]).toEqual(pending);
    const actions = sim.send({ type: 'stop' });
    for (const timer of pending) expect(actions).toContainEqual({ type: 'cancel-timer', timer });
    expect(actions.at(-1)).toEqual({ type: 'shut-down' });
    expect(sim.state).toMatchObject({ running: false, child: false, nextRetryAt: undefined });
    const before = sim.actions.length;
    // Whatever a timer that raced the cancellation would still report starts nothing.
    for (const timer of pending) sim.send({ type: 'timer-fired', timer });
    expect(sim.advance(DISK_FULL_RETRY_MS * 10)).toEqual([]);
    expect(starts(sim.actions.slice(before))).toEqual([]);
  });
});
