/** What an operator reads on a tile: which camera, whether it is live, how well, and why not. */
import type { ReactNode } from 'react';
import type { ClockDrift, StreamState, StreamStatus } from '../../../shared/events.js';
import { formatClockDrift, formatDriftSeconds, formatLocalTime } from '../playback/format-time';
import { usePermission } from '../session/permission-hint';
import { StateBadge } from './state-badge';
import { stateTone } from './stream-state-tone';

interface TileOverlayProps {
  name: string;
  state: StreamState;
  status: StreamStatus | undefined;
  /** The camera's recording was re-anchored to real time (its main stream records, whichever is shown). */
  clockDrift: ClockDrift | undefined;
  replaying: boolean;
  /** The tile's tour countdown, when it runs one. */
  tour: ReactNode;
  /** Instant replay: go back this many seconds from now. */
  onReplay(seconds: number): void;
  onLive(): void;
  onBookmark(): void;
  onTour(): void;
  onClear(): void;
}

const REPLAY_STEPS = [10, 30];

export function TileOverlay({ name, state, status, clockDrift, replaying, tour, onReplay, onLive, onBookmark, onTour, onClear }: TileOverlayProps) {
  const tone = stateTone(state);
  const bookmarks = usePermission('bookmarks.write');
  return (
    <>
      <div className="tile-bar">
        <span className="tile-name" data-testid="tile-name" title={name}>
          {name}
        </span>
        {tour}
        {status?.stream === 'sub' && (
          <span className="path-badge" data-testid="tile-sub" title="The camera's low-resolution sub-stream: maximise the tile for full resolution.">
            SUB
          </span>
        )}
        {status?.path === 'transcode' && (
          <span className="path-badge" data-testid="tile-path" title={`Re-encoded: this display cannot decode the camera's ${status.sourceCodec ?? 'codec'}.`}>
            TRANSCODE
          </span>
        )}
        {clockDrift && (
          <span
            className="path-badge"
            data-testid="tile-clock-drift"
            title={`The camera's clock was ${formatClockDrift(clockDrift.offsetMs)}; its recording was re-anchored to real time at ${formatLocalTime(clockDrift.atMs)}.`}
          >
            CLOCK {clockDrift.offsetMs < 0 ? '−' : '+'}
            {formatDriftSeconds(clockDrift.offsetMs)}
          </span>
        )}
        {status && (
          <span className="tile-fps" data-testid="tile-fps">
            {Math.round(status.health.fps)} fps
          </span>
        )}
        {replaying ? (
          <>
            <span className="replay-badge" data-testid="tile-replay-badge">REPLAY</span>
            <button type="button" className="tile-button" data-testid="tile-live" title="Back to live" onClick={onLive} onDoubleClick={(e) => e.stopPropagation()}>
              LIVE
            </button>
          </>
        ) : (
          REPLAY_STEPS.map((seconds) => (
            <button
              key={seconds}
              type="button"
              className="tile-button"
              data-testid={`tile-replay-${seconds}`}
              title={`Instant replay: back ${seconds} s`}
              onClick={() => onReplay(seconds)}
              onDoubleClick={(e) => e.stopPropagation()}
            >
              −{seconds}s
            </button>
          ))
        )}
        <button type="button" className="tile-button" data-testid="tile-bookmark" disabled={!bookmarks.allowed} title={bookmarks.refusal ?? 'Bookmark this moment (B)'} onClick={onBookmark} onDoubleClick={(e) => e.stopPropagation()}>
          ★
        </button>
        <button type="button" className="tile-button" data-testid="tile-tour" title="Tour: show cameras on this tile in turn" onClick={onTour} onDoubleClick={(e) => e.stopPropagation()}>
          ⟳
        </button>
        <StateBadge state={state} />
        <button
          type="button"
          className="tile-clear"
          data-testid="tile-clear"
          aria-label={`Remove ${name} from this tile`}
          title="Empty this tile"
          onClick={onClear}
          // Clicking fast twice must not also maximise the tile underneath.
          onDoubleClick={(event) => event.stopPropagation()}
        >
          ×
        </button>
      </div>
      {tone === 'busy' && <div className="spinner" data-testid="tile-spinner" role="status" aria-label={state} />}
      {tone === 'failed' && (
        <p className="tile-reason" data-testid="tile-reason">
          {status?.reason ?? `The stream is ${state}.`}
        </p>
      )}
    </>
  );
}
