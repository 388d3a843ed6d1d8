/**
 * The camera list by site or group: groups in alphabetical order, cameras by name within them,
 * cameras with no group last. A search matches the camera's name or its group.
 */
import type { CameraView } from '../../../shared/api.js';

export interface CameraGroup {
  /** null: cameras with no group. */
  name: string | null;
  cameras: CameraView[];
}

const byName = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });

export function groupCameras(cameras: readonly CameraView[], query: string): CameraGroup[] {
  const needle = query.trim().toLowerCase();
  const matching = cameras.filter((c) => c.name.toLowerCase().includes(needle) || (c.group ?? '').toLowerCase().includes(needle));
  const groups = new Map<string | null, CameraView[]>();
  for (const camera of matching) {
    const key = camera.group ?? null;
    groups.set(key, [...(groups.get(key) ?? []), camera]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : byName(a, b)))
    .map(([name, list]) => ({ name, cameras: [...list].sort((x, y) => byName(x.name, y.name)) }));
}
