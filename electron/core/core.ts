/**
 * Composition root: wires cameras, streams, wall and audit into one Core that implements
 * WatchroomApi. Shells (Electron IPC, browser host) adapt to it; they do not decide.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { AuditEntry, CameraInput, CameraView, ImportResult, RetentionSettings, SessionInfo, WatchroomApi } from '../../shared/api.js';
import type { AuditStatus, CoreEvent, StreamStatus, StreamVariant } from '../../shared/events.js';
import { WatchroomError } from '../../shared/errors.js';
import { AuditLedger } from './audit/audit-ledger.js';
import { CHECKPOINTS_FILE, LedgerCheckpoints } from './audit/ledger-checkpoints.js';
import { checkLedgerAtStart, writtenWhileStopped } from './audit/ledger-startup.js';
import { lockDataDir } from './data-lock.js';
import { parseCameraList } from './cameras/camera-import.js';
import { CameraRegistry } from './cameras/camera-registry.js';
import { formatRtspUrl, parseRtspUrl } from './cameras/rtsp-url.js';
import { toView, type CameraRecord } from './cameras/camera-record.js';
import { createLogger, type Logger } from './logger.js';
import { openConfStore, type SettingsStore } from './settings/settings-store.js';
import { keyFileSecretBox, type SecretBox } from './settings/secret-box.js';
import type { StreamSink } from './streams/stream-fanout.js';
import { StreamEngine } from './streams/stream-engine.js';
import { createWallService } from './wall/wall-service.js';
import { retentionSchema } from '../../shared/schemas.js';
import { SegmentIndex } from './recording/segment-index.js';
import { RecordingStore, type Audit } from './recording/recording-store.js';
import { MAX_CLOCK_OFFSET_MS, SegmentRecorder } from './recording/segment-recorder.js';
import { fileLeftoverRuns, reconcileRecordings, type ReconcileReport } from './recording/recording-reconciler.js';
import { applyRetention, DEFAULT_RETENTION, type FreeSpaceFloor } from './recording/retention.js';
import { TrustedClock, type Clocks } from './recording/trusted-clock.js';
import { hlsPlaylist } from './recording/hls-playlist.js';
import { createEvidenceService, keysDir } from './evidence/evidence-service.js';
import { loadOrCreateSigningKey } from './evidence/signing-key.js';
import { createIncidentService } from './incidents/incident-service.js';
import { receiveFile, removeOldUploads } from './evidence/received-packages.js';
import { can, type Role } from '../../shared/roles.js';

export interface CoreOptions {
  dataDir: string;
  appVersion: string;
  shell: SessionInfo['shell'];
  /** electron-store in Electron; conf files in dataDir when omitted. */
  settings?: SettingsStore;
  credentials?: SettingsStore;
  /** Encrypts camera passwords at rest: safeStorage in Electron; a key file in dataDir when omitted. */
  secretBox?: SecretBox;
  ffmpegPath?: string;
  /** Add the built-in demo cameras on a first run with no cameras. */
  demoWhenEmpty?: boolean;
  graceMs?: number;
  stallMs?: number;
  backoff?: (failures: number) => number;
  logToStderr?: boolean;
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
  /** Where evidence packages go; `<dataDir>/exports` by default. */
  exportsDir?: string;
  /** Largest file accepted into <data>/received/ (default MAX_RECEIVED_FILE_BYTES). */
  maxReceivedFileBytes?: number;
  /** A folder elsewhere (a share, removable medium) that receives a copy of every ledger checkpoint. */
  ledgerMirror?: string;
  /** An RFC 3161 time-stamp authority that time-stamps every ledger checkpoint. */
  timestampUrl?: string;
  /** A checkpoint every this many entries (default 1,000) and, when anything happened, this often (default 5 min). */
  checkpointEvery?: { entries?: number; ms?: number };
}

