/**
 * Playback of several cameras in sync at one wall-clock time ("go to 02:10 on these four cameras"):
 * one timeline, one set of controls, every player following the first one's clock.
 */
import { useEffect, useRef, useState } from 'react';
import type { CameraView, RecordedRange } from '../../../shared/api.js';
import { api } from '../api/client';
import { formatLocalTime, fromLocalInput } from './format-time';
import { PLAYLIST_SPAN_MS, RecordedVideo } from './recorded-video';
import type { RecordedPlayer } from './recorded-player';
import { Timeline } from './timeline';
import type { ExportScope } from '../incidents/export-dialog';
import { PermissionHint, usePermission } from '../session/permission-hint';
import './playback-panel.css';

interface PlaybackPanelProps {
  cameras: CameraView[];
  /** Where to start (a bookmarked moment); a minute ago by default. */
  startAtMs?: number;
  /** Export these cameras over the marked span (or around the moment on screen). */
  onExport(scope: ExportScope): void;
  onClose(): void;
}

/** Without marks, an export covers this much either side of the moment on screen. */
const UNMARKED_EXPORT_MS = 30_000;

/** How much of the past the timeline spans; a short window makes a few minutes easy to hit. */
const WINDOWS = [
  { label: '10 min', ms: 10 * 60_000 },
  { label: '1 h', ms: 60 * 60_000 },
  { label: '24 h', ms: 24 * 60 * 60_000 },
];
/** How often a timeline that follows the present redraws what has been recorded. */
const RANGES_REFRESH_MS = 10_000;
const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];
/** Players further apart than this are pulled back to the first one. */
const SYNC_TOLERANCE_MS = 300;

