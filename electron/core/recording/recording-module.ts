/**
 * Recording as a feature: segments on disk and their index, crash leftovers filed at start, the
 * recording checked against the index, retention on a timer, and recorded footage served to
 * players (HLS playlists over signed links; each playlist served is a viewing in the ledger).
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RetentionSettings } from '../../../shared/api.js';
import { playlistQuerySchema, retentionSchema } from '../../../shared/schemas.js';
import type { AuditModule } from '../audit/audit-module.js';
import type { CamerasModule } from '../cameras/cameras-module.js';
import type { FeatureModule, MediaRoute } from '../feature-module.js';
import { sendFile, sendJson, sendText } from '../http-reply.js';
import type { Logger } from '../logger.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { hlsPlaylist } from './hls-playlist.js';
import { needsPlaybackTranscode, transcodeSegment } from './playback-transcode.js';
import { fileLeftoverRuns, reconcileRecordings, type ReconcileReport } from './recording-reconciler.js';
import { RecordingStore, type Audit } from './recording-store.js';
import { applyRetention, DEFAULT_RETENTION, type FreeSpaceFloor } from './retention.js';
import { SegmentIndex } from './segment-index.js';
import { MAX_CLOCK_OFFSET_MS, SegmentRecorder } from './segment-recorder.js';
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
  /** Wall and monotonic clocks (tests set them to jump). */
  clocks?: Clocks;
}

export interface RecordingModule extends FeatureModule {
  readonly root: string;
  readonly index: SegmentIndex;
  /** The recorder of a camera that records now, or null. */
  recorderFor(cameraId: string): SegmentRecorder | null;
  /** Settles once crash leftovers are filed: no stream may start before (its run would be taken for one). */
  readonly leftoversFiled: Promise<void>;
  /** Settles once recordings are reconciled with the index and a first retention pass ran. */
  readonly ready: Promise<ReconcileReport>;
  applyRetention(): Promise<{ deleted: number; freedBytes: number }>;
}