export interface Core {
  /**
   * The API as seen by one actor in one role. There is no sign-in yet: the shells pass the
   * workstation's user and the role they were started with (admin unless told otherwise).
   */
  api(actor: string, role?: Role): WatchroomApi;
  /** Subscribes `sink` to one of a camera's live streams (its main stream by default); the result unsubscribes. */
  openLive(actor: string, cameraId: string, sink: StreamSink, stream?: StreamVariant): () => void;
  onEvent(listener: (event: CoreEvent) => void): () => void;
  readonly logger: Logger;
  /**
   * Settles once recordings are reconciled with the index (and a first retention pass ran). Cameras
   * record and show live before that: only crash leftovers are filed first.
   */
  readonly ready: Promise<ReconcileReport>;
  /** For the media server: the recordings root, the index, and who audits. */
  readonly recordings: { root: string; index: SegmentIndex };
  /** An HLS playlist of one camera's recording in a time window; the viewing is audited. */
  playlist(actor: string, request: { cameraId: string; fromMs: number; toMs: number; startMs?: number; open: boolean }, uri: (segmentId: number) => string): string;
  /** A bookmark's thumbnail JPEG, made from the recording on first request; null if there is no footage. */
  bookmarkThumbnail(bookmarkId: string): Promise<string | null>;
  /** The file of a recorded segment, or null if there is none with that id. */
  segmentFile(segmentId: number): string | null;
  /**
   * Copies one file of a package the browser shell was given into `<data>/received/<uploadId>/`
   * (see received-packages.ts); the answer names the folder to verify.
   */
  receivePackageFile(role: Role, upload: { uploadId: string; relativePath: string; body: Readable; declaredBytes?: number }): Promise<{ folder: string }>;
  /** For the Electron shell: a folder the user dropped or chose in its window may be verified in place. */
  grantPackageFolder(path: string): void;
  /** Runs a retention pass now (it also runs on a timer). */
  applyRetention(): Promise<{ deleted: number; freedBytes: number }>;
  close(): Promise<void>;
}

function redactedUrl(url: string): string {
  const parsed = parseRtspUrl(url);
  return parsed.ok ? formatRtspUrl(parsed.url) : url;
}

