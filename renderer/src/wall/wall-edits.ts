/**
 * Pure edits of a WallState. Tiles past the current layout are kept untouched, so switching to a
 * smaller layout and back restores the wall; tiles the state does not list yet count as empty.
 */
import type { Tour, WallState } from '../../../shared/api.js';
import { tileCount, type LayoutId } from '../../../shared/layouts.js';

/** The camera id (or null) of each tile the layout shows. */
export function visibleTiles(wall: WallState): Array<string | null> {
  return Array.from({ length: tileCount(wall.layout) }, (_, i) => wall.tiles[i] ?? null);
}

function paddedTo(wall: WallState, length: number): Array<string | null> {
  return Array.from({ length: Math.max(length, wall.tiles.length) }, (_, i) => wall.tiles[i] ?? null);
}

function toursPaddedTo(wall: WallState, length: number): Array<Tour | null> {
  return Array.from({ length: Math.max(length, wall.tours?.length ?? 0) }, (_, i) => wall.tours?.[i] ?? null);
}

/** Puts a camera on a tile (or empties it); a tour the tile ran ends, the operator chose. */
export function withTile(wall: WallState, index: number, cameraId: string | null): WallState {
  const tiles = paddedTo(wall, index + 1);
  tiles[index] = cameraId;
  return withTileTour({ ...wall, tiles }, index, null);
}

/** Swaps two tiles, tours included. */
export function swapTiles(wall: WallState, a: number, b: number): WallState {
  const tiles = paddedTo(wall, Math.max(a, b) + 1);
  [tiles[a], tiles[b]] = [tiles[b] ?? null, tiles[a] ?? null];
  const tours = toursPaddedTo(wall, Math.max(a, b) + 1);
  [tours[a], tours[b]] = [tours[b] ?? null, tours[a] ?? null];
  return { ...wall, tiles, tours };
}

export function withLayout(wall: WallState, layout: LayoutId): WallState {
  return { ...wall, layout, tiles: paddedTo(wall, tileCount(layout)) };
}

/** Starts (or with null, ends) a tile's tour; the tile shows the tour's first camera when it ends. */
export function withTileTour(wall: WallState, index: number, tour: Tour | null): WallState {
  const tours = toursPaddedTo(wall, index + 1);
  tours[index] = tour;
  const tiles = tour ? Object.assign(paddedTo(wall, index + 1), { [index]: tour.cameraIds[0]! }) : wall.tiles;
  return { ...wall, tiles, tours };
}

export function withWallTour(wall: WallState, tour: Tour | null): WallState {
  return { ...wall, tour };
}

/** Ends the wall's tour and every tile's: the tiles show their own cameras again. */
export function withoutTours(wall: WallState): WallState {
  return { ...wall, tour: null, tours: (wall.tours ?? []).map(() => null) };
}
