/** Transport for a playback: back and forward 10 s, play/pause, a frame at a time, speed, and the timeline's span. */
import { WINDOWS } from './use-playback-window';

const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];

interface PlaybackControlsProps {
  paused: boolean;
  onPausedChange(paused: boolean): void;
  onJump(seconds: number): void;
  onStep(): void;
  speed: number;
  onSpeedChange(speed: number): void;
  windowMs: number;
  onWindowChange(ms: number): void;
}

export function PlaybackControls({ paused, onPausedChange, onJump, onStep, speed, onSpeedChange, windowMs, onWindowChange }: PlaybackControlsProps) {
  return (
    <>
      <button type="button" data-testid="playback-back" onClick={() => onJump(-10)} title="Back 10 s">−10 s</button>
      <button type="button" data-testid="playback-play" onClick={() => onPausedChange(!paused)}>
        {paused ? 'Play' : 'Pause'}
      </button>
      <button type="button" data-testid="playback-step" onClick={onStep} title="One frame forward">Frame ▸</button>
      <button type="button" data-testid="playback-forward" onClick={() => onJump(10)} title="Forward 10 s">+10 s</button>
      <label>
        Speed{' '}
        <select data-testid="playback-speed" value={speed} onChange={(e) => onSpeedChange(Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>{s}×</option>
          ))}
        </select>
      </label>
      <label>
        Timeline{' '}
        <select data-testid="timeline-window" value={windowMs} onChange={(e) => onWindowChange(Number(e.target.value))}>
          {WINDOWS.map((w) => (
            <option key={w.ms} value={w.ms}>{w.label}</option>
          ))}
        </select>
      </label>
    </>
  );
}
