import type { StreamState } from '../../../shared/events.js';
import { stateTone } from './stream-state-tone';

export function StateBadge({ state }: { state: StreamState }) {
  return (
    <span className={`state-badge tone-${stateTone(state)}`} data-testid="tile-state">
      {state}
    </span>
  );
}
