/** The camera list by site: sorted groups, ungrouped last, search by camera or site name. */
import { describe, expect, it } from 'vitest';
import type { CameraView } from '../../shared/api.js';
import { groupCameras } from '../../renderer/src/wall/camera-groups.js';

const cam = (name: string, group?: string): CameraView => ({ id: name.toLowerCase().replace(/\W+/g, '-'), name, url: 'rtsp://h/', hasPassword: false, enabled: true, demo: false, recording: true, ...(group ? { group } : {}) });
const cameras = [cam('Gate 10'), cam('Gate 2', 'Depot North'), cam('Bay 1', 'Depot North'), cam('Lift', 'Civic Centre'), cam('Kiosk')];
const shape = (groups: ReturnType<typeof groupCameras>) => groups.map((g) => [g.name, g.cameras.map((c) => c.name)]);

describe('groupCameras', () => {
  it('lists sites alphabetically, cameras by name (numbers in order), cameras without a site last', () => {
    expect(shape(groupCameras(cameras, ''))).toEqual([
      ['Civic Centre', ['Lift']],
      ['Depot North', ['Bay 1', 'Gate 2']],
      [null, ['Gate 10', 'Kiosk']],
    ]);
  });

  it('finds cameras by their own name or by their site', () => {
    expect(shape(groupCameras(cameras, 'gate'))).toEqual([['Depot North', ['Gate 2']], [null, ['Gate 10']]]);
    expect(shape(groupCameras(cameras, 'depot'))).toEqual([['Depot North', ['Bay 1', 'Gate 2']]]);
    expect(groupCameras(cameras, 'nothing like it')).toEqual([]);
  });

  it('heads every list with what it holds: the site, "Other cameras" beside sites, "Cameras" when there are none', () => {
    expect(groupCameras(cameras, '').map((g) => g.heading)).toEqual(['Civic Centre', 'Depot North', 'Other cameras']);
    // Still "Other cameras" while a search shows only cameras without a site.
    expect(groupCameras(cameras, 'kiosk').map((g) => g.heading)).toEqual(['Other cameras']);
    expect(groupCameras([cam('Gate 10'), cam('Kiosk')], '').map((g) => g.heading)).toEqual(['Cameras']);
  });
});
