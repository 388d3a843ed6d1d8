/**
 * Playback of several cameras in sync at one wall-clock time ("go to 02:10 on these four cameras"):
 * one timeline with a track per camera, one set of controls, every player following the first one's
 * clock. While playback is paused, a span is marked or an export was made from it, the timeline
 * holds still instead of following the present.
 */
import { useState } from 'react';
import type { CameraView } from '../../../shared/api.js';
import type { ExportScope } from '../incidents/export-dialog';
import { formatLocalTime } from '../lib/format-time';
import { GoToForm } from './go-to-form';
import { PlaybackControls } from './playback-controls';
import { markedSpan, PlaybackMarks } from './playback-marks';
import type { RecordedPlayer } from './recorded-player';
import { PLAYLIST_SPAN_MS, RecordedVideo } from './recorded-video';
import { Timeline } from './timeline';
import { usePlaybackWindow } from './use-playback-window';
import { usePlayerSync } from './use-player-sync';
import { useTimelineTracks } from './use-timeline-tracks';
import './playback-panel.css';

interface PlaybackPanelProps {
  cameras: CameraView[];
  /** Where to start (a bookmarked moment); a minute ago by default. */
  startAtMs?: number;
  /** Export these cameras over the marked span (or around the moment on screen). */
  onExport(scope: ExportScope): void;
  onClose(): void;
}

export function PlaybackPanel({ cameras, startAtMs, onExport, onClose }: PlaybackPanelProps) {
  const [paused, setPaused] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [marks, setMarks] = useState<{ in: number | null; out: number | null }>({ in: null, out: null });
  /** An export was made from this view: keep its span in sight until the operator asks for Now. */
  const [exported, setExported] = useState(false);
  const view = usePlaybackWindow(startAtMs, paused || marks.in !== null || marks.out !== null || exported);
  const tracks = useTimelineTracks(cameras, view.fromMs, view.toMs);
  const [startAt, setStartAt] = useState(() => startAtMs ?? view.toMs - 60_000);
  const { players, cursor, setCursor } = usePlayerSync(cameras[0]?.id);

  const all = (fn: (p: RecordedPlayer) => void) => players.current.forEach(fn);
  const seek = (wallMs: number) => (setCursor(wallMs), all((p) => p.seekWall(wallMs)));
  /** Seeks every player, loading a new playlist when the time is far from the loaded one. */
  const goTo = (ms: number) => (players.current.size && Math.abs(ms - startAt) < PLAYLIST_SPAN_MS ? seek(ms) : setStartAt(ms));
  const showNow = () => (setExported(false), view.showPresent());

  return (
    <section className="playback-panel" data-testid="playback-panel" aria-label="Playback">
      <header className="playback-header">
        <h2>Playback</h2>
        <span className="playback-time" data-testid="playback-time" data-wall-ms={cursor ?? ''}>{cursor === null ? '—' : formatLocalTime(cursor)}</span>
        <div className="playback-controls">
          <PlaybackControls paused={paused} onPausedChange={setPaused} onJump={(s) => cursor !== null && seek(cursor + s * 1000)} onStep={() => (all((p) => p.stepFrame()), setPaused(true))} speed={speed} onSpeedChange={setSpeed} windowMs={view.windowMs} onWindowChange={view.setWindowMs} />
          <GoToForm onGo={(ms) => (ms < view.fromMs || ms > view.toMs ? view.showWindowEndingAt(ms + view.windowMs / 2) : undefined, goTo(ms))} />
          <PlaybackMarks
            cursor={cursor}
            markIn={marks.in}
            markOut={marks.out}
            onMark={(edge, ms) => (setMarks((m) => ({ ...m, [edge]: ms })), ms === null && setExported(false))}
            onExport={(span) => (setExported(true), onExport({ cameraIds: cameras.map((c) => c.id), cameraNames: cameras.map((c) => c.name), ...span, caseReference: '' }))}
          />
          <button type="button" data-testid="playback-close" onClick={onClose}>Back to live wall</button>
        </div>
      </header>
      <div className="playback-grid" style={{ gridTemplateColumns: `repeat(${Math.ceil(Math.sqrt(cameras.length || 1))}, 1fr)` }}>
        {cameras.map((camera) => (
          <div key={camera.id} className="playback-cell" data-testid="playback-cell" data-camera-id={camera.id}>
            <RecordedVideo cameraId={camera.id} startAtMs={startAt} open={false} paused={paused} rate={speed} onPlayer={(p) => (p ? players.current.set(camera.id, p) : players.current.delete(camera.id))} />
            <span className="playback-name">{camera.name}</span>
          </div>
        ))}
      </div>
      <div className="timeline-row" data-following={view.following}>
        <button type="button" data-testid="timeline-earlier" title="Earlier" onClick={() => view.showWindowEndingAt(view.toMs - view.windowMs / 2)}>◀</button>
        <Timeline fromMs={view.fromMs} toMs={view.toMs} tracks={tracks} cursorMs={cursor} marked={markedSpan(marks.in, marks.out)} onSeek={goTo} />
        <button type="button" data-testid="timeline-later" title="Later" disabled={view.atPresent} onClick={() => view.showWindowEndingAt(view.toMs + view.windowMs / 2)}>▶</button>
        <button type="button" data-testid="timeline-now" title={view.following ? 'The timeline follows the present' : 'Show up to now'} disabled={view.following} onClick={showNow}>Now</button>
      </div>
    </section>
  );
}
