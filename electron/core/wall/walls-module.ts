/** Walls as a feature: new cameras fill empty tiles, archived ones leave every wall and preset tile. */
import type { CoreEvent } from '../../../shared/events.js';
import type { CamerasModule } from '../cameras/cameras-module.js';
import { DisposableStore, toDisposable } from '../disposables.js';
import type { FeatureModule } from '../feature-module.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { createWallService } from './wall-service.js';

export function createWallsModule(deps: { settings: SettingsStore; cameras: CamerasModule; emit(event: CoreEvent): void }): FeatureModule {
  const walls = createWallService({ settings: deps.settings, cameraIds: () => deps.cameras.registry.list().map((r) => r.id), onChange: () => deps.emit({ type: 'wall.changed' }) });
  const owned = new DisposableStore();
  owned.add(toDisposable(deps.cameras.onDidAdd((added) => walls.camerasAdded(added.map((r) => r.id)))));
  owned.add(toDisposable(deps.cameras.onDidArchive((camera) => walls.cameraRemoved(camera.id))));
  return { handlers: walls.handlers, dispose: () => owned.dispose() };
}
