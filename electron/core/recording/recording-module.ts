/**
 * Recording as a feature: segments on disk and their index, crash leftovers filed at start, the
 * recording checked against the index, retention on a timer, and recorded footage served to
 * players (HLS playlists over signed links; each playlist served is a viewing in the ledger) and to
 * the timeline (a picture per camera and moment).
 */
import { join } from 'node:path';
import type { RetentionSettings } from '../../../shared/api.js';
import { retentionSchema } from '../../../shared/schemas.js';
import type { AuditModule } from '../audit/audit-module.js';
import type { CameraRegistry } from '../cameras/camera-registry.js';
import type { CamerasModule } from '../cameras/cameras-module.js';
import type { LookingBack } from './looking-back.js';
import { recordingMediaRoutes } from './recording-media.js';
import { DisposableStore, interval, toDisposable } from '../disposables.js';
import type { FeatureModule } from '../feature-module.js';
import type { Logger } from '../logger.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { fileLeftoverRuns, reconcileRecordings, type ReconcileReport } from './recording-reconciler.js';
import { RecordingStore, type Audit } from './recording-store.js';
import { fileDeletionReceipt, type ReceiptDeps } from './deletion-receipt.js';
import { applyRetention, DEFAULT_FREE_SPACE_FLOOR, DEFAULT_RETENTION, type FreeSpaceFloor, type RetentionResult } from './retention.js';
import { SEAL_AFTER_MS, sealOpenMinutes } from './minute-batches.js';
import { SegmentIndex } from './segment-index.js';
import type { SiteFootage } from '../recorders/site-footage.js';
import { MAX_CLOCK_OFFSET_MS, SegmentRecorder } from './segment-recorder.js';
import { pruneTimelineThumbnails, timelineThumbnailRoute, type MaskFor } from './timeline-thumbnails.js';
import { localMomentFootage, siteMomentFootage, type MomentFootage } from './moment-footage.js';

/** How often a site's workstation drops pictures of footage its recorders no longer have (a question per camera to the directory). */
const SITE_PICTURE_PRUNE_MS = 10 * 60_000;
import { TrustedClock, type Clocks } from './trusted-clock.js';

export interface RecordingOptions {
  /** Where segments are written; `<dataDir>/recordings` by default. */
  recordingsDir?: string;
  segmentSeconds?: number;
  /** Retention when none is saved yet (default: 31 days, 200 GB in total). */
  retention?: Partial<RetentionSettings>;
  retentionIntervalMs?: number;
  /** Free space retention keeps on the recordings disk (default: 5 % or 2 GB, the larger). */
  freeSpaceFloor?: FreeSpaceFloor;
  /** Timeline pictures kept at most (default MAX_TIMELINE_THUMBNAILS). */
  timelineThumbnailsKept?: number;
  /** Wall and monotonic clocks (tests set them to jump). */
  clocks?: Clocks;
  /** In a site, whether this process records the camera now (a recorder holding its lease); every camera that records, on one machine. */
  records?: (cameraId: string) => boolean;
  /** A site's workstation: it has no footage of its own; its timeline and playback are the site's recorders'. */
  siteFootage?: SiteFootage;
  /** Runs before each retention pass (a site's recorder reads the directory's evidence locks); a failure does not stop the pass. */
  beforeRetention?: () => Promise<void>;
}

export interface RecordingModule extends FeatureModule {
  readonly root: string;
  readonly index: SegmentIndex;
  /** Segments around a moment as files to take a picture from: this machine's, or a site's recorders'. */
  readonly footage: MomentFootage;
  /** The recorder of a camera that records now, or null. */
  recorderFor(cameraId: string): SegmentRecorder | null;
  /** Settles once crash leftovers are filed: no stream may start before (its run would be taken for one). */
  readonly leftoversFiled: Promise<void>;
  /** Settles once recordings are reconciled with the index and a first retention pass ran. */
  readonly ready: Promise<ReconcileReport>;
  applyRetention(): Promise<RetentionResult>;
}

