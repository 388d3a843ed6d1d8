/**
 * One wall window per display: which wall goes on which display is core/wall/display-placement.ts;
 * this opens, moves and closes the windows to match, again whenever displays come and go or walls
 * are added and removed, and remembers each wall's display for the next start. A wall someone
 * closes takes its window with it, and its display stays empty (rather than getting a new wall at
 * once, which would undo the close) until a wall is opened again; the next start fills every display.
 */
import { BrowserWindow, screen } from 'electron';
import { IPC_EVENT } from '../shared/bridge.js';
import { eventVisibleTo } from '../shared/events.js';
import type { Core } from './core/core.js';
import type { SettingsStore } from './core/settings/settings-store.js';
import { placeWalls, type DisplayInfo } from './core/wall/display-placement.js';

export async function showWalls(core: Core, session: () => string | null, store: (name: string) => SettingsStore, newWindow: (wallId: string, bounds: Electron.Rectangle) => BrowserWindow): Promise<void> {
  const windows = new Map<string, BrowserWindow>();
  /** The display each open wall window is on, so a pass that changes nothing moves nothing. */
  const shownOn = new Map<string, number>();
  // What the signed-in person may see (no export progress for an operator, nothing before a sign-in).
  core.onEvent((event) => {
    const person = core.person(session());
    if (!person || !eventVisibleTo(person.role, event)) return;
    for (const window of windows.values()) if (!window.isDestroyed()) window.webContents.send(IPC_EVENT, event);
  });
  const openWall = (wallId: string, bounds: Electron.Rectangle): BrowserWindow => {
    const window = newWindow(wallId, bounds);
    window.on('closed', () => (windows.delete(wallId), shownOn.delete(wallId)));
    return window;
  };

  // Which display each wall was on, so a restart (or a monitor plugged back in) puts it back there.
  const placementStore = store('displays');
  /** The walls as the last pass saw them (null before the first), to tell a wall closed from one opened. */
  let known: Set<string> | null = null;
  /** Displays whose wall was closed: no wall is added for them until someone opens a wall. */
  const leftEmpty = new Set<number>();
  let arranging: Promise<void> | null = null;
  let again = false;
  const arrange = async (): Promise<void> => {
    const primary = screen.getPrimaryDisplay().id;
    const allDisplays: DisplayInfo[] = screen.getAllDisplays().map((d) => ({ id: d.id, workArea: d.workArea, primary: d.id === primary }));
    const saved = (placementStore.get('displays') ?? {}) as Record<string, number>;
    const wallIds = async () => (await core.system.listWalls()).map((w) => w.id);
    const walls = await wallIds();
    if (known) {
      for (const wallId of known) if (!walls.includes(wallId) && shownOn.has(wallId)) leftEmpty.add(shownOn.get(wallId)!);
      if (walls.some((wallId) => !known!.has(wallId))) leftEmpty.clear();
    }
    const displays = allDisplays.filter((d) => !leftEmpty.has(d.id));
    let plan = placeWalls(displays, walls, saved);
    for (let i = 0; i < plan.wallsMissing; i++) await core.system.addWall();
    if (plan.wallsMissing > 0) plan = placeWalls(displays, await wallIds(), saved);
    known = new Set(await wallIds());
    for (const { wallId, displayId, bounds } of plan.placements) {
      const window = windows.get(wallId);
      if (!window || window.isDestroyed()) windows.set(wallId, openWall(wallId, bounds));
      else if (shownOn.get(wallId) !== displayId) (window.setBounds(bounds), window.maximize());
      shownOn.set(wallId, displayId);
    }
    for (const [wallId, window] of windows) if (!plan.placements.some((p) => p.wallId === wallId)) window.close();
    // Every tile change passes here (wall.changed); the file is written only when a wall moved.
    const next = { ...saved, ...Object.fromEntries(plan.placements.map((p) => [p.wallId, p.displayId])) };
    if (JSON.stringify(next) !== JSON.stringify(saved)) placementStore.set('displays', next);
  };
  /** Displays come and go, walls are added and removed (presets): arrange again, one pass at a time. */
  const rearrange = () => {
    if (arranging) {
      again = true;
      return;
    }
    arranging = arrange()
      .catch((error: unknown) => core.logger.log('error', 'shell.arrange-failed', { error: String(error) }))
      .finally(() => {
        arranging = null;
        if (again) (again = false), rearrange();
      });
  };
  screen.on('display-added', rearrange);
  screen.on('display-removed', rearrange);
  screen.on('display-metrics-changed', rearrange);
  core.onEvent((event) => event.type === 'wall.changed' && rearrange());
  rearrange();
  await arranging;
}
