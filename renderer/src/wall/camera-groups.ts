/**
 * The camera list by site or group: groups in alphabetical order, cameras by name within them,
 * cameras with no group last. A search matches the camera's name or its group. Every list has a
 * heading that says what it holds (a <details> without one reads "Details").
 */
import type { CameraView } from '../../../shared/api.js';

export interface CameraGroup {
  /** null: cameras with no group. */
  name: string | null;
  /** What the list is headed: the site's name; "Cameras" when no camera has a site, "Other cameras" beside sites. */
  heading: string;
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
  // Judged on every camera, not the matches, so the heading stays put while the operator types.
  const ungrouped = cameras.some((c) => c.group) ? 'Other cameras' : 'Cameras';
  return [...groups.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : byName(a, b)))
    .map(([name, list]) => ({ name, heading: name ?? ungrouped, cameras: [...list].sort((x, y) => byName(x.name, y.name)) }));
}