export function createRecordingModule(deps: { dataDir: string; logger: Logger; settings: SettingsStore; audit: AuditModule; cameras: CamerasModule; lookingBack: LookingBack; maskFor: MaskFor; options: RecordingOptions }): RecordingModule {
  const { logger, options } = deps;
  const registry = deps.cameras.registry;
  const index = new SegmentIndex(join(deps.dataDir, 'recordings.sqlite'));
  const root = options.recordingsDir ?? join(deps.dataDir, 'recordings');
  const auditSystem: Audit = (action, subject, details) => deps.audit.ledger.append('system', action, subject, details);
  const store = new RecordingStore({ root, index, audit: auditSystem, logger });

  const { recorderFor, recorders } = segmentRecorders({ registry, store, options, logger });
  const owned = new DisposableStore();
  owned.add(toDisposable(deps.cameras.onDidArchive((camera) => void recorders.delete(camera.id))));

  const retention = (): RetentionSettings => {
    const saved = retentionSchema.safeParse(deps.settings.get('retention'));
    return saved.success ? saved.data : { ...DEFAULT_RETENTION, ...options.retention };
  };
  const pictures = timelinePictures({ ...deps, index, root });
  const receipts = { dataDir: deps.dataDir, key: deps.audit.signingKey, audit: auditSystem, cameraName: (id: string) => nameOrUnknown(registry, id) };
  const runRetention = retentionRunner({ index, root, retention, auditSystem, logger, registry, options, pictures, receipts });

  // Comparing the day folders with the index takes long with a month of footage, so it runs after
  // recording has started; only crash leftovers are filed first.
  const leftovers = fileLeftoverRuns(store);
  const leftoversFiled = leftovers.then(() => undefined, () => undefined);
  const closing = new AbortController();
  const ready = (async () => {
    const filed = await leftovers;
    const report = await reconcileRecordings(store, index, deps.audit.captureEntries, auditSystem, logger, { leftovers: filed, signal: closing.signal });
    if (!closing.signal.aborted) await runRetention();
    return report;
  })();
  ready.catch((error) => logger.log('error', 'recording.start-failed', { error: String(error) }));
  owned.add(interval(() => void runRetention().catch((error) => logger.log('error', 'retention.failed', { error: String(error) })), options.retentionIntervalMs ?? 60_000));
  // A site's workstation keeps pictures of footage its recorders delete: they go as that footage does.
  if (options.siteFootage) owned.add(interval(() => void pictures.sweep().catch((error: Error) => logger.log('warn', 'recording.thumbnail-prune-failed', { error: error.message })), SITE_PICTURE_PRUNE_MS));
  // A camera that stopped delivering (its run not ended yet) still gets its minute sealed.
  const sealEnded = (endedBefore = Date.now() - SEAL_AFTER_MS) => {
    try {
      sealOpenMinutes(index, auditSystem, undefined, { endedBefore });
    } catch (error) {
      logger.log('error', 'recording.seal-failed', { error: String(error) });
    }
  };
  owned.add(interval(() => sealEnded(), SEAL_AFTER_MS / 3));

  const mediaRoutes = [
    ...recordingMediaRoutes({ root, index, registry, ledger: deps.audit.ledger, lookingBack: deps.lookingBack, logger, siteFootage: options.siteFootage }),
    pictures.route,
  ];

  return {
    root,
    index,
    footage: pictures.footage,
    recorderFor,
    leftoversFiled,
    ready,
    applyRetention: runRetention,
    mediaRoutes,
    handlers: recordingHandlers({ index, registry, retention, settings: deps.settings, runRetention, ready, logger, siteFootage: options.siteFootage }),
    async dispose() {
      owned.dispose();
      closing.abort();
      await ready.catch(() => undefined);
      await runRetention.settled();
      // Every run has ended (streams close first): what is still open is sealed before the ledger
      // closes; if it cannot be, the rows stay open and the next start seals them.
      sealEnded(Number.MAX_SAFE_INTEGER);
      index.close();
    },
  };
}

/** One segment recorder per camera this process records now, made when its stream first asks. */
function segmentRecorders(deps: { registry: CameraRegistry; store: RecordingStore; options: RecordingOptions; logger: Logger }) {
  const recorders = new Map<string, SegmentRecorder>();
  const recorderFor = (cameraId: string): SegmentRecorder | null => {
    if (!deps.registry.has(cameraId) || !deps.registry.get(cameraId).recording || !(deps.options.records?.(cameraId) ?? true)) return null;
    let recorder = recorders.get(cameraId);
    if (!recorder) {
      const onError = (error: unknown) => deps.logger.log('error', 'recording.commit-failed', { cameraId, error: String(error) });
      recorder = new SegmentRecorder(cameraId, deps.store, onError, deps.options.segmentSeconds);
      recorders.set(cameraId, recorder);
    }
    return recorder;
  };
  return { recorderFor, recorders };
}

