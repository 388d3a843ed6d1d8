/**
 * Which wall goes on which display (Electron: one wall window per display). Pure, so it is tested
 * with display lists alone. A wall returns to the display it was on when that display is connected;
 * the main wall is always shown (on its own display, else the primary one); every other display
 * shows a wall, and where there are too few walls the shell adds them. A wall whose display is gone
 * keeps its layout and comes back when the display does.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DisplayInfo {
  id: number;
  /** The area windows may use (the display minus task bars). */
  workArea: Rect;
  primary: boolean;
}

export interface WallPlacement {
  wallId: string;
  displayId: number;
  bounds: Rect;
}

export interface PlacementPlan {
  placements: WallPlacement[];
  /** Displays that have no wall yet: the shell adds this many walls and plans again. */
  wallsMissing: number;
}

export function placeWalls(displays: readonly DisplayInfo[], wallIds: readonly string[], saved: Readonly<Record<string, number>>, mainWallId = 'wall-1'): PlacementPlan {
  // Primary first, then left to right, top to bottom: the order free displays are filled in.
  const ordered = [...displays].sort((a, b) => Number(b.primary) - Number(a.primary) || a.workArea.x - b.workArea.x || a.workArea.y - b.workArea.y);
  const free = new Map(ordered.map((d) => [d.id, d]));
  const placements: WallPlacement[] = [];
  const place = (wallId: string, display: DisplayInfo) => {
    placements.push({ wallId, displayId: display.id, bounds: display.workArea });
    free.delete(display.id);
  };
  const savedDisplay = (wallId: string) => (saved[wallId] !== undefined ? free.get(saved[wallId]!) : undefined);

  if (wallIds.includes(mainWallId) && ordered.length > 0) place(mainWallId, savedDisplay(mainWallId) ?? ordered.find((d) => free.has(d.id))!);
  const others = wallIds.filter((id) => id !== mainWallId);
  for (const wallId of others) {
    const display = savedDisplay(wallId);
    if (display) place(wallId, display);
  }
  for (const wallId of others) {
    if (free.size === 0) break;
    // Walls saved on a display that is gone wait for it rather than take another display.
    const waiting = saved[wallId] !== undefined && !displays.some((d) => d.id === saved[wallId]);
    if (!placements.some((p) => p.wallId === wallId) && !waiting) place(wallId, free.values().next().value!);
  }
  return { placements, wallsMissing: free.size };
}
