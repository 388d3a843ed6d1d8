/**
 * Pure edits of a WallState. Tiles past the current layout are kept untouched, so switching to a
 * smaller layout and back restores the wall; tiles the state does not list yet count as empty.
 */
import type { WallState } from '../../../shared/api.js';
import { tileCount, type LayoutId } from '../../../shared/layouts.js';

/** The camera id (or null) of each tile the layout shows. */
export function visibleTiles(wall: WallState): Array<string | null> {
  return Array.from({ length: tileCount(wall.layout) }, (_, i) => wall.tiles[i] ?? null);
}

function paddedTo(wall: WallState, length: number): Array<string | null> {
  return Array.from({ length: Math.max(length, wall.tiles.length) }, (_, i) => wall.tiles[i] ?? null);
}

export function withTile(wall: WallState, index: number, cameraId: string | null): WallState {
  const tiles = paddedTo(wall, index + 1);
  tiles[index] = cameraId;
  return { layout: wall.layout, tiles };
}

export function swapTiles(wall: WallState, a: number, b: number): WallState {
  const tiles = paddedTo(wall, Math.max(a, b) + 1);
  [tiles[a], tiles[b]] = [tiles[b] ?? null, tiles[a] ?? null];
  return { layout: wall.layout, tiles };
}

export function withLayout(wall: WallState, layout: LayoutId): WallState {
  return { layout, tiles: paddedTo(wall, tileCount(layout)) };
}
