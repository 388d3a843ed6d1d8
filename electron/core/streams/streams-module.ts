/**
 * Live streams as a feature: one ffmpeg per camera stream however many watch it, started for the
 * first viewer or for recording, restarted when a camera's source changes, stopped when it is
 * archived. Who opens which live stream is entered in the ledger.
 */
import type { SessionPerson } from '../../../shared/api.js';
import type { CoreEvent, RecordingStatus, StreamStatus, StreamVariant } from '../../../shared/events.js';
import type { Actor, AuditLedger } from '../audit/audit-ledger.js';
import type { AuditAction } from '../../../shared/audit-actions.js';
import type { CamerasModule } from '../cameras/cameras-module.js';
import { DisposableStore, toDisposable } from '../disposables.js';
import type { FeatureModule } from '../feature-module.js';
import type { Logger } from '../logger.js';
import type { RecordingModule } from '../recording/recording-module.js';
import { StreamEngine } from './stream-engine.js';
import type { StreamSink } from './stream-fanout.js';
import { NotHeld } from '../recorders/not-held.js';
import type { RelaySource } from '../recorders/relay-upstream.js';
import type { StreamSource } from './ffmpeg-args.js';

export interface StreamOptions {
  ffmpegPath?: string;
  /** Whether this process may relay the camera to the site's other processes now (a recorder holding its lease); never, by default. */
  relays?: (cameraId: string) => boolean;
  graceMs?: number;
  stallMs?: number;
  backoff?: (failures: number) => number;
}

export interface StreamsModule extends FeatureModule {
  /** Subscribes `sink` to one of a camera's live streams (its main stream by default); the result unsubscribes. */
  openLive(person: SessionPerson, cameraId: string, sink: StreamSink, stream?: StreamVariant): () => void;
  /**
   * Subscribes another process of the site (a workstation, by its node id) to a camera this
   * recorder relays; throws NotHeld for a camera it does not (any more). Entered in the ledger like
   * a person's live view, naming the workstation: the person is in that workstation's own ledger.
   */
  openRelay(nodeId: string, cameraId: string, sink: StreamSink, stream: StreamVariant): () => void;
  /** Restarts the camera's streams from their current source (a workstation: the camera moved to another recorder; a recorder: it now records it). */
  restart(cameraId: string): Promise<void>;
  /** Stops the camera's streams and tells their viewers why (a recorder that no longer holds it). */
  release(cameraId: string, reason: string): Promise<void>;
  /** Tells every view the camera's streams' statuses again (a workstation: the holder's word on its recording changed). */
  announce(cameraId: string): void;
}

export function createStreamsModule(deps: {
  logger: Logger;
  ledger: AuditLedger;
  cameras: CamerasModule;
  recording: RecordingModule;
  emit(event: CoreEvent): void;
  options: StreamOptions;
  /** A site's workstation: plays each camera through the recorder holding it (null while none does), never from the camera itself. */
  relayFrom?: (cameraId: string, stream: StreamVariant) => RelaySource | null;
  /** A site's workstation: how the recorder holding the camera says its recording goes (the tile's REC mark), null if none says. */
  holderRecording?: (cameraId: string) => RecordingStatus | null;
}): StreamsModule {
  const { cameras, recording, options } = deps;
  const registry = cameras.registry;
  // A workstation records nothing itself: its REC mark is the holder's word.
  const shown = (status: StreamStatus): StreamStatus => (deps.holderRecording ? { ...status, recording: deps.holderRecording(status.cameraId) ?? { state: 'off' } } : status);
  const engine = new StreamEngine({
    ffmpegPath: options.ffmpegPath ?? 'ffmpeg',
    logger: deps.logger,
    sourceFor: (id, stream): StreamSource | null => {
      if (!deps.relayFrom) return registry.source(id, stream);
      if (!registry.has(id)) return null;
      return deps.relayFrom(id, stream) ?? { kind: 'absent', reason: 'No recorder serves this camera now: waiting for one to take it over.' };
    },
    onStatus: (status) => deps.emit({ type: 'stream.status', status: shown(status) }),
    ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
    ...(options.stallMs !== undefined ? { stallMs: options.stallMs } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    recorderFor: recording.recorderFor,
  });
  const started = recording.leftoversFiled.then(() => engine.startRecording(registry.list().map((r) => r.id)));
  const subscribeWhenFiled = filedFirst(engine, started);
  const restart = (cameraId: string) => recording.leftoversFiled.then(() => engine.cameraChanged(cameraId));
  const owned = new DisposableStore();
  owned.add(toDisposable(cameras.onDidAdd((added) => void recording.leftoversFiled.then(() => engine.startRecording(added.map((r) => r.id))))));
  owned.add(toDisposable(cameras.onDidChangeSource(restart)));
  owned.add(toDisposable(cameras.onDidArchive((camera) => engine.cameraRemoved(camera.id))));

  return {
    openLive(person, cameraId, sink, stream = 'main') {
      const record = registry.get(cameraId);
      if (!registry.has(cameraId)) throw new Error(`Camera ${record.name} is archived: it has recordings but no live picture.`);
      // What each person watched live, and for how long.
      return ledgered(deps.ledger, { name: person.name, role: person.role }, ['stream.open', 'stream.close'], cameraId, { name: record.name, stream }, () => subscribeWhenFiled(cameraId, sink, stream));
    },
    openRelay(nodeId, cameraId, sink, stream) {
      if (!registry.has(cameraId) || !(options.relays?.(cameraId) ?? false)) throw new NotHeld(`This recorder does not record camera ${cameraId} now.`);
      return ledgered(deps.ledger, 'system', ['relay.open', 'relay.close'], cameraId, { name: registry.get(cameraId).name, stream, node: nodeId }, () => subscribeWhenFiled(cameraId, sink, stream));
    },
    restart,
    release: (cameraId, reason) => engine.cameraRemoved(cameraId, reason),
    announce: (cameraId) => engine.statuses([cameraId]).forEach((status) => deps.emit({ type: 'stream.status', status: shown(status) })),
    handlers: {
      listStreams: async () => engine.statuses(registry.list().map((r) => r.id)).map(shown),
    },
    async dispose() {
      owned.dispose();
      // Stopping each stream lets ffmpeg close its segment and commits it.
      await engine.close();
    },
  };
}

/** Subscribes at once, or (only in the first moments after a start) once crash leftovers are filed (`started`). */
function filedFirst(engine: StreamEngine, started: Promise<void>): (cameraId: string, sink: StreamSink, stream: StreamVariant) => () => void {
  let filedYet = false;
  void started.then(() => (filedYet = true), () => undefined);
  return (cameraId, sink, stream) => {
    if (filedYet) return engine.subscribe(cameraId, sink, stream);
    let unsubscribe: (() => void) | null = null;
    let closed = false;
    void started
      .then(() => {
        if (!closed) unsubscribe = engine.subscribe(cameraId, sink, stream);
      })
      .catch((error: Error) => sink.end(error.message));
    return () => {
      closed = true;
      unsubscribe?.();
    };
  };
}

/** A subscription entered in the ledger as it opens and as it closes; the closing entry carries how long it lasted. */
function ledgered(ledger: AuditLedger, actor: Actor, [opens, closes]: [AuditAction, AuditAction], cameraId: string, details: Record<string, unknown>, subscribe: () => () => void): () => void {
  ledger.append(actor, opens, cameraId, details);
  const openedMs = Date.now();
  const unsubscribe = subscribe();
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    ledger.append(actor, closes, cameraId, { ...details, seconds: Math.round((Date.now() - openedMs) / 1000) });
  };
}
