/**
 * The wall's layout and which camera each tile shows. Tiles beyond the current layout are kept, so
 * switching from 4×4 to 2×2 and back restores the wall.
 */
import type { Tour, WallState } from '../../../shared/api.js';
import { tileCount } from '../../../shared/layouts.js';

export const MAX_TILES = 16;

export function defaultWall(): WallState {
  return { layout: '2x2', tiles: [null, null, null, null] };
}

/** A tour without the cameras that are gone; none at all when fewer than two are left. */
function normalizeTour(tour: Tour | null | undefined, cameraExists: (id: string) => boolean): Tour | null {
  const cameraIds = (tour?.cameraIds ?? []).filter(cameraExists);
  return tour && cameraIds.length >= 2 ? { cameraIds, dwellSeconds: tour.dwellSeconds } : null;
}

/**
 * Pads to the layout and empties tiles whose camera no longer exists; tours lose such cameras too.
 * One camera may fill several tiles.
 */
export function normalizeWall(state: WallState, cameraExists: (id: string) => boolean): WallState {
  const length = Math.min(MAX_TILES, Math.max(tileCount(state.layout), state.tiles.length));
  const tiles: Array<string | null> = [];
  const tours: Array<Tour | null> = [];
  for (let i = 0; i < length; i++) {
    const id = state.tiles[i] ?? null;
    tiles.push(id !== null && cameraExists(id) ? id : null);
    tours.push(normalizeTour(state.tours?.[i], cameraExists));
  }
  const tour = normalizeTour(state.tour, cameraExists);
  return { layout: state.layout, tiles, ...(tours.some(Boolean) ? { tours } : {}), ...(tour ? { tour } : {}) };
}

/** Puts new cameras into the visible empty tiles, in order; cameras already on the wall are skipped. */
export function fillEmptyTiles(state: WallState, cameraIds: readonly string[]): WallState {
  const tiles = [...state.tiles];
  const queue = cameraIds.filter((id) => !tiles.includes(id));
  const visible = tileCount(state.layout);
  for (let i = 0; i < visible && queue.length > 0; i++) {
    if ((tiles[i] ?? null) === null) tiles[i] = queue.shift()!;
  }
  return { ...state, tiles };
}

export function removeFromWall(state: WallState, cameraId: string): WallState {
  return { ...state, tiles: state.tiles.map((id) => (id === cameraId ? null : id)) };
}
