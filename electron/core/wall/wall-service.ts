/**
 * The walls as the API offers them: each wall's layout and tiles, adding and removing walls, and
 * presets. Walls and saved presets live in settings; anything unreadable there is set aside for the
 * defaults rather than trusted. Preset changes and recalls are audited (they change what a control
 * room watches); every change tells every window through `wall.changed`.
 */
import { randomUUID } from 'node:crypto';
import type { WallState, WallSummary } from '../../../shared/api.js';
import type { Handlers } from '../api/handlers.js';
import { WatchroomError } from '../../../shared/errors.js';
import { savedPresetSchema, wallEntrySchema, wallStateSchema } from '../../../shared/schemas.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { fillEmptyTiles, removeFromWall } from './wall-state.js';
import { BUILT_IN_PRESETS, builtInLayout, MAIN_WALL, mainWall, normalizeWalls, presetSummaries, withNewWall, type SavedPreset, type WallEntry } from './wall-set.js';

export interface WallDeps {
  settings: SettingsStore;
  /** Camera ids in the order the camera list shows them. */
  cameraIds(): string[];
  onChange(): void;
}

export function createWallService(deps: WallDeps) {
  const store = wallSettings(deps);
  return {
    /** New cameras go into the first empty tiles, main wall first. */
    camerasAdded(cameraIds: readonly string[]): void {
      let queue = [...cameraIds];
      store.writeWalls(
        store.readWalls().map((w) => {
          const filled = fillEmptyTiles(w, queue);
          queue = queue.filter((id) => !filled.tiles.includes(id));
          return { ...w, ...filled };
        }),
      );
    },
    cameraRemoved(cameraId: string): void {
      store.writeWalls(store.readWalls().map((w) => ({ ...w, ...removeFromWall(w, cameraId) })));
    },
    handlers: { ...wallHandlers(store), ...presetHandlers(store) } satisfies Partial<Handlers>,
  };
}

/** Walls and presets as settings hold them, normalised against the cameras that exist now. */
function wallSettings(deps: WallDeps) {
  /** One lookup set per read or write: normalising checks every tile and tour camera. */
  const existing = () => {
    const ids = new Set(deps.cameraIds());
    return (id: string) => ids.has(id);
  };
  return {
    deps,
    readWalls(): WallEntry[] {
      const stored = deps.settings.get('walls');
      const walls = Array.isArray(stored) ? stored.flatMap((w) => (wallEntrySchema.safeParse(w).success ? [w as WallEntry] : [])) : [];
      if (walls.length === 0) {
        // Before there were several walls, the one wall was stored under `wall`.
        const legacy = wallStateSchema.safeParse(deps.settings.get('wall'));
        walls.push(mainWall(legacy.success ? legacy.data : undefined));
      }
      return normalizeWalls(walls, existing());
    },
    writeWalls(walls: WallEntry[]): WallEntry[] {
      const normalized = normalizeWalls(walls, existing());
      deps.settings.set('walls', normalized);
      deps.onChange();
      return normalized;
    },
    readPresets(): SavedPreset[] {
      const stored = deps.settings.get('presets');
      return Array.isArray(stored) ? stored.flatMap((p) => (savedPresetSchema.safeParse(p).success ? [p as SavedPreset] : [])) : [];
    },
  };
}
type WallSettings = ReturnType<typeof wallSettings>;

const find = (walls: WallEntry[], wallId: string): WallEntry => {
  const wall = walls.find((w) => w.id === wallId);
  if (!wall) throw new WatchroomError('wall.not-found', `There is no wall ${wallId}; it may have been closed.`);
  return wall;
};
const summary = (w: WallEntry): WallSummary => ({ id: w.id, name: w.name });
const state = ({ id: _id, name: _name, ...wall }: WallEntry): WallState => wall;

function wallHandlers({ deps, readWalls, writeWalls }: WallSettings) {
  return {
    listWalls: async () => readWalls().map(summary),
    getWall: async ({ wallId }) => state(find(readWalls(), wallId)),
    setWall: async ({ wallId, state: next }, ctx) => {
      const walls = readWalls();
      find(walls, wallId);
      const after = state(find(writeWalls(walls.map((w) => (w.id === wallId ? { id: w.id, name: w.name, ...next } : w))), wallId));
      ctx.record(wallId, { layout: after.layout, tiles: after.tiles, ...(after.tour ? { tour: after.tour } : {}), ...(after.tours?.some(Boolean) ? { tours: after.tours } : {}) });
      return after;
    },
    addWall: async (_arg, ctx) => {
      const walls = withNewWall(readWalls(), deps.cameraIds());
      const added = walls[walls.length - 1]!;
      writeWalls(walls);
      ctx.record(added.id, { name: added.name });
      return summary(added);
    },
    removeWall: async ({ wallId }, ctx) => {
      if (wallId === MAIN_WALL) throw new WatchroomError('wall.main', 'The main wall stays; close the other walls instead.');
      const walls = readWalls();
      find(walls, wallId);
      writeWalls(walls.filter((w) => w.id !== wallId));
      ctx.record(wallId);
      return null;
    },
  } satisfies Partial<Handlers>;
}

function presetHandlers({ deps, readWalls, writeWalls, readPresets }: WallSettings) {
  return {
    listPresets: async () => presetSummaries(readPresets(), readWalls().length),
    savePreset: async ({ name }, ctx) => {
      const walls = readWalls();
      const presets = readPresets();
      const replaced = presets.find((p) => p.name.toLowerCase() === name.toLowerCase());
      const preset: SavedPreset = { id: replaced?.id ?? randomUUID(), name, walls };
      deps.settings.set('presets', replaced ? presets.map((p) => (p.id === replaced.id ? preset : p)) : [...presets, preset]);
      ctx.record(preset.id, { name, walls: walls.map((w) => ({ id: w.id, layout: w.layout, tiles: w.tiles })) });
      deps.onChange();
      return { id: preset.id, name, builtIn: false, wallCount: walls.length };
    },
    recallPreset: async ({ id }, ctx) => {
      const builtIn = BUILT_IN_PRESETS.find((p) => p.id === id);
      const saved = readPresets().find((p) => p.id === id);
      if (!builtIn && !saved) throw new WatchroomError('preset.not-found', 'There is no such preset; it may have been deleted.');
      const walls = writeWalls(builtIn ? builtInLayout(builtIn.id, readWalls(), deps.cameraIds()) : saved!.walls);
      ctx.record(id, { name: builtIn?.name ?? saved!.name });
      return walls.map(summary);
    },
    deletePreset: async ({ id }, ctx) => {
      const presets = readPresets();
      const preset = presets.find((p) => p.id === id);
      if (!preset) throw new WatchroomError('preset.not-found', BUILT_IN_PRESETS.some((p) => p.id === id) ? 'Built-in presets cannot be deleted.' : 'There is no such preset.');
      deps.settings.set('presets', presets.filter((p) => p.id !== id));
      ctx.record(id, { name: preset.name });
      deps.onChange();
      return null;
    },
  } satisfies Partial<Handlers>;
}
