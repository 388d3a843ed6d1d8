/** One wall window per display: placement, a display removed, a display added, a restart. */
import { describe, expect, it } from 'vitest';
import { placeWalls, type DisplayInfo } from '../../electron/core/wall/display-placement.js';

const display = (id: number, x: number, primary = false): DisplayInfo => ({ id, primary, workArea: { x, y: 0, width: 1920, height: 1040 } });
const left = display(11, -1920);
const centre = display(22, 0, true);
const right = display(33, 1920);
const where = (plan: ReturnType<typeof placeWalls>) => Object.fromEntries(plan.placements.map((p) => [p.wallId, p.displayId]));

describe('placeWalls', () => {
  it('puts the main wall on the primary display and asks for a wall for every other display', () => {
    const plan = placeWalls([left, centre, right], ['wall-1'], {});
    expect(where(plan)).toEqual({ 'wall-1': 22 });
    expect(plan.wallsMissing).toBe(2);
    expect(plan.placements[0]!.bounds).toEqual(centre.workArea);
  });

  it('fills the other displays left to right with the walls there are', () => {
    const plan = placeWalls([right, centre, left], ['wall-1', 'wall-2', 'wall-3'], {});
    expect(where(plan)).toEqual({ 'wall-1': 22, 'wall-2': 11, 'wall-3': 33 });
    expect(plan.wallsMissing).toBe(0);
  });

  it('after a restart every wall goes back to the display it was on', () => {
    const saved = { 'wall-1': 33, 'wall-2': 22, 'wall-3': 11 };
    expect(where(placeWalls([left, centre, right], ['wall-1', 'wall-2', 'wall-3'], saved))).toEqual(saved);
  });

  it('a display removed: its wall waits (no window) and no other wall moves', () => {
    const saved = { 'wall-1': 22, 'wall-2': 11, 'wall-3': 33 };
    const plan = placeWalls([centre, right], ['wall-1', 'wall-2', 'wall-3'], saved);
    expect(where(plan)).toEqual({ 'wall-1': 22, 'wall-3': 33 });
    expect(plan.wallsMissing).toBe(0);
  });

  it('the main wall is never left without a display: it takes the primary when its own is gone', () => {
    const plan = placeWalls([centre], ['wall-1', 'wall-2'], { 'wall-1': 11, 'wall-2': 22 });
    expect(where(plan)).toEqual({ 'wall-1': 22 });
  });

  it('a display added: the wall that was on it comes back; a new display asks for a new wall', () => {
    const saved = { 'wall-1': 22, 'wall-2': 11 };
    expect(where(placeWalls([left, centre], ['wall-1', 'wall-2'], saved))).toEqual(saved);
    const plan = placeWalls([left, centre, right], ['wall-1', 'wall-2'], saved);
    expect(where(plan)).toEqual(saved);
    expect(plan.wallsMissing).toBe(1);
  });
});
