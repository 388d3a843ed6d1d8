/**
 * The walls as the API offers them: each wall's layout and tiles, adding and removing walls, and
 * presets. Walls live in settings, presets in settings or the site's directory (preset-store.ts);
 * anything unreadable there is set aside for the defaults rather than trusted. Every change is audited with the composition of each wall it changed
 * (wall-history.ts reads the walls of any past moment back from those entries); every change tells
 * every window through `wall.changed`.
 */
import type { WallState, WallSummary } from '../../../shared/api.js';
import type { Handlers } from '../api/handlers.js';
import { WatchroomError } from '../../../shared/errors.js';
import { wallEntrySchema, wallStateSchema } from '../../../shared/schemas.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { AuditAction } from '../../../shared/audit-actions.js';
import { changedWalls, type WallComposition } from './wall-history.js';
import { fillEmptyTiles, removeFromWall } from './wall-state.js';
import type { PresetRepository } from './preset-store.js';
import { BUILT_IN_PRESETS, builtInLayout, MAIN_WALL, mainWall, normalizeWalls, presetSummaries, withNewWall, type WallEntry } from './wall-set.js';

export interface WallDeps {
  /** This workstation's walls (its monitors' and windows'). */
  settings: SettingsStore;
  /** Saved presets: the settings' on one machine, the directory's in a site. */
  presets: PresetRepository;
  /** Camera ids in the order the camera list shows them. */
  cameraIds(): string[];
  onChange(): void;
  /** The ledger, for changes no person asked for (a camera added or archived). */
  auditSystem(action: AuditAction, subject: string, details: Record<string, unknown>): void;
}

export function createWallService(deps: WallDeps) {
  const store = wallSettings(deps);
  const followed = (walls: WallComposition[], cause: string, cameraIds: readonly string[]) => {
    if (walls.length > 0) deps.auditSystem('wall.cameras-changed', walls.map((w) => w.id).join(','), { cause, cameraIds, walls });
  };
  return {
    /** New cameras go into the first empty tiles, main wall first. */
    camerasAdded(cameraIds: readonly string[]): void {
      let queue = [...cameraIds];
      const { changed } = store.writeWalls(
        store.readWalls().map((w) => {
          const filled = fillEmptyTiles(w, queue);
          queue = queue.filter((id) => !filled.tiles.includes(id));
          return { ...w, ...filled };
        }),
      );
      followed(changed, 'camera-added', cameraIds);
    },
    cameraRemoved(cameraId: string): void {
      // Archiving takes the camera off every tile (reads already leave it out): the ledger says so.
      const { changed } = store.writeWalls(store.readWalls().map((w) => ({ ...w, ...removeFromWall(w, cameraId) })), store.readStoredWalls());
      followed(changed, 'camera-archived', [cameraId]);
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
  /** The walls as stored, before normalising: what a change is measured against. */
  const readStoredWalls = (): WallEntry[] => {
    const stored = deps.settings.get('walls');
    const walls = Array.isArray(stored) ? stored.flatMap((w) => (wallEntrySchema.safeParse(w).success ? [w as WallEntry] : [])) : [];
    if (walls.length === 0) {
      // Before there were several walls, the one wall was stored under `wall`.
      const legacy = wallStateSchema.safeParse(deps.settings.get('wall'));
      walls.push(mainWall(legacy.success ? legacy.data : undefined));
    }
    return walls;
  };
  const readWalls = (): WallEntry[] => normalizeWalls(readStoredWalls(), existing());
  return {
    deps,
    readStoredWalls,
    readWalls,
    /** Stores the walls; returns them and the compositions that changed (against `before`), for the ledger. */
    writeWalls(walls: WallEntry[], before: WallEntry[] = readWalls()): { walls: WallEntry[]; changed: WallComposition[] } {
      const normalized = normalizeWalls(walls, existing());
      deps.settings.set('walls', normalized);
      deps.onChange();
      return { walls: normalized, changed: changedWalls(before, normalized) };
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
      const written = writeWalls(walls.map((w) => (w.id === wallId ? { id: w.id, name: w.name, ...next } : w)), walls);
      ctx.record(wallId, { walls: written.changed });
      return state(find(written.walls, wallId));
    },
    addWall: async (_arg, ctx) => {
      const before = readWalls();
      const walls = withNewWall(before, deps.cameraIds());
      const added = walls[walls.length - 1]!;
      ctx.record(added.id, { name: added.name, walls: writeWalls(walls, before).changed });
      return summary(added);
    },
    removeWall: async ({ wallId }, ctx) => {
      if (wallId === MAIN_WALL) throw new WatchroomError('wall.main', 'The main wall stays; close the other walls instead.');
      const walls = readWalls();
      find(walls, wallId);
      ctx.record(wallId, { walls: writeWalls(walls.filter((w) => w.id !== wallId), walls).changed });
      return null;
    },
  } satisfies Partial<Handlers>;
}

function presetHandlers({ deps, readWalls, writeWalls }: WallSettings) {
  const { presets } = deps;
  return {
    listPresets: async () => presetSummaries(await presets.list(), readWalls().length),
    savePreset: async ({ name }, ctx) => {
      const walls = readWalls();
      const preset = await presets.save(name, walls);
      ctx.record(preset.id, { name, walls: walls.map((w) => ({ id: w.id, layout: w.layout, tiles: w.tiles })) });
      deps.onChange();
      return { id: preset.id, name, builtIn: false, wallCount: walls.length };
    },
    recallPreset: async ({ id }, ctx) => {
      const builtIn = BUILT_IN_PRESETS.find((p) => p.id === id);
      const saved = builtIn ? undefined : (await presets.list()).find((p) => p.id === id);
      if (!builtIn && !saved) throw new WatchroomError('preset.not-found', 'There is no such preset; it may have been deleted.');
      const before = readWalls();
      const written = writeWalls(builtIn ? builtInLayout(builtIn.id, before, deps.cameraIds()) : saved!.walls, before);
      ctx.record(id, { name: builtIn?.name ?? saved!.name, walls: written.changed });
      return written.walls.map(summary);
    },
    deletePreset: async ({ id }, ctx) => {
      const preset = BUILT_IN_PRESETS.some((p) => p.id === id) ? null : await presets.delete(id);
      if (!preset) throw new WatchroomError('preset.not-found', BUILT_IN_PRESETS.some((p) => p.id === id) ? 'Built-in presets cannot be deleted.' : 'There is no such preset.');
      ctx.record(id, { name: preset.name });
      deps.onChange();
      return null;
    },
  } satisfies Partial<Handlers>;
}
