/**
 * Cameras as a feature: the registry and its slice of the contract. Other features learn of changes
 * through events (added, archived, source changed) instead of being called one by one: streams and
 * recording start and stop, walls fill and empty their tiles.
 */
import type { CameraInput, CameraView } from '../../../shared/api.js';
import { WatchroomError } from '../../../shared/errors.js';
import { Emitter, type Event } from '../emitter.js';
import { coalesced } from '../coalesced.js';
import type { FeatureModule } from '../feature-module.js';
import type { Logger } from '../logger.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { parseCameraList, rowProblems } from './camera-import.js';
import { toView, type CameraRecord } from './camera-record.js';
import { CameraRegistry, type CameraListChange } from './camera-registry.js';
import type { CameraStore, StoredCamera } from './camera-store.js';
import { formatRtspUrl, parseRtspUrl } from './rtsp-url.js';

export interface CamerasModule extends FeatureModule {
  readonly registry: CameraRegistry;
  /** Cameras came into service (added, imported, demo). */
  readonly onDidAdd: Event<readonly CameraRecord[]>;
  /** A camera left service; its footage stays. Listeners may return a promise the removal waits for. */
  readonly onDidArchive: Event<CameraRecord>;
  /** What ffmpeg opens for a camera, or whether it records, changed: its streams restart. */
  readonly onDidChangeSource: Event<string>;
  /** Anything about the camera list changed (names and sites too), for views to reload. */
  readonly onDidChange: Event<void>;
  /** The camera's name and URL without credentials, for the ledger and manifests (archived ones too). */
  describe(id: string): { id: string; name: string; url: string };
  /** On a first run with no cameras: the built-in demo cameras. */
  addDemoIfFirstRun(): Promise<void>;
}

export function redactedUrl(url: string): string {
  const parsed = parseRtspUrl(url);
  return parsed.ok ? formatRtspUrl(parsed.url) : url;
}

/** The module's events, fired alike for this process's changes and for another's (a site's directory). */
class CameraEvents {
  readonly added = new Emitter<readonly CameraRecord[]>();
  readonly archived = new Emitter<CameraRecord>();
  readonly sourceChanged = new Emitter<string>();
  readonly changed = new Emitter<void>();

  constructor(private readonly logger: Logger) {}

  /** For changes the caller need not wait on: a listener's failure is logged, not thrown back. */
  tell<T>(emitter: Emitter<T>, value: T): void {
    void emitter.fire(value).catch((error: unknown) => this.logger.log('error', 'cameras.listener-failed', { error: String(error) }));
  }

  camerasAdded(records: CameraRecord[]): void {
    if (records.length === 0) return;
    this.tell(this.added, records);
    this.tell(this.changed, undefined);
  }

  /** Another process changed the list: this one starts, stops and restarts streams as if it had. */
  async apply(change: CameraListChange): Promise<void> {
    this.camerasAdded(change.added);
    for (const record of change.archived) await this.archived.fire(record);
    for (const id of change.sourceChanged) await this.sourceChanged.fire(id);
    if (change.changed && change.added.length === 0) this.tell(this.changed, undefined);
  }

  dispose(): void {
    for (const emitter of [this.added, this.archived, this.sourceChanged, this.changed]) emitter.dispose();
  }
}

/** `store` keeps the list (the settings file, or a site's directory); `initial` is what it holds at start. */
export function createCamerasModule(deps: { store: CameraStore; initial: readonly StoredCamera[]; settings: SettingsStore; demoWhenEmpty: boolean; logger: Logger }): CamerasModule {
  const registry = new CameraRegistry(deps.store, deps.initial);
  const events = new CameraEvents(deps.logger);
  const { added, archived, sourceChanged, changed } = events;
  const view = (r: CameraRecord): CameraView => toView(r, registry.hasPassword(r.id));
  const camerasAdded = (records: CameraRecord[]) => events.camerasAdded(records);
  const describe = (r: CameraRecord) => ({ id: r.id, name: r.name, url: redactedUrl(r.url) });
  const reloadFailed = (error: Error) => deps.logger.log('warn', 'cameras.reload-failed', { error: error.message });
  const reload = coalesced(() => registry.reload().then((change) => events.apply(change)).catch(reloadFailed));
  const stopWatching = deps.store.onChange(() => void reload());

  return {
    registry,
    onDidAdd: added.event,
    onDidArchive: archived.event,
    onDidChangeSource: sourceChanged.event,
    onDidChange: changed.event,
    describe: (id) => describe(registry.get(id)),
    async addDemoIfFirstRun() {
      if (!deps.demoWhenEmpty || registry.list().length > 0 || deps.settings.get('demoOffered') === true) return;
      deps.settings.set('demoOffered', true);
      camerasAdded(await registry.addDemo());
    },
    handlers: {
      listCameras: async (arg) => (arg?.archived ? registry.archived() : registry.list()).map(view),
      addCamera: async (input, ctx) => {
        const record = await registry.add(input);
        ctx.record(record.id, { name: record.name, url: record.url });
        camerasAdded([record]);
        return view(record);
      },
      updateCamera: async ({ id, changes }, ctx) => {
        const before = registry.streamFacts(id);
        const record = await registry.update(id, changes);
        ctx.record(id, { name: record.name, url: record.url, changed: Object.keys(changes).filter((k) => k !== 'password'), passwordChanged: changes.password !== undefined });
        events.tell(changed, undefined);
        if (registry.streamFacts(id) !== before) await sourceChanged.fire(id);
        return view(record);
      },
      removeCamera: async ({ id }, ctx) => {
        const record = await registry.archive(id);
        ctx.record(id, { name: record.name, url: record.url });
        await archived.fire(record);
        events.tell(changed, undefined);
        return null;
      },
      importCameras: async ({ text, format }, ctx) => {
        const { added: records, skipped } = await importRows(registry, text, format);
        ctx.record(format, { via: `import.${format}`, added: records.map(describe), skipped: skipped.length });
        camerasAdded(records);
        return { added: records.map(view), skipped };
      },
      addDemoCameras: async (_arg, ctx) => {
        const records = await registry.addDemo();
        ctx.record('demo', { via: 'demo', added: records.map(describe) });
        camerasAdded(records);
        return records.map(view);
      },
    },
    dispose() {
      stopWatching();
      events.dispose();
    },
  };
}


/**
 * The rows of a camera list that are not configured yet (same name and address), added all or none,
 * each field error naming its row as the file shows it. Importing the same list twice (a restart
 * with --cameras) adds nothing the second time.
 */
async function importRows(registry: CameraRegistry, text: string, format: 'json' | 'csv'): Promise<{ added: CameraRecord[]; skipped: string[] }> {
  const rows = parseCameraList(text, format);
  if (rows.length === 0) throw new WatchroomError('import.empty', 'The file lists no cameras; nothing was imported.');
  const existing = registry.list();
  const present = (row: CameraInput) => existing.some((r) => r.name === row.name.trim() && r.url === redactedUrl(row.url));
  const fresh = rows.map((row, index) => ({ ...row, index })).filter(({ camera }) => !present(camera));
  let added: CameraRecord[];
  try {
    added = await registry.addMany(
      fresh.map((f) => f.camera),
      (e, i) => ({ ...e, field: `rows[${fresh[i]!.index}].${e.field}`, message: `${fresh[i]!.where}: ${e.message}` }),
    );
  } catch (error) {
    if (error instanceof WatchroomError && error.code === 'camera.invalid' && error.fields) throw rowProblems(error.fields, format);
    throw error;
  }
  return { added, skipped: rows.filter((r) => present(r.camera)).map((r) => r.camera.name.trim()) };
}
