import type { WallState } from '../../../shared/api.js';
import { api } from '../api/client';
import { useCoreResource } from '../api/use-core-resource';

const getWall = () => api.getWall();

/** The wall as the core keeps it; every change goes through setWall so all walls and restarts agree. */
export function useWall(): { wall: WallState | null; error: string | null; setWall(next: WallState): void } {
  const { data, error, change } = useCoreResource(getWall, 'wall.changed');
  return { wall: data, error, setWall: (next) => change(next, api.setWall(next)) };
}
