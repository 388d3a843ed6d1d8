/**
 * A tile's state: a coloured dot, with the word beside it where the header has room (video-wall.css
 * hides the word in narrow tiles; the title and the accessible name keep it).
 */
import type { StreamState } from '../../../shared/events.js';
import { stateTone } from './stream-state-tone';

/** What a tile shows: a stream's state, or the recording it replays. */
export type TileState = StreamState | 'replay';

export function StateBadge({ state }: { state: TileState }) {
  const tone = state === 'replay' ? 'replay' : stateTone(state);
  return (
    <span className={`state-badge tone-${tone}`} data-testid="tile-state" role="img" aria-label={`State: ${state}`} title={`State: ${state}`}>
      <span className="state-dot" aria-hidden="true" />
      <span className="state-word" aria-hidden="true">{state}</span>
    </span>
  );
}