export function createRecordingModule(deps: { dataDir: string; logger: Logger; settings: SettingsStore; audit: AuditModule; cameras: CamerasModule; options: RecordingOptions }): RecordingModule {
  const { logger, options } = deps;
  const registry = deps.cameras.registry;
  const index = new SegmentIndex(join(deps.dataDir, 'recordings.sqlite'));
  const root = options.recordingsDir ?? join(deps.dataDir, 'recordings');
  const auditSystem: Audit = (action, subject, details) => deps.audit.ledger.append('system', action, subject, details);
  const store = new RecordingStore({ root, index, audit: auditSystem, logger });

  const recorders = new Map<string, SegmentRecorder>();
  const recorderFor = (cameraId: string): SegmentRecorder | null => {
    if (!registry.has(cameraId) || !registry.get(cameraId).recording) return null;
    let recorder = recorders.get(cameraId);
    if (!recorder) {
      const onError = (error: unknown) => logger.log('error', 'recording.commit-failed', { cameraId, error: String(error) });
      recorder = new SegmentRecorder(cameraId, store, onError, options.segmentSeconds);
      recorders.set(cameraId, recorder);
    }
    return recorder;
  };
  const offArchive = deps.cameras.onDidArchive((camera) => void recorders.delete(camera.id));

  const retention = (): RetentionSettings => {
    const saved = retentionSchema.safeParse(deps.settings.get('retention'));
    return saved.success ? saved.data : { ...DEFAULT_RETENTION, ...options.retention };
  };
  const clock = new TrustedClock((jump) => auditSystem('clock.jump', 'clock', { ...jump }), options.clocks);
  let retentionRun: Promise<{ deleted: number; freedBytes: number }> | null = null;
  const runRetention = () =>
    (retentionRun ??= applyRetention(index, root, retention(), clock.now(), auditSystem, options.freeSpaceFloor)
      .then((result) => {
        // An archived camera is forgotten once retention has ended all its footage.
        const withFootage = new Set(index.cameraIds());
        for (const gone of registry.forgetArchived((id) => withFootage.has(id))) logger.log('info', 'cameras.archive-emptied', { cameraId: gone.id });
        return result;
      })
      .finally(() => (retentionRun = null)));

  // Comparing the day folders with the index takes long with a month of footage, so it runs after
  // recording has started; only crash leftovers are filed first.
  const leftovers = fileLeftoverRuns(store);
  const leftoversFiled = leftovers.then(() => undefined, () => undefined);
  const closing = new AbortController();
  const ready = (async () => {
    const filed = await leftovers;
    const report = await reconcileRecordings(store, index, deps.audit.captureHashes, auditSystem, logger, { leftovers: filed, signal: closing.signal });
    if (!closing.signal.aborted) await runRetention();
    return report;
  })();
  ready.catch((error) => logger.log('error', 'recording.start-failed', { error: String(error) }));
  const retentionTimer = setInterval(() => {
    runRetention().catch((error) => logger.log('error', 'retention.failed', { error: String(error) }));
  }, options.retentionIntervalMs ?? 60_000);

  const segmentFile = (segmentId: number) => {
    const row = index.byId(segmentId);
    return row && !row.missing ? join(root, row.path) : null;
  };

  const mediaRoutes: MediaRoute[] = [
    {
      // /media/segments/<id>.ts
      pattern: /^\/media\/segments\/(\d{1,15})\.ts$/,
      serve({ res }, match) {
        const file = segmentFile(Number(match[1]));
        if (!file || !existsSync(file)) return sendText(res, 404, 'No such recorded segment.');
        if (needsPlaybackTranscode(file)) return serveTranscoded(file, res, logger);
        sendFile(res, file, logger, { 'Content-Type': 'video/mp2t', 'Cache-Control': 'private, max-age=3600' });
      },
    },
    {
      // /media/<camera>/recording.m3u8?fromMs=&toMs=[&startMs=][&open=1]
      pattern: /^\/media\/([^/]+)\/recording\.m3u8$/,
      serve({ url, res, person, sign }, match) {
        const q = url.searchParams;
        const parsed = playlistQuerySchema.safeParse({
          cameraId: decodeURIComponent(match[1]!),
          fromMs: Number(q.get('fromMs')),
          toMs: Number(q.get('toMs')),
          ...(q.has('startMs') ? { startMs: Number(q.get('startMs')) } : {}),
        });
        if (!parsed.success) return sendJson(res, 400, { error: { code: 'media.invalid-range', message: parsed.error.issues[0]?.message ?? 'Invalid time range.' } });
        const { cameraId, fromMs, toMs, startMs } = parsed.data;
        let name: string;
        try {
          name = registry.get(cameraId).name;
        } catch (error) {
          return sendText(res, 404, (error as Error).message);
        }
        deps.audit.ledger.append({ name: person.name, role: person.role }, 'recording.view', cameraId, { name, fromMs, toMs });
        const text = hlsPlaylist(index.segments(cameraId, fromMs, toMs), { uri: (s) => sign(`/media/segments/${s.id}.ts`), open: q.get('open') === '1', startMs });
        res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'no-store' });
        res.end(text);
      },
    },
  ];

  return {
    root,
    index,
    recorderFor,
    leftoversFiled,
    ready,
    applyRetention: runRetention,
    mediaRoutes,
    handlers: {
      listRecordings: async ({ cameraId, fromMs, toMs }) => {
        registry.get(cameraId);
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
    },
    async dispose() {
      clearInterval(retentionTimer);
      offArchive();
      closing.abort();
      await ready.catch(() => undefined);
      await retentionRun?.catch(() => undefined);
      index.close();
    },
  };
}

/** A segment the browser cannot decode, re-encoded while it is sent; the encode stops if the viewer leaves. */
function serveTranscoded(file: string, res: import('node:http').ServerResponse, logger: Logger): void {
  const { output, stop, failed } = transcodeSegment(file);
  res.on('close', stop);
  let started = false;
  output.once('data', () => {
    started = true;
    res.writeHead(200, { 'Content-Type': 'video/mp2t', 'Cache-Control': 'private, max-age=3600', 'X-Watchroom-Transcoded': 'h264' });
  });
  output.pipe(res, { end: false });
  void failed.then((problem) => {
    if (problem) logger.log('warn', 'playback.transcode-failed', { file: basename(file), problem });
    if (!started && !res.headersSent) return sendText(res, 422, 'This recorded segment could not be converted for playback.');
    res.end();
  });
}
