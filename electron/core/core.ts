/**
 * Composition root: the list of the core's features, each built from the ones before it (go2rtc's
 * main.go shape); core-facade.ts turns them into the Core the shells use. Calls from outside go
 * through the one dispatcher the contract drives; the shells (Electron IPC, browser host) adapt to
 * this Core and decide nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Person, SessionInfo, SessionPerson, WatchroomApi } from '../../shared/api.js';
import type { CoreEvent, StreamVariant } from '../../shared/events.js';
import type { DispatchResult } from './api/dispatch.js';
import { createAuditModule, type AuditOptions } from './audit/audit-module.js';
import { createCamerasModule } from './cameras/cameras-module.js';
import { checkDirectoryUrl } from './directory/directory-url.js';
import { openDirectory } from './directory/open-directory.js';
import { openCoreBase } from './core-base.js';
import { coreFacade } from './core-facade.js';
import { createEvidenceService } from './evidence/evidence-service.js';
import { createIncidentService } from './incidents/incident-service.js';
import { createMasksModule, type MaskOptions } from './masks/masks-module.js';
import type { Logger } from './logger.js';
import { createPeopleModule } from './people/people-module.js';
import { createLookingBack } from './recording/looking-back.js';
import { createRecordingModule, type RecordingOptions } from './recording/recording-module.js';
import type { ReconcileReport } from './recording/recording-reconciler.js';
import type { SegmentIndex, SegmentRow } from './recording/segment-index.js';
import type { RetentionResult } from './recording/retention.js';
import { keyFileSecretBox, type SecretBox } from './settings/secret-box.js';
import type { SettingsStore } from './settings/settings-store.js';
import type { StreamSink } from './streams/stream-fanout.js';
import { createStreamsModule, type StreamOptions } from './streams/streams-module.js';
import { createWallsModule } from './wall/walls-module.js';
// Four-eyes disclosure and the disclosure register (issue 12, points 2 and 3)
import { createDisclosureModule } from './disclosure/disclosure-module.js';
// The oversight report (issue 12, point 7)
import { createOversightModule } from './oversight/oversight-module.js';
// Recorders and workstations of a site (issue 13)
import type { CustodyDoor } from './recorders/custody-door.js';
import { keptMasters as createKeptMasters, type KeptMasters } from './recorders/kept-masters.js';
import { evidenceStoreDir } from './evidence/withheld-masters.js';
import { createSiteModule, siteKeyPin, siteNodeId, siteTables, type SiteOptions } from './recorders/site-module.js';
import { noSiteHandlers } from './recorders/admission-handlers.js';
import { siteCameraStore } from './recorders/site-cameras.js';
import { loadOrCreateSealingKey } from './recorders/password-seal.js';
import { openFileCameraStore } from './cameras/camera-store.js';
import { keysDir } from './evidence/workstation-key.js';

export interface CoreOptions extends AuditOptions, RecordingOptions, StreamOptions, MaskOptions {
  dataDir: string;
  appVersion: string;
  shell: SessionInfo['shell'];
  /** electron-store in Electron; conf files in dataDir when omitted. */
  settings?: SettingsStore;
  credentials?: SettingsStore;
  /** Add the built-in demo cameras on a first run with no cameras. */
  demoWhenEmpty?: boolean;
  logToStderr?: boolean;
  /** Where evidence packages go; `<dataDir>/exports` by default. */
  exportsDir?: string;
  /** Largest file accepted into <data>/received/ (default MAX_RECEIVED_FILE_BYTES). */
  maxReceivedFileBytes?: number;
  /** Encrypts camera passwords at rest: safeStorage in Electron; a key file in dataDir when omitted. */
  secretBox?: SecretBox;
  /** This process's part in a site over the PostgreSQL directory (a recorder or a workstation); none: one machine does everything. */
  site?: Omit<SiteOptions, 'nodeId'> & { nodeId?: string };
  /** Idle time before a session locks, until an administrator sets one (`--idle-lock`, tests). */
  idleLockMs?: number;
  /** The site's shared directory in PostgreSQL (`--directory`); the data folder's own files when absent. */
  directory?: { url: string };
}

