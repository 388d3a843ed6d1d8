/**
 * Every wall of the workstation (one per monitor in Electron, per window in the browser shell), and
 * presets ("salvos") that save and recall the whole set at once. Pure functions over plain data; the
 * wall service stores the result and says who changed what.
 */
import type { PresetSummary, WallState, WallSummary } from '../../../shared/api.js';
import { tileCount, type LayoutId } from '../../../shared/layouts.js';
import { defaultWall, fillEmptyTiles, MAX_TILES, normalizeWall } from './wall-state.js';

export const MAIN_WALL = 'wall-1';

export interface WallEntry extends WallState, WallSummary {}

export interface SavedPreset {
  id: string;
  name: string;
  walls: WallEntry[];
}

export function mainWall(state: WallState = defaultWall()): WallEntry {
  return { id: MAIN_WALL, name: 'Wall 1', ...state };
}

/** A further wall: the next free number, 2×2, filled with cameras no other wall shows. */
export function withNewWall(walls: readonly WallEntry[], cameraIds: readonly string[]): WallEntry[] {
  const used = new Set(walls.map((w) => Number(w.id.slice('wall-'.length))));
  let n = 2;
  while (used.has(n)) n++;
  const shown = new Set(walls.flatMap((w) => w.tiles.slice(0, tileCount(w.layout))));
  const wall = fillEmptyTiles(defaultWall(), cameraIds.filter((id) => !shown.has(id)));
  return [...walls, { id: `wall-${n}`, name: `Wall ${n}`, ...wall }];
}

/** Keeps the main wall first and present, each wall normalised against the cameras that exist. */
export function normalizeWalls(walls: readonly WallEntry[], cameraExists: (id: string) => boolean): WallEntry[] {
  const main = walls.find((w) => w.id === MAIN_WALL) ?? mainWall();
  const rest = walls.filter((w) => w.id !== MAIN_WALL);
  return [main, ...rest].map((w) => ({ id: w.id, name: w.name, ...normalizeWall(w, cameraExists) }));
}

/** Shipped presets: they lay out whatever cameras exist when they are recalled. */
export const BUILT_IN_PRESETS = [
  { id: 'builtin-all-cameras', name: 'All cameras' },
  { id: 'builtin-quad', name: 'Four per wall (2×2)' },
] as const;

/** The smallest uniform layout that shows `n` tiles (at most 16). */
function layoutFor(n: number): LayoutId {
  return (['1', '2x2', '3x3', '4x4'] as const).find((l) => tileCount(l) >= n) ?? '4x4';
}

/** What a built-in preset makes of the current walls and cameras. */
export function builtInLayout(id: (typeof BUILT_IN_PRESETS)[number]['id'], walls: readonly WallEntry[], cameraIds: readonly string[]): WallEntry[] {
  const perWall = id === 'builtin-quad' ? 4 : Math.min(MAX_TILES, Math.ceil(cameraIds.length / walls.length) || 1);
  return walls.map((w, i) => {
    const share = cameraIds.slice(i * perWall, (i + 1) * perWall);
    const layout = id === 'builtin-quad' ? '2x2' : layoutFor(perWall);
    return { id: w.id, name: w.name, layout, tiles: Array.from({ length: tileCount(layout) }, (_, t) => share[t] ?? null) };
  });
}

export function presetSummaries(saved: readonly SavedPreset[], wallCount: number): PresetSummary[] {
  return [
    ...BUILT_IN_PRESETS.map((p) => ({ id: p.id, name: p.name, builtIn: true, wallCount })),
    ...saved.map((p) => ({ id: p.id, name: p.name, builtIn: false, wallCount: p.walls.length })),
  ];
}