export function PlaybackPanel({ cameras, startAtMs, onExport, onClose }: PlaybackPanelProps) {
  const [windowMs, setWindowMs] = useState(WINDOWS[0]!.ms);
  const exporting = usePermission('evidence.export');
  /** The timeline's right edge; it follows the present until the operator pans into the past. */
  const [toMs, setToMs] = useState(() => (startAtMs === undefined ? Date.now() : Math.min(Date.now(), startAtMs + windowMs / 2)));
  const [followNow, setFollowNow] = useState(startAtMs === undefined || startAtMs + windowMs / 2 >= Date.now());
  const fromMs = toMs - windowMs;
  const [startAt, setStartAt] = useState(() => startAtMs ?? toMs - 60_000);
  const [ranges, setRanges] = useState<RecordedRange[]>([]);
  const [cursor, setCursor] = useState<number | null>(null);
  const [paused, setPaused] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [goToText, setGoToText] = useState('');
  const [goToError, setGoToError] = useState<string | null>(null);
  const [markIn, setMarkIn] = useState<number | null>(null);
  const [markOut, setMarkOut] = useState<number | null>(null);
  const marked = markIn !== null && markOut !== null && markOut > markIn ? { fromMs: markIn, toMs: markOut } : null;
  const players = useRef(new Map<string, RecordedPlayer>());
  const first = cameras[0];

  useEffect(() => {
    if (!followNow) return;
    const timer = setInterval(() => setToMs(Date.now()), RANGES_REFRESH_MS);
    return () => clearInterval(timer);
  }, [followNow]);

  useEffect(() => {
    if (first) void api.listRecordings({ cameraId: first.id, fromMs, toMs }).then(setRanges);
  }, [first, fromMs, toMs]);

  /** Shows `endMs` at the timeline's right edge (never beyond now). */
  const showWindowEndingAt = (endMs: number) => {
    const now = Date.now();
    setFollowNow(endMs >= now);
    setToMs(Math.min(endMs, now));
  };

  useEffect(() => {
    const timer = setInterval(() => {
      const lead = first && players.current.get(first.id);
      const wall = lead?.wallMs() ?? null;
      setCursor(wall);
      if (wall === null || lead!.paused()) return;
      for (const [id, p] of players.current) {
        const own = p.wallMs();
        if (id !== first!.id && own !== null && Math.abs(own - wall) > SYNC_TOLERANCE_MS) p.seekWall(wall);
      }
    }, 250);
    return () => clearInterval(timer);
  }, [first]);

  const all = (fn: (p: RecordedPlayer) => void) => players.current.forEach(fn);
  const seek = (wallMs: number) => {
    setCursor(wallMs);
    all((p) => p.seekWall(wallMs));
  };
  const jump = (seconds: number) => cursor !== null && seek(cursor + seconds * 1000);
  /** Seeks every player, loading a new playlist when the time is far from the loaded one. */
  const goTo = (ms: number) => (players.current.size && Math.abs(ms - startAt) < PLAYLIST_SPAN_MS ? seek(ms) : setStartAt(ms));

  return (
    <section className="playback-panel" data-testid="playback-panel" aria-label="Playback">
      <header className="playback-header">
        <h2>Playback</h2>
        <span className="playback-time" data-testid="playback-time" data-wall-ms={cursor ?? ''}>
          {cursor === null ? '—' : formatLocalTime(cursor)}
        </span>
        <div className="playback-controls">
          <button type="button" data-testid="playback-back" onClick={() => jump(-10)} title="Back 10 s">−10 s</button>
          <button
            type="button"
            data-testid="playback-play"
            onClick={() => setPaused(!paused)}
          >
            {paused ? 'Play' : 'Pause'}
          </button>
          <button type="button" data-testid="playback-step" onClick={() => (all((p) => p.stepFrame()), setPaused(true))} title="One frame forward">
            Frame ▸
          </button>
          <button type="button" data-testid="playback-forward" onClick={() => jump(10)} title="Forward 10 s">+10 s</button>
          <label>
            Speed{' '}
            <select
              data-testid="playback-speed"
              value={speed}
              onChange={(e) => setSpeed(Number(e.target.value))}
            >
              {SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
          <label>
            Timeline{' '}
            <select data-testid="timeline-window" value={windowMs} onChange={(e) => setWindowMs(Number(e.target.value))}>
              {WINDOWS.map((w) => (
                <option key={w.ms} value={w.ms}>
                  {w.label}
                </option>
              ))}
            </select>
          </label>
          <form
            className="playback-goto"
            onSubmit={(e) => {
              e.preventDefault();
              const ms = fromLocalInput(goToText);
              if (ms === null || ms > Date.now()) return setGoToError('Pick a date and time in the past');
              setGoToError(null);
              if (ms < fromMs || ms > toMs) showWindowEndingAt(ms + windowMs / 2);
              goTo(ms);
            }}
          >
            <label>
              Go to{' '}
              <input
                type="datetime-local"
                step={1}
                data-testid="playback-goto-input"
                value={goToText}
                aria-invalid={goToError !== null}
                onChange={(e) => setGoToText(e.target.value)}
              />
            </label>
            <button type="submit" data-testid="playback-goto">Go</button>
            {goToError && <span className="field-error" role="alert" data-testid="playback-goto-error">{goToError}</span>}
          </form>
          <span className="playback-marks">
            <button type="button" data-testid="playback-mark-in" disabled={cursor === null || !exporting.allowed} onClick={() => setMarkIn(cursor)} title={exporting.refusal ?? 'Export from the moment on screen'}>
              Mark in{markIn !== null && ` ${formatLocalTime(markIn, false)}`}
            </button>
            <button type="button" data-testid="playback-mark-out" disabled={cursor === null || !exporting.allowed} onClick={() => setMarkOut(cursor)} title={exporting.refusal ?? 'Export up to the moment on screen'}>
              Mark out{markOut !== null && ` ${formatLocalTime(markOut, false)}`}
            </button>
            <button
              type="button"
              data-testid="playback-export"
              disabled={(cursor === null && !marked) || !exporting.allowed}
              title={exporting.refusal}
              onClick={() => {
                const span = marked ?? { fromMs: cursor! - UNMARKED_EXPORT_MS, toMs: Math.min(Date.now(), cursor! + UNMARKED_EXPORT_MS) };
                onExport({ cameraIds: cameras.map((c) => c.id), cameraNames: cameras.map((c) => c.name), ...span, caseReference: '' });
              }}
            >
              Export…
            </button>
            <PermissionHint permission="evidence.export" />
          </span>
          <button type="button" data-testid="playback-close" onClick={onClose}>Back to live wall</button>
        </div>
      </header>
      <div className="playback-grid" style={{ gridTemplateColumns: `repeat(${Math.ceil(Math.sqrt(cameras.length || 1))}, 1fr)` }}>
        {cameras.map((camera) => (
          <div key={camera.id} className="playback-cell" data-testid="playback-cell" data-camera-id={camera.id}>
            <RecordedVideo
              cameraId={camera.id}
              startAtMs={startAt}
              open={false}
              paused={paused}
              rate={speed}
              onPlayer={(p) => (p ? players.current.set(camera.id, p) : players.current.delete(camera.id))}
            />
            <span className="playback-name">{camera.name}</span>
          </div>
        ))}
      </div>
      <div className="timeline-row">
        <button type="button" data-testid="timeline-earlier" title="Earlier" onClick={() => showWindowEndingAt(toMs - windowMs / 2)}>◀</button>
        <Timeline fromMs={fromMs} toMs={toMs} ranges={ranges} cursorMs={cursor} marked={marked} onSeek={goTo} />
        <button type="button" data-testid="timeline-later" title="Later" disabled={followNow} onClick={() => showWindowEndingAt(toMs + windowMs / 2)}>▶</button>
        <button type="button" data-testid="timeline-now" title="Timeline up to now" disabled={followNow} onClick={() => showWindowEndingAt(Date.now())}>Now</button>
      </div>
    </section>
  );
}
