/**
 * The wall's layout and which camera each tile shows. Tiles beyond the current layout are kept, so
 * switching from 4×4 to 2×2 and back restores the wall.
 */
import type { WallState } from '../../../shared/api.js';
import { tileCount } from '../../../shared/layouts.js';

export const MAX_TILES = 16;

export function defaultWall(): WallState {
  return { layout: '2x2', tiles: [null, null, null, null] };
}

/** Pads to the layout and empties tiles whose camera no longer exists. One camera may fill several tiles. */
export function normalizeWall(state: WallState, cameraExists: (id: string) => boolean): WallState {
  const length = Math.min(MAX_TILES, Math.max(tileCount(state.layout), state.tiles.length));
  const tiles: Array<string | null> = [];
  for (let i = 0; i < length; i++) {
    const id = state.tiles[i] ?? null;
    tiles.push(id !== null && cameraExists(id) ? id : null);
  }
  return { layout: state.layout, tiles };
}

/** Puts new cameras into the visible empty tiles, in order; cameras already on the wall are skipped. */
export function fillEmptyTiles(state: WallState, cameraIds: readonly string[]): WallState {
  const tiles = [...state.tiles];
  const queue = cameraIds.filter((id) => !tiles.includes(id));
  const visible = tileCount(state.layout);
  for (let i = 0; i < visible && queue.length > 0; i++) {
    if ((tiles[i] ?? null) === null) tiles[i] = queue.shift()!;
  }
  return { layout: state.layout, tiles };
}

export function removeFromWall(state: WallState, cameraId: string): WallState {
  return { layout: state.layout, tiles: state.tiles.map((id) => (id === cameraId ? null : id)) };
}
