import type { WallState } from '../../../shared/api.js';
import { api } from '../api/client';
import { useCoreResource } from '../api/use-core-resource';
import { THIS_WALL } from './this-wall';

const getWall = () => api.getWall({ wallId: THIS_WALL });

/** This window's wall as the core keeps it; every change goes through setWall so all windows and restarts agree. */
export function useWall(): { wall: WallState | null; error: string | null; setWall(next: WallState): void } {
  const { data, error, change } = useCoreResource(getWall, 'wall.changed');
  return { wall: data, error, setWall: (next) => change(next, api.setWall({ wallId: THIS_WALL, state: next })) };
}
