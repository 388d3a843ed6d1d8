/** A wall as it once stood: its layout's grid, each tile naming its camera or its tour, and the wall's own tour. */
import type { CameraView, WallHistoryWall } from '../../../shared/api.js';
import { LAYOUTS } from '../../../shared/layouts.js';

export function HistoricWall({ wall, cameras }: { wall: WallHistoryWall; cameras: readonly CameraView[] }) {
  const layout = LAYOUTS[wall.layout];
  const name = (id: string) => cameras.find((c) => c.id === id)?.name ?? id;
  return (
    <>
      {wall.tour && (
        <p className="menu-note" data-testid="historic-wall-tour">
          The whole wall toured {wall.tour.cameraIds.map(name).join(', ')}, a page every {wall.tour.dwellSeconds} s.
        </p>
      )}
      <div className="historic-wall" style={{ gridTemplateColumns: `repeat(${layout.columns}, 1fr)`, gridTemplateRows: `repeat(${layout.rows}, minmax(44px, auto))` }}>
        {layout.cells.map(([column, row, columns, rows], i) => {
          const camera = wall.tiles[i] ?? null;
          const tour = wall.tours?.[i] ?? null;
          return (
            <div key={i} className={`historic-tile${camera || tour ? '' : ' historic-empty'}`} data-testid="historic-tile" style={{ gridColumn: `${column} / span ${columns}`, gridRow: `${row} / span ${rows}` }}>
              {tour ? `Tour: ${tour.cameraIds.map(name).join(', ')} — ${tour.dwellSeconds} s each` : camera ? name(camera) : 'empty'}
            </div>
          );
        })}
      </div>
    </>
  );
}