/** Timeline pictures: the footage they are taken from (this machine's, or the site's recorders'), their route, and their sweep. */
function timelinePictures(deps: { dataDir: string; index: SegmentIndex; root: string; cameras: CamerasModule; lookingBack: LookingBack; logger: Logger; maskFor: MaskFor; options: RecordingOptions }) {
  const { options } = deps;
  const dir = join(deps.dataDir, 'thumbnails', 'timeline');
  const footage = options.siteFootage ? siteMomentFootage(options.siteFootage, join(deps.dataDir, 'footage-copies')) : localMomentFootage(deps.index, deps.root);
  const route = timelineThumbnailRoute({ footage, cacheDir: dir, registry: deps.cameras.registry, lookingBack: deps.lookingBack, logger: deps.logger, maskFor: deps.maskFor, maxKept: options.timelineThumbnailsKept });
  return { footage, route, sweep: () => pruneTimelineThumbnails(dir, footage) };
}

/**
 * One retention pass at a time, however many ask (the timer, a settings change, start-up); a pass
 * that deleted anything files its signed receipt; an archived camera is forgotten once retention has
 * ended all its footage, and the timeline's pictures of deleted footage go with it.
 */
function retentionRunner(deps: {
  index: SegmentIndex;
  root: string;
  retention: () => RetentionSettings;
  auditSystem: Audit;
  logger: Logger;
  registry: CameraRegistry;
  options: RecordingOptions;
  pictures: { sweep(): Promise<number> };
  receipts: ReceiptDeps;
}): RetentionRunner {
  const clock = new TrustedClock((jump) => deps.auditSystem('clock.jump', 'clock', { ...jump }), deps.options.clocks);
  const floor = deps.options.freeSpaceFloor ?? DEFAULT_FREE_SPACE_FLOOR;
  let running: Promise<RetentionResult> | null = null;
  const pass = async () => {
    await deps.options.beforeRetention?.();
    const at = clock.now();
    const policy = deps.retention();
    const result = await applyRetention(deps.index, deps.root, policy, at, deps.auditSystem, floor);
    if (result.segments.length > 0) fileDeletionReceipt(deps.receipts, { at, policy, floor, deleted: result.segments });
    return result;
  };
  const run = () =>
    (running ??= pass()
      .then(async (result) => {
        const withFootage = new Set(deps.index.cameraIds());
        for (const gone of await deps.registry.forgetArchived((id) => withFootage.has(id))) deps.logger.log('info', 'cameras.archive-emptied', { cameraId: gone.id });
        if (result.deleted > 0) await deps.pictures.sweep();
        return result;
      })
      .finally(() => (running = null)));
  return Object.assign(run, { settled: () => running?.catch(() => undefined) });
}

type RetentionRunner = (() => Promise<RetentionResult>) & { settled(): Promise<unknown> | undefined };

/** Recording's slice of the contract: ranges, retention and the start-up check. */
function recordingHandlers(deps: {
  index: SegmentIndex;
  registry: CameraRegistry;
  retention: () => RetentionSettings;
  settings: SettingsStore;
  runRetention: () => Promise<unknown>;
  ready: Promise<ReconcileReport>;
  logger: Logger;
  siteFootage: SiteFootage | undefined;
}): FeatureModule['handlers'] {
  const { index, registry, retention, runRetention, ready, logger } = deps;
  return {
    listRecordings: async ({ cameraId, fromMs, toMs }) => {
      registry.get(cameraId);
      if (deps.siteFootage) return deps.siteFootage.ranges(cameraId, fromMs, toMs);
      const ranges = index.ranges(cameraId, fromMs, toMs);
      const reanchored = index.clockDriftsAt(cameraId, fromMs, toMs, MAX_CLOCK_OFFSET_MS);
      if (!reanchored.length) return ranges;
      return ranges.map((r) => ({ ...r, reanchoredAtMs: reanchored.filter((ms) => ms > r.startMs && ms <= r.endMs) }));
    },
    getRetention: async () => retention(),
    setRetention: async (next, ctx) => {
      const before = retention();
      deps.settings.set('retention', next);
      ctx.record('retention', { before, after: next });
      void runRetention().catch((error) => logger.log('error', 'retention.failed', { error: String(error) }));
      return next;
    },
    getStorageUsage: async () => index.usage(),
    getRecordingCheck: async () => ready,
  };
}

/** A camera's name for a receipt; footage can outlive its camera's record (forgotten once emptied). */
function nameOrUnknown(registry: CameraRegistry, id: string): string {
  try {
    return registry.get(id).name;
  } catch {
    return '(camera no longer configured)';
  }
}
