import { describe, expect, it } from 'vitest';
import { fillEmptyTiles, normalizeWall, removeFromWall } from '../../electron/core/wall/wall-state.js';
import { LAYOUTS, tileCount } from '../../shared/layouts.js';

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
