/** What an operator reads on a tile: which camera, whether it is live, how well, and why not. */
import type { StreamState, StreamStatus } from '../../../shared/events.js';
import { StateBadge } from './state-badge';
import { stateTone } from './stream-state-tone';

interface TileOverlayProps {
  name: string;
  state: StreamState;
  status: StreamStatus | undefined;
  onClear(): void;
}

export function TileOverlay({ name, state, status, onClear }: TileOverlayProps) {
  const tone = stateTone(state);
  return (
    <>
      <div className="tile-bar">
        <span className="tile-name" data-testid="tile-name" title={name}>
          {name}
        </span>
        {status?.path === 'transcode' && (
          <span className="path-badge" data-testid="tile-path" title={`Re-encoded: this display cannot decode the camera's ${status.sourceCodec ?? 'codec'}.`}>
            TRANSCODE
          </span>
        )}
        {status && (
          <span className="tile-fps" data-testid="tile-fps">
            {Math.round(status.health.fps)} fps
          </span>
        )}
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
