/** While any tour runs on this wall, the toolbar says so and stops it in one click. */
import type { WallState } from '../../../shared/api.js';
import { TourBadge } from './tour-badge';
import type { WallTour } from './use-wall-tour';

interface TourChipProps {
  wall: WallState;
  wallTour: WallTour;
  held: boolean;
  /** Ends the wall's tour and every tile's tour. */
  onStop(): void;
}

export function TourChip({ wall, wallTour, held, onStop }: TourChipProps) {
  const tileTours = (wall.tours ?? []).slice(0, wall.tiles.length).filter(Boolean).length;
  if (!wall.tour && tileTours === 0) return null;
  const what = wall.tour ? 'A tour of the whole wall' : tileTours === 1 ? 'Tour on 1 tile' : `Tours on ${tileTours} tiles`;
  return (
    <span className="tour-chip" data-testid="tour-chip" role="status">
      <span className="tour-chip-label" title={what}>
        {wall.tour ? 'Wall' : `⟳ ${what}`}
      </span>
      {wall.tour && wallTour.position && <TourBadge position={wallTour.position} stops={wallTour.pages.length} paused={held} testId="wall-tour-badge" />}
      <button type="button" className="tour-chip-stop" data-testid="tour-chip-stop" title="Stop the tours on this wall: its tiles show their own cameras again" onClick={onStop}>
        ■ Stop
      </button>
    </span>
  );
}
