import { describe, expect, it } from 'vitest';
import { fillEmptyTiles, normalizeWall, removeFromWall } from '../../electron/core/wall/wall-state.js';
import { LAYOUTS, tileCount } from '../../shared/layouts.js';
import { swapTiles, withTile, withTileTour } from '../../renderer/src/wall/wall-edits.js';

describe('layouts', () => {
  it('have the advertised tile counts and tile the grid without overlap', () => {
    expect(Object.values(LAYOUTS).map((l) => [l.id, tileCount(l.id)])).toEqual([['1', 1], ['2x2', 4], ['3x3', 9], ['4x4', 16], ['1+5', 6], ['1+7', 8]]);
    for (const layout of Object.values(LAYOUTS)) {
      const covered = new Set<string>();
      for (const [c, r, cs, rs] of layout.cells) for (let x = c; x < c + cs; x++) for (let y = r; y < r + rs; y++) {
        expect(covered.has(`${x},${y}`)).toBe(false);
        covered.add(`${x},${y}`);
      }
      expect(covered.size).toBe(layout.columns * layout.rows);
    }
  });
});

describe('wall state', () => {
  const exists = (id: string) => id.startsWith('cam');
  it('pads to the layout and drops cameras that no longer exist', () => {
    expect(normalizeWall({ layout: '2x2', tiles: ['cam1', 'gone'] }, exists)).toEqual({ layout: '2x2', tiles: ['cam1', null, null, null] });
  });
  it('keeps tiles beyond a smaller layout so switching back restores them', () => {
    const wall = normalizeWall({ layout: '1', tiles: ['cam1', 'cam2', 'cam3', null] }, exists);
    expect(wall.tiles).toEqual(['cam1', 'cam2', 'cam3', null]);
  });
  it('fills visible empty tiles in order with cameras not yet shown', () => {
    expect(fillEmptyTiles({ layout: '2x2', tiles: [null, 'cam1', null, null] }, ['cam1', 'cam2', 'cam3', 'cam4', 'cam5'])).toEqual({
      layout: '2x2',
      tiles: ['cam2', 'cam1', 'cam3', 'cam4'],
    });
  });
  it('clears every tile that showed a removed camera', () => {
    expect(removeFromWall({ layout: '2x2', tiles: ['cam1', 'cam2', 'cam1', null] }, 'cam1').tiles).toEqual([null, 'cam2', null, null]);
  });
});

describe('tours on the wall', () => {
  const tour = { cameraIds: ['a', 'b', 'c'], dwellSeconds: 5 };

  it('a tile tour starts on its first camera, moves with a swap, and ends when a camera is put on the tile', () => {
    const started = withTileTour({ layout: '2x2', tiles: ['x', 'y', null, null] }, 1, tour);
    expect(started.tiles[1]).toBe('a');
    const swapped = swapTiles(started, 1, 3);
    expect(swapped.tours?.[3]).toEqual(tour);
    expect(swapped.tours?.[1]).toBeNull();
    expect(withTile(swapped, 3, 'x').tours?.[3]).toBeNull();
  });

  it('a tour loses cameras that are gone, and ends when fewer than two are left', () => {
    const wall = normalizeWall({ layout: '2x2', tiles: [], tours: [tour, { cameraIds: ['a', 'gone'], dwellSeconds: 5 }], tour }, (id) => id !== 'c' && id !== 'gone');
    expect(wall.tours?.[0]).toEqual({ cameraIds: ['a', 'b'], dwellSeconds: 5 });
    expect(wall.tours?.[1]).toBeNull();
    expect(wall.tour).toEqual({ cameraIds: ['a', 'b'], dwellSeconds: 5 });
  });
});
