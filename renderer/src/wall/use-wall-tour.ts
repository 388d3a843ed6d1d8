/** A whole-wall tour: its cameras a wall-full at a time, which page shows now and how long it stays. */
import type { WallState } from '../../../shared/api.js';
import { useTour, type TourPosition } from './use-tour';
import { visibleTiles } from './wall-edits';

export interface WallTour {
  /** The cameras of each page, a wall-full each. */
  pages: string[][];
  position: TourPosition | null;
}

function pagesOf(cameraIds: readonly string[], perPage: number): string[][] {
  const pages: string[][] = [];
  for (let i = 0; i < cameraIds.length; i += perPage) pages.push(cameraIds.slice(i, i + perPage));
  return pages;
}

/** `held`: the operator's pointer or focus is on the wall, and the tour waits for them. */
export function useWallTour(wall: WallState | null, held: boolean): WallTour {
  const pages = wall?.tour ? pagesOf(wall.tour.cameraIds, visibleTiles(wall).length) : [];
  const position = useTour(wall?.tour, pages.length, held);
  return { pages, position };
}