export interface Core {
  /** One call from outside by a session's token (null: nobody signed in): see api/dispatch.ts. */
  call(token: string | null, method: string, arg: unknown): Promise<DispatchResult>;
  /** WatchroomApi for one session, for in-process callers (the CLI, tests). */
  api(token: string): WatchroomApi;
  /** Watchroom's own calls (a shell arranging its windows, cameras imported at start): never reachable from a page. */
  readonly system: WatchroomApi;
  /** The signed-in person of a session token, or null. */
  person(token: string | null): SessionPerson | null;
  /** Calls `onEnd` once when the session ends (sign-out, password reset, account disabled), at once if it has; the result stops watching. */
  watchSession(token: string | null, onEnd: () => void): () => void;
  /** For `watchroom-host --create-admin`: the first administrator, made outside any session. */
  createFirstAdmin(input: { name: string; displayName: string; password: string }): Promise<Person>;
  /** Subscribes `sink` to a camera's live stream for a session that may view the wall; the result unsubscribes. */
  openLive(token: string | null, cameraId: string, sink: StreamSink, stream?: StreamVariant): () => void;
  /** For a recorder's node server: relays a camera it holds to another process of the site, already authenticated as `nodeId`. */
  openRelay(nodeId: string, cameraId: string, sink: StreamSink, stream: StreamVariant): () => void;
  /** For a recorder's node server: the public key a process of the site registered (null: unknown, or no site). */
  nodeKey(nodeId: string): string | null;
  /** This process's id in its site (null: one machine). */
  readonly nodeId: string | null;
  /** For a recorder's node server: its custody door, the masters it keeps, and whether an admitted process is a workstation (null: not a recorder). */
  readonly custody: { door: CustodyDoor; masters: KeptMasters; isWorkstation(nodeId: string): boolean } | null;
  /** Answers a GET under /media/ reached through a link signed for a session (mediaLink); false if no route has the path. */
  serveMedia(url: URL, req: IncomingMessage, res: ServerResponse): boolean;
  /** Copies one file of a package the browser shell was given into `<data>/received/<uploadId>/`. */
  receivePackageFile(token: string | null, upload: { uploadId: string; relativePath: string; body: Readable; declaredBytes?: number }): Promise<{ folder: string }>;
  /** For the Electron shell: a folder the user dropped or chose in its window may be verified in place. */
  grantPackageFolder(path: string): void;
  onEvent(listener: (event: CoreEvent) => void): () => void;
  readonly logger: Logger;
  /**
   * Settles once recordings are reconciled with the index (and a first retention pass ran). Cameras
   * record and show live before that: only crash leftovers are filed first.
   */
  readonly ready: Promise<ReconcileReport>;
  /**
   * Settles once the directory can be used (at once for the data folder's own); rejects with the
   * WatchroomError that says why not: a server out of reach, no such database, a newer schema.
   */
  readonly directoryReady: Promise<void>;
  readonly recordings: { root: string; index: SegmentIndex };
  /** For a recorder's node server: enters in the ledger that a recorded segment went to another process of the site. */
  footageServed(nodeId: string, segment: SegmentRow): void;
  /** Runs a retention pass now (it also runs on a timer). */
  applyRetention(): Promise<RetentionResult>;
  close(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  if (options.directory) checkDirectoryUrl(options.directory.url); // before the data folder is taken
  const base = openCoreBase(options);
  const { dataDir, settings, logger, emit } = base;
  const directory = openDirectory(options.directory ?? { dataDir }, logger);
  directory.ready.catch((error: Error) => logger.log('error', 'directory: cannot be used', { error: error.message }));
  // Every change, whichever workstation made it, reaches every view of this one.
  directory.onChange('bookmarks', () => emit({ type: 'bookmarks.changed' }));
  const siteOptions = options.site ? { ...options.site, nodeId: options.site.nodeId ?? siteNodeId(settings, options.site.role) } : null;
  // In a site, the directory keeps a copy of every ledger checkpoint: an anchor off this machine.
  const audit = createAuditModule({ dataDir, logger, emit, options, anchor: siteOptions ? siteTables(directory).checkpointsOf(siteOptions.nodeId) : undefined });
  const people = createPeopleModule({ directory, logger, ledger: audit.ledger, settings, appVersion: options.appVersion, shell: options.shell, ...(options.idleLockMs !== undefined ? { idleLockMs: options.idleLockMs } : {}) });
  const sealingKey = siteOptions?.role === 'recorder' ? loadOrCreateSealingKey(keysDir(dataDir)) : null;
  // In a site, a recorder records and relays the cameras it holds; a workstation records none and plays them through their recorders.
  const site = siteOptions ? createSiteModule({ site: siteOptions, directory, key: audit.signingKey, sealingKey, keysDir: keysDir(dataDir), pin: siteKeyPin(settings, siteOptions.siteKey, join(dataDir, 'site-key')), logger }) : null;
  // One machine keeps its cameras in its settings; a site's processes share the directory's (passwords sealed to admitted recorders).
  const cameraStore = site
    ? { store: siteCameraStore({ table: siteTables(directory).cameras, directory, nodeId: site.nodeId, key: sealingKey, trust: site.trust, logger }), initial: [] }
    : openFileCameraStore(settings, base.credentials, options.secretBox ?? keyFileSecretBox(dataDir));
  const cameras = createCamerasModule({ ...cameraStore, settings, demoWhenEmpty: !siteOptions && (options.demoWhenEmpty ?? false), logger });
  base.scrubSecrets(() => cameras.registry.secrets());
  const lookingBack = createLookingBack({ settings, ledger: audit.ledger, watchSession: (token, onEnd) => people.sessions.onEnd(token, onEnd) });
  const masks = createMasksModule({ dataDir, directory, ledger: audit.ledger, logger, checkCamera: (id) => void cameras.registry.get(id), emit, options });
  const holds = (cameraId: string) => site?.records(cameraId) ?? true;
  // A workstation's timeline is every recorder's footage of the camera, from the directory's coverage.
  // A recorder's retention keeps what the site's evidence locks cover.
  const siteRanges = site ? (siteOptions?.role === 'workstation' ? { siteFootage: site.footage } : { beforeRetention: () => site.refreshLocks() }) : {};
  const recording = createRecordingModule({ dataDir, logger, settings, audit, cameras, lookingBack, maskFor: masks.maskFor, options: { ...options, records: holds, ...siteRanges } });
  const streams = createStreamsModule({
    logger,
    ledger: audit.ledger,
    cameras,
    recording,
    emit,
    // A recorder relays what it holds (tests without a site may say what relays themselves).
    options: site ? { ...options, relays: holds } : options,
    ...(siteOptions?.role === 'workstation' ? { relayFrom: (id: string, stream: StreamVariant) => site!.relaySource(id, stream), holderRecording: (id: string) => site!.holderRecording(id) } : {}),
  });
  site?.start({
    // Every camera in service has a holder: in a site, live video comes only through the recorder holding it (whether it records is the camera's own setting).
    cameras: () => cameras.registry.list().map((c) => ({ id: c.id, assignedTo: null })),
    gained(lease) {
      // Taken from a recorder that stopped renewing: the stretch from its last renewal to now is unrecorded, and the ledger says so.
      if (lease.previous) recording.index.noteTakeover(lease.cameraId, lease.acquiredAt, audit.ledger.append('system', 'recording.takeover', lease.cameraId, { from: lease.previous.recorderId, leaseRanOutAt: lease.previous.expiredAt, takenAt: lease.acquiredAt, epoch: lease.epoch }).offset);
      void streams.restart(lease.cameraId);
    },
    lost: (cameraId) => void streams.release(cameraId, 'This recorder no longer records the camera: it moved to another.'),
    moved: (cameraId) => void streams.restart(cameraId),
    recordingSaid: (cameraId) => streams.announce(cameraId),
    footage: recording.index,
    nodesChanged: () => void cameras.registry.resealMissing().catch((error: Error) => logger.log('warn', 'cameras: cannot seal passwords for a new recorder', { error: error.message })),
  });
  const incidents = createIncidentService({ dataDir, bookmarks: directory.bookmarks, footage: recording.footage, index: recording.index, logger, maskFor: masks.maskFor, lookingBack, checkCamera: (id) => void cameras.registry.get(id) });
  const keptMasters = site?.role === 'recorder' ? createKeptMasters({ storeDir: evidenceStoreDir(dataDir), dataDir, ledger: audit.ledger, key: audit.signingKey, recorderId: site.nodeId }) : null;
  const evidence = createEvidenceService({
    dataDir,
    exportsDir: options.exportsDir ?? join(dataDir, 'exports'),
    // This machine's recordings and ledger (a site's workstation has none of the first).
    recordingsRoot: recording.root, index: recording.index, ledger: audit.ledger, trustedLedgerOffset: audit.trustedOffset, signingKey: audit.signingKey,
    logger,
    appVersion: options.appVersion,
    camera: cameras.describe,
    ...(keptMasters ? { keptMasters } : {}),
    ...(site?.role === 'workstation' ? { site: { nodeId: site.nodeId, sources: site.exportSources, masters: site.masters, anchors: (id, fingerprint) => (site.trust.admittedRecorder(id, fingerprint) ? siteTables(directory).checkpointsOf(id) : null) } } : {}),
    onExport: (job) => emit({ type: 'export.progress', job }),
    masks: masks.current,
    ...(options.maxReceivedFileBytes ? { maxReceivedFileBytes: options.maxReceivedFileBytes } : {}),
  });
  const walls = createWallsModule({ settings, directory, cameras, ledger: audit.ledger, emit });
  const disclosures = createDisclosureModule({ directory, node: siteOptions?.nodeId ?? null, ...(siteOptions?.role === 'workstation' ? { copies: siteTables(directory).entryCopies } : {}), ledger: audit.ledger, exports: evidence.disclosures, logger, person: people.person, onChange: () => emit({ type: 'disclosures.changed' }) });
  // The oversight report (issue 12, point 7)
  const oversight = createOversightModule({ dataDir, ledger: audit.ledger, checkpoints: audit.checkpoints, key: audit.signingKey, logger });

  cameras.onDidChange(() => emit({ type: 'cameras.changed' }));
  // A recorder says in the directory how its recording of each camera it holds goes: the workstations' REC marks.
  if (siteOptions?.role === 'recorder') base.events.event((e) => void (e.type === 'stream.status' && e.status.stream === 'main' && e.status.recording && site!.reportRecording(e.status.cameraId, e.status.recording)));
  void cameras.addDemoIfFirstRun().catch((error: Error) => logger.log('error', 'cameras: cannot add the demo cameras', { error: error.message }));
  const directoryFeature = { handlers: site ? {} : noSiteHandlers, dispose: () => directory.close() };
  return coreFacade({ base, modules: [directoryFeature, ...(site ? [site] : []), audit, people, cameras, lookingBack, masks, recording, streams, incidents, evidence, walls, disclosures, oversight], audit, people, streams, recording, evidence, directory, site, keptMasters });
}
