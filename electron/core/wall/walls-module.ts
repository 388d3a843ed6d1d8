/**
 * Walls as a feature: new cameras fill empty tiles, archived ones leave every wall and preset tile
 * (presets are the site's in a site: another workstation's saves are told like this one's);
 * every change is in the ledger, and the walls of any past moment are read back from it.
 */
import type { CoreEvent } from '../../../shared/events.js';
import type { CamerasModule } from '../cameras/cameras-module.js';
import { DisposableStore, toDisposable } from '../disposables.js';
import type { FeatureModule } from '../feature-module.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { createWallService } from './wall-service.js';
import { wallHistory } from './wall-history.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { Directory } from '../directory/directory.js';
import { settingsPresets } from './preset-store.js';

export function createWallsModule(deps: { settings: SettingsStore; directory: Pick<Directory, 'site' | 'onChange'>; cameras: CamerasModule; ledger: AuditLedger; emit(event: CoreEvent): void }): FeatureModule {
  const walls = createWallService({
    settings: deps.settings,
    // Presets are the site's when there is a site's directory: saved on one workstation, recalled on any.
    presets: deps.directory.site?.presets ?? settingsPresets(deps.settings),
    cameraIds: () => deps.cameras.registry.list().map((r) => r.id),
    onChange: () => deps.emit({ type: 'wall.changed' }),
    auditSystem: (action, subject, details) => void deps.ledger.append('system', action, subject, details),
  });
  const history = wallHistory(deps.ledger);
  const owned = new DisposableStore();
  owned.add(toDisposable(deps.cameras.onDidAdd((added) => walls.camerasAdded(added.map((r) => r.id)))));
  owned.add(toDisposable(deps.cameras.onDidArchive((camera) => walls.cameraRemoved(camera.id))));
  owned.add(toDisposable(history.dispose));
  owned.add(toDisposable(deps.directory.onChange('presets', () => deps.emit({ type: 'wall.changed' }))));
  return { handlers: { ...walls.handlers, getWallHistory: ({ atMs }) => history.at(atMs) }, dispose: () => owned.dispose() };
}
