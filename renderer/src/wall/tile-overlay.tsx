/**
 * What an operator reads on a tile: which camera, whether it is live or replaying, whether it records,
 * how well it comes, and why not. The header is one line of fixed height; the name keeps at least a
 * few characters, and what does not fit (use-header-fit.ts) is in the tile's menu.
 */
import { useRef, type ReactNode } from 'react';
import type { RecordingStatus, StreamStatus } from '../../../shared/events.js';
import { StateBadge, type TileState } from './state-badge';
import type { TileAction } from './tile-actions';
import { TileDetails } from './tile-details';
import { TileRec } from './tile-rec';
import { stateTone } from './stream-state-tone';
import { useHeaderFit } from './use-header-fit';

interface TileOverlayProps {
  name: string;
  state: TileState;
  /** The live stream's status; none while replaying, where it does not describe the picture. */
  status: StreamStatus | undefined;
  recording: RecordingStatus | undefined;
  /** The tile's tour countdown and its replay badge, when it has them. */
  tour: ReactNode;
  replay: ReactNode;
  actions: readonly TileAction[];
  /** Open the tile's menu below this point. */
  onMenu(at: { x: number; y: number }): void;
}

/** Buttons in a tile must not also act on the tile (a fast second click would maximise it). */
const keepClick = { onDoubleClick: (event: { stopPropagation(): void }) => event.stopPropagation() };

/** The header's buttons: replay steps while live, Live while replaying, and the rest. */
function headerButtons(actions: readonly TileAction[], replaying: boolean): TileAction[] {
  return actions.filter((a) => a.button && (a.id === 'live' ? replaying : !(replaying && a.id.startsWith('replay-'))));
}

export function TileOverlay({ name, state, status, recording, tour, replay, actions, onMenu }: TileOverlayProps) {
  const tone = state === 'replay' ? 'replay' : stateTone(state);
  const bar = useRef<HTMLDivElement>(null);
  useHeaderFit(bar);
  return (
    <>
      <div ref={bar} className="tile-bar" data-testid="tile-bar">
        <StateBadge state={state} />
        <TileRec recording={recording} />
        <span className="tile-name" data-testid="tile-name" title={name}>
          {name}
        </span>
        {tour}
        <span className="tile-details">
          <TileDetails status={status} clockDrift={recording?.clockDrift} testIds />
        </span>
        <span className="tile-buttons">
          {headerButtons(actions, state === 'replay').map((a) => (
            <button key={a.id} type="button" className={a.id === 'clear' ? 'tile-button tile-clear' : 'tile-button'} data-testid={`tile-${a.id}`} disabled={Boolean(a.refusal)} title={a.refusal ?? `${a.label}${a.shortcut ? ` (${a.shortcut})` : ''}`} aria-label={a.id === 'clear' ? `Remove ${name} from this tile` : a.label} onClick={a.run} {...keepClick}>
              {a.button}
            </button>
          ))}
        </span>
        <button
          type="button"
          className="tile-button tile-more"
          data-testid="tile-more"
          aria-haspopup="menu"
          aria-label={`${name}: tile actions`}
          title="Tile actions (right-click, or Shift+F10)"
          onClick={(event) => {
            const box = event.currentTarget.getBoundingClientRect();
            onMenu({ x: box.right - 200, y: box.bottom + 2 });
          }}
          {...keepClick}
        >
          ⋯
        </button>
      </div>
      {replay}
      {tone === 'busy' && <div className="spinner" data-testid="tile-spinner" role="status" aria-label={state} />}
      {tone === 'failed' && (
        <p className="tile-reason" data-testid="tile-reason">
          {status?.reason ?? `The stream is ${state}.`}
        </p>
      )}
    </>
  );
}