export function createCore(options: CoreOptions): Core {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const unlock = lockDataDir(options.dataDir);
  const settings = options.settings ?? openConfStore(options.dataDir, 'settings');
  const credentials = options.credentials ?? openConfStore(options.dataDir, 'credentials');
  const cameras = new CameraRegistry(settings, credentials, options.secretBox ?? keyFileSecretBox(options.dataDir));
  const audit = new AuditLedger(join(options.dataDir, 'audit.jsonl'));
  // Before anything of this run is appended: what was written while Watchroom was not running.
  // (Checkpoints are signed by the workstation key; before it exists there are none to go by.)
  const keyMade = existsSync(join(keysDir(options.dataDir), 'signing-key.pem'));
  const whileStopped = writtenWhileStopped(audit, join(options.dataDir, CHECKPOINTS_FILE), keyMade ? loadOrCreateSigningKey(keysDir(options.dataDir)).publicKeyPem : null);
  const trustedOffset = (offset: number) => !whileStopped || offset < whileStopped.from || offset >= whileStopped.to;
  const logger = createLogger({ file: join(options.dataDir, 'watchroom.log'), echo: options.logToStderr ?? false, secrets: () => cameras.secrets() });
  const listeners = new Set<(event: CoreEvent) => void>();
  const emit = (event: CoreEvent) => listeners.forEach((l) => l(event));
  let ledgerCheck: AuditStatus['check'] = null;
  const auditStatus = (): AuditStatus => ({ ...audit.status(), check: ledgerCheck });
  audit.onStatus((status) => {
    logger.log(status.state === 'ok' ? 'info' : 'error', 'audit.status', { ...status });
    emit({ type: 'audit.status', status: auditStatus() });
  });

  const index = new SegmentIndex(join(options.dataDir, 'recordings.sqlite'));
  const recordingsRoot = options.recordingsDir ?? join(options.dataDir, 'recordings');
  const auditSystem: Audit = (action, subject, details) => audit.append('system', action, subject, details);
  const store = new RecordingStore({ root: recordingsRoot, index, audit: auditSystem, logger });
  const recorders = new Map<string, SegmentRecorder>();
  const recorderFor = (cameraId: string): SegmentRecorder | null => {
    if (!cameras.has(cameraId) || !cameras.get(cameraId).recording) return null;
    let recorder = recorders.get(cameraId);
    if (!recorder) {
      const onError = (error: unknown) => logger.log('error', 'recording.commit-failed', { cameraId, error: String(error) });
      recorder = new SegmentRecorder(cameraId, store, onError, options.segmentSeconds);
      recorders.set(cameraId, recorder);
    }
    return recorder;
  };
  const retention = (): RetentionSettings => {
    const saved = retentionSchema.safeParse(settings.get('retention'));
    return saved.success ? saved.data : { ...DEFAULT_RETENTION, ...options.retention };
  };
  let retentionRun: Promise<{ deleted: number; freedBytes: number }> | null = null;
  const clock = new TrustedClock((jump) => auditSystem('clock.jump', 'clock', { ...jump }), options.clocks);
  const runRetention = () =>
    (retentionRun ??= applyRetention(index, recordingsRoot, retention(), clock.now(), auditSystem, options.freeSpaceFloor).finally(() => (retentionRun = null)));

  const streams = new StreamEngine({
    ffmpegPath: options.ffmpegPath ?? 'ffmpeg',
    logger,
    sourceFor: (id, stream) => cameras.source(id, stream),
    onStatus: (status: StreamStatus) => emit({ type: 'stream.status', status }),
    ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
    ...(options.stallMs !== undefined ? { stallMs: options.stallMs } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    recorderFor,
  });

  /**
   * The hashes the ledger recorded when these segment files closed; one streamed pass over it. The
   * first entry for a path is its capture: a later one can only repeat it or be forged.
   */
  const captureHashes = async (paths: ReadonlySet<string>) => {
    const found = new Map<string, { sha256: string; offset: number }>();
    for await (const { entry: e, offset } of audit.entries()) {
      const path = e.details?.path;
      if (e.action === 'segment.closed' && typeof path === 'string' && paths.has(path) && !found.has(path) && trustedOffset(offset)) found.set(path, { sha256: String(e.details!.sha256), offset });
    }
    return found;
  };
  const evidence = createEvidenceService({
    dataDir: options.dataDir,
    exportsDir: options.exportsDir ?? join(options.dataDir, 'exports'),
    recordingsRoot,
    index,
    ledger: audit,
    trustedLedgerOffset: trustedOffset,
    logger,
    appVersion: options.appVersion,
    camera: (id) => {
      const r = cameras.get(id);
      return { id: r.id, name: r.name, url: redactedUrl(r.url) };
    },
    onExport: (job) => emit({ type: 'export.progress', job }),
  });
  const inboxTimer = setInterval(evidence.ingestInbox, 5_000);
  let uploadsCleared: Promise<unknown> = Promise.resolve();
  const clearUploads = () => (uploadsCleared = removeOldUploads(options.dataDir).catch((error: unknown) => logger.log('warn', 'evidence.upload-cleanup-failed', { error: String(error) })));
  clearUploads();
  const uploadsTimer = setInterval(clearUploads, 3_600_000);
  const checkpoints = new LedgerCheckpoints({
    ledger: audit,
    dataDir: options.dataDir,
    key: evidence.signingKey,
    logger,
    ...(options.ledgerMirror ? { mirrorDir: options.ledgerMirror } : {}),
    ...(options.timestampUrl ? { timestampUrl: options.timestampUrl } : {}),
    ...(options.checkpointEvery?.entries ? { everyEntries: options.checkpointEvery.entries } : {}),
    ...(options.checkpointEvery?.ms ? { everyMs: options.checkpointEvery.ms } : {}),
  });
  const ledgerChecked = (async () => {
    ledgerCheck = { state: 'running', fromSeq: 0, entries: 0, problems: [] };
    ledgerCheck = await checkLedgerAtStart({
      ledger: audit,
      checkpointsFile: checkpoints.file,
      publicKeyPem: evidence.signingKey().publicKeyPem,
      whileStopped,
      ...(options.ledgerMirror ? { mirrorFile: join(options.ledgerMirror, CHECKPOINTS_FILE) } : {}),
    });
    logger.log(ledgerCheck.state === 'ok' ? 'info' : 'error', 'audit.checked', { ...ledgerCheck });
    emit({ type: 'audit.status', status: auditStatus() });
  })().catch((error: unknown) => {
    // A check that could not run is a finding, never a silence.
    ledgerCheck = { state: 'problems', fromSeq: 0, entries: 0, problems: [`The audit ledger could not be checked at start: ${String(error)}`] };
    logger.log('error', 'audit.check-failed', { error: String(error) });
    emit({ type: 'audit.status', status: auditStatus() });
  });
  const incidents = createIncidentService({ dataDir: options.dataDir, recordingsRoot, index, ledger: audit, checkCamera: (id) => void cameras.get(id), onChange: () => emit({ type: 'bookmarks.changed' }) });

  // No stream starts before crash leftovers are filed: every main-stream run records, and a run
  // begun earlier would be taken for a leftover. Comparing the day folders takes long with a month
  // of footage, so it runs after recording has started.
  const leftovers = fileLeftoverRuns(store);
  let filedYet = false;
  const leftoversFiled = leftovers.then(() => undefined, () => undefined).finally(() => (filedYet = true));
  const closing = new AbortController();
  const ready = (async () => {
    evidence.ingestInbox();
    const filed = await leftovers;
    streams.startRecording(cameras.list().map((r) => r.id));
    const report = await reconcileRecordings(store, index, captureHashes, auditSystem, logger, { leftovers: filed, signal: closing.signal });
    if (!closing.signal.aborted) await runRetention();
    return report;
  })();
  ready.catch((error) => logger.log('error', 'recording.start-failed', { error: String(error) }));
  const retentionTimer = setInterval(() => {
    runRetention().catch((error) => logger.log('error', 'retention.failed', { error: String(error) }));
  }, options.retentionIntervalMs ?? 60_000);

  const view = (r: CameraRecord): CameraView => toView(r, cameras.hasPassword(r.id));
  const walls = createWallService({ settings, ledger: audit, cameraIds: () => cameras.list().map((r) => r.id), onChange: () => emit({ type: 'wall.changed' }) });
  const camerasAdded = (added: CameraRecord[]) => {
    walls.camerasAdded(added.map((r) => r.id));
    emit({ type: 'cameras.changed' });
    void leftovers.then(() => streams.startRecording(added.map((r) => r.id)), () => undefined);
  };

  if (options.demoWhenEmpty && cameras.list().length === 0 && settings.get('demoOffered') !== true) {
    settings.set('demoOffered', true);
    const added = cameras.addDemo();
    for (const r of added) audit.append('system', 'camera.add', r.id, { name: r.name, url: r.url, via: 'demo' });
    camerasAdded(added);
  }

  return {
    logger,
    ready,
    recordings: { root: recordingsRoot, index },
    applyRetention: runRetention,
    playlist(actor, { cameraId, fromMs, toMs, startMs, open }, uri) {
      const camera = cameras.get(cameraId);
      audit.append(actor, 'recording.view', cameraId, { name: camera.name, fromMs, toMs });
      return hlsPlaylist(index.segments(cameraId, fromMs, toMs), { uri: (s) => uri(s.id), open, startMs });
    },
    bookmarkThumbnail: (id) => incidents.thumbnail(id),
    grantPackageFolder: evidence.grantPackageFolder,
    async receivePackageFile(role, upload) {
      if (!can(role, 'verify')) throw new WatchroomError('auth.forbidden', `The ${role} role cannot verify packages.`);
      return receiveFile(options.dataDir, upload, options.maxReceivedFileBytes);
    },
    segmentFile(segmentId) {
      const row = index.byId(segmentId);
      return row && !row.missing ? join(recordingsRoot, row.path) : null;
    },
    api(actor: string, role: Role = 'admin'): WatchroomApi {
      const auditCamera = (action: string, r: CameraRecord, details: Record<string, unknown> = {}) =>
        audit.append(actor, action, r.id, { name: r.name, url: r.url, ...details });
      return {
        ...evidence.api(actor, role),
        ...incidents.api(actor, role),
        ...walls.api(actor),
        async getSession() {
          return { user: actor, role, appVersion: options.appVersion, shell: options.shell };
        },
        async listCameras() {
          return cameras.list().map(view);
        },
        async addCamera(input: CameraInput) {
          const record = cameras.add(input);
          try {
            auditCamera('camera.add', record);
          } catch (error) {
            cameras.remove(record.id); // not recorded, not done
            throw error;
          }
          camerasAdded([record]);
          return view(record);
        },
        async updateCamera({ id, changes }) {
          // Only what ffmpeg opens, or whether it records, restarts the streams: renaming a camera or
          // moving it to another site must not cost a reconnect and a gap in the recording.
          const streamFacts = () => JSON.stringify([cameras.source(id, 'main'), cameras.source(id, 'sub'), cameras.get(id).recording]);
          const before = streamFacts();
          const record = cameras.update(id, changes);
          auditCamera('camera.edit', record, { changed: Object.keys(changes).filter((k) => k !== 'password'), passwordChanged: changes.password !== undefined });
          emit({ type: 'cameras.changed' });
          if (streamFacts() !== before) await leftoversFiled.then(() => streams.cameraChanged(id));
          return view(record);
        },
        async removeCamera({ id }) {
          const record = cameras.remove(id);
          auditCamera('camera.remove', record);
          await streams.cameraRemoved(id);
          recorders.delete(id);
          walls.cameraRemoved(id);
          emit({ type: 'cameras.changed' });
        },
        async importCameras({ text, format }): Promise<ImportResult> {
          const rows = parseCameraList(text, format);
          if (rows.length === 0) throw new WatchroomError('import.empty', 'The file lists no cameras.');
          // Importing the same list twice (a restart with --cameras) adds nothing the second time.
          const existing = cameras.list();
          const present = (row: CameraInput) => existing.some((r) => r.name === row.name.trim() && r.url === redactedUrl(row.url));
          const fresh = rows.map((row, index) => ({ row, index })).filter(({ row }) => !present(row));
          const added = cameras.addMany(
            fresh.map((f) => f.row),
            (e, i) => {
              const row = fresh[i]!.index;
              return { ...e, field: `rows[${row}].${e.field}`, message: `Row ${row + 1}: ${e.message}` };
            },
          );
          for (const record of added) auditCamera('camera.add', record, { via: `import.${format}` });
          if (added.length) camerasAdded(added);
          return { added: added.map(view), skipped: rows.filter(present).map((r) => r.name.trim()) };
        },
        async addDemoCameras() {
          const added = cameras.addDemo();
          for (const record of added) auditCamera('camera.add', record, { via: 'demo' });
          camerasAdded(added);
          return added.map(view);
        },
        async listStreams() {
          return streams.statuses(cameras.list().map((r) => r.id));
        },
        async listAudit({ limit }): Promise<AuditEntry[]> {
          return audit.list(limit);
        },
        async listRecordings({ cameraId, fromMs, toMs }) {
          cameras.get(cameraId);
          const ranges = index.ranges(cameraId, fromMs, toMs);
          const reanchored = index.clockDriftsAt(cameraId, fromMs, toMs, MAX_CLOCK_OFFSET_MS);
          if (!reanchored.length) return ranges;
          return ranges.map((r) => ({ ...r, reanchoredAtMs: reanchored.filter((ms) => ms > r.startMs && ms <= r.endMs) }));
        },
        async getRetention() {
          return retention();
        },
        async getRecordingCheck() {
          return ready;
        },
        async getAuditStatus() {
          return auditStatus();
        },
        async setRetention(next: RetentionSettings) {
          if (!can(role, 'settings')) throw new WatchroomError('auth.forbidden', `The ${role} role cannot change retention.`);
          const before = retention();
          settings.set('retention', next);
          audit.append(actor, 'settings.retention', 'retention', { before, after: next });
          void runRetention();
          return next;
        },
        async getStorageUsage() {
          return index.usage();
        },
      };
    },
    openLive(actor, cameraId, sink, stream = 'main') {
      const record = cameras.get(cameraId);
      audit.append(actor, 'stream.open', cameraId, { name: record.name, stream });
      if (filedYet) return streams.subscribe(cameraId, sink, stream);
      // Only in the first moments after a start: the stream waits for crash leftovers to be filed.
      let unsubscribe: (() => void) | null = null;
      let closed = false;
      void leftoversFiled.then(() => {
        if (!closed) unsubscribe = streams.subscribe(cameraId, sink, stream);
      }).catch((error: Error) => sink.end(error.message));
      return () => {
        closed = true;
        unsubscribe?.();
      };
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      clearInterval(retentionTimer);
      clearInterval(inboxTimer);
      clearInterval(uploadsTimer);
      await evidence.close();
      closing.abort();
      await ready.catch(() => undefined);
      // Stopping each stream lets ffmpeg close its segment and commits it.
      await streams.close();
      await retentionRun?.catch(() => undefined);
      await ledgerChecked;
      await uploadsCleared;
      await checkpoints.close();
      index.close();
      incidents.close();
      audit.close();
      listeners.clear();
      unlock();
    },
  };
}
