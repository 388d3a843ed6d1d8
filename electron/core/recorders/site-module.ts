/**
 * This process's part in a site (several processes over one PostgreSQL directory). A recorder keeps
 * the leases of the cameras it records and relays them to workstations through its node server; a
 * workstation records nothing and plays each camera through the recorder holding it, following the
 * camera to another recorder as soon as its lease moves. Without a site (one machine) none of this
 * runs: the process records and shows every camera itself.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { RecordingStatus, StreamVariant } from '../../../shared/events.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { Directory } from '../directory/directory.js';
import type { SigningKey } from '../evidence/signing-key.js';
import type { FeatureModule } from '../feature-module.js';
import type { Logger } from '../logger.js';
import { DEFAULT_LEASE_TIMING, LeaseKeeper, type LeaseTiming } from './lease-keeper.js';
import type { GainedLease, Lease, LeaseStore, NodeInfo, NodeRow } from './lease-store.js';
import type { SealingKey } from './password-seal.js';
import type { RelaySource } from './relay-upstream.js';
import { COVERAGE_EVERY_MS, CoverageReporter, type FootageIndex } from './coverage.js';
import { siteFootage, type SiteFootage } from './site-footage.js';
import { NODE_ID } from './node-id.js';
import { siteCustody, type SiteCustody } from './site-custody.js';
import { siteMasters, type SiteMasters } from './site-masters.js';
import type { ExportSources } from '../evidence/export-sources.js';
import { siteExportSources } from '../evidence/site-export-sources.js';
import { syncSiteSigners } from '../evidence/trusted-keys.js';
import { coalesced } from '../coalesced.js';
import { bookmarkLockMirror, type LockIndex } from './lock-mirror.js';
import { SiteTrust, type SiteKeyPin } from './site-trust.js';
import { admissionHandlers } from './admission-handlers.js';
import { fingerprintTyped, siteKeyFingerprint, siteKeyHere } from './site-admission.js';


export interface SiteOptions {
  role: 'recorder' | 'workstation';
  /** This process's name in the directory; unique in the site. */
  nodeId: string;
  /** How people read it ("Recorder 2, east wing"). */
  name: string;
  /** A recorder's node server, as workstations reach it (https://host:port). */
  url?: string;
  /** Most cameras a recorder takes over for others. */
  capacity?: number;
  /** The site key's fingerprint this process must find (`--site-key`); by default the first one it sees is kept. */
  siteKey?: string;
  timing?: LeaseTiming;
}

/** What the site asks of the rest of the core. */
export interface SiteHooks {
  /** The cameras to record, and the recorder each is assigned to (null: any). */
  cameras(): ReadonlyArray<{ id: string; assignedTo: string | null }>;
  /** A recorder now records the camera. */
  gained(lease: GainedLease): void;
  /** A recorder no longer does (another took it, or it was handed back). */
  lost(cameraId: string): void;
  /** A workstation: the camera's holder changed; play it from the new one. */
  moved(cameraId: string): void;
  /** A workstation: the holder's word on its recording of the camera changed; show it. */
  recordingSaid(cameraId: string): void;
  /** A recorder: a process joined or left; seal the passwords it can read for any recorder that lacks them. */
  nodesChanged(): void;
  /** A recorder's footage, which it reports to the directory's coverage, and keeps under the site's evidence locks. */
  footage: FootageIndex & LockIndex;
}

export interface SiteModule extends FeatureModule {
  readonly nodeId: string;
  readonly role: SiteOptions['role'];
  /** An admitted process's part in the site (null: unknown, or not admitted). */
  nodeRole(nodeId: string): SiteOptions['role'] | null;
  /** Whether this process records the camera now (a recorder holding its lease). */
  records(cameraId: string): boolean;
  /** How a workstation plays the camera now: the relay of the recorder holding it, or null while none does. */
  relaySource(cameraId: string, stream: StreamVariant): RelaySource | null;
  /** A workstation's timeline and playback: the camera's footage across every recorder of the site. */
  readonly footage: SiteFootage;
  /** A recorder: its recording of a camera it holds, as its streams report it; said in the directory when it changes. */
  reportRecording(cameraId: string, recording: RecordingStatus): void;
  /** A workstation: how the holder of the camera says its recording goes (null: no holder, or it said nothing yet). */
  holderRecording(cameraId: string): RecordingStatus | null;
  /** The public key of an admitted process of the site, for checking its signed requests (null: unknown or not admitted). */
  publicKeyOf(nodeId: string): string | null;
  /** Who is admitted into the site (camera passwords are sealed only to admitted recorders). */
  readonly trust: SiteTrust;
  /** A workstation: asks a recorder to vouch for footage it exports, and checks the answer. */
  readonly custody: SiteCustody;
  /** A workstation's exports: footage the site's recorders vouch for, fetched from them. */
  readonly exportSources: ExportSources;
  /** A workstation: hands a masked camera's withheld master to the recorder that recorded it. */
  readonly masters: SiteMasters;
  /** A recorder: brings its copy of the site's evidence locks up to date (before retention deletes anything). */
  refreshLocks(): Promise<void>;
  /** Starts the rounds once the directory is ready; the camera hooks say what to start and stop. */
  start(hooks: SiteHooks): void;
}

/** A recorder's sealing key and its signing key's signature over it (the binding an admission checks); none for a workstation. */
function sealingKeyOf(key: SigningKey, sealing: SealingKey | null): Pick<NodeInfo, 'sealingKey' | 'sealingKeySignature'> {
  if (!sealing) return { sealingKey: '', sealingKeySignature: '' };
  return { sealingKey: sealing.publicKeyPem, sealingKeySignature: key.sign(Buffer.from(sealing.publicKeyPem)).toString('base64') };
}

/** An admitted recorder's address and key, for asking it to vouch for footage. */
const recorderKey = (node: NodeRow | undefined) => (node?.role === 'recorder' && node.url ? { url: node.url, publicKeyPem: node.publicKey } : null);

/** This process's id in the site: made once and kept in its settings, so a restart is the same process to the others. */
export function siteNodeId(settings: SettingsStore, role: SiteOptions['role']): string {
  const stored = settings.get('siteNodeId');
  if (typeof stored === 'string' && NODE_ID.test(stored)) return stored;
  const id = `${role === 'recorder' ? 'rec' : 'ws'}-${randomBytes(5).toString('hex')}`;
  settings.set('siteNodeId', id);
  return id;
}

/**
 * Where this process keeps the site key's fingerprint: given at its start (`--site-key`), else its
 * settings (confirmed here, or made here), else `file` (a person wrote it on this machine: how a
 * recorder started before the site had a key is told it, without a restart; read at every reload).
 * `siteKeyConfirmed`, not the `siteKeyFingerprint` that versions trusting the first key seen kept:
 * that one no person vouched for.
 */
export function siteKeyPin(settings: SettingsStore, forced?: string, file?: string): SiteKeyPin {
  const stored = () => {
    const value = settings.get('siteKeyConfirmed');
    return typeof value === 'string' ? value : null;
  };
  return {
    get: () => forced ?? stored() ?? (file ? fingerprintInFile(file) : null),
    set: (fingerprint) => void (forced ? undefined : settings.set('siteKeyConfirmed', fingerprint)),
    forced: forced !== undefined,
  };
}

/**
 * The fingerprint a person wrote in `file`; null for anything else. Read as anyone with the data
 * folder could leave it: not followed into a FIFO or a device (opened without blocking, and only a
 * regular file is read), and only when it is no longer than a fingerprint with room to spare.
 */
const SITE_KEY_FILE_BYTES = 400;

export function fingerprintInFile(file: string): string | null {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > SITE_KEY_FILE_BYTES) return null;
    const bytes = Buffer.alloc(SITE_KEY_FILE_BYTES);
    return fingerprintTyped(bytes.toString('utf8', 0, readSync(fd, bytes, 0, bytes.length, 0)));
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The site's part of the directory; a site needs PostgreSQL. */
export function siteTables(directory: Directory): NonNullable<Directory['site']> {
  if (!directory.site) throw new Error('A site needs the PostgreSQL directory (--directory postgres://…).');
  return directory.site;
}

/** A recorder's rounds, started: its leases, and its footage reported to the directory's coverage. */
function recorderRounds(deps: { site: SiteOptions; me: NodeInfo & { role: 'recorder' }; directory: Directory; timing: LeaseTiming; hooks: SiteHooks; said: Map<string, string>; logger: Logger }) {
  const tables = siteTables(deps.directory);
  const { site, hooks, logger } = deps;
  const keeper = new LeaseKeeper({
    recorder: deps.me,
    store: tables.leases,
    cameras: hooks.cameras,
    capacity: site.capacity ?? 100,
    timing: deps.timing,
    onGained(lease) {
      deps.said.delete(lease.cameraId); // a new lease row: its recording is to be said again
      hooks.gained(lease);
    },
    onLost: (cameraId) => hooks.lost(cameraId),
    logger,
  });
  keeper.start();
  const coverage = new CoverageReporter({ table: tables.coverage, recorderId: site.nodeId, index: hooks.footage, everyMs: COVERAGE_EVERY_MS, logger });
  coverage.start();
  const locks = bookmarkLockMirror({ bookmarks: deps.directory.bookmarks, onChange: deps.directory.onChange, index: hooks.footage, logger });
  return { keeper, coverage, locks };
}

/** A workstation's view of who holds what; a camera whose holder changed is restarted on the new one. */
function leaseView(store: LeaseStore) {
  let leases = new Map<string, Lease>();
  return {
    get: (cameraId: string) => leases.get(cameraId),
    cameraIds: () => [...leases.keys()],
    async refresh(hooks: SiteHooks) {
      const next = new Map((await store.current()).map((l) => [l.cameraId, l]));
      const before = leases;
      leases = next;
      for (const id of new Set([...before.keys(), ...next.keys()])) {
        if (before.get(id)?.epoch !== next.get(id)?.epoch) hooks.moved(id);
        else if (JSON.stringify(before.get(id)?.recording) !== JSON.stringify(next.get(id)?.recording)) hooks.recordingSaid(id);
      }
    },
  };
}

/** A workstation's way to the site's recorded footage: played, and exported with each recorder vouching for its part (and keeping the masked cameras' masters). */
function recordedFootage(deps: { directory: Directory; admitted(id: string): NodeRow | undefined; signer(): { nodeId: string; key: SigningKey }; nodeIds(): string[]; holderOf(cameraId: string): string | null; logger: Logger }) {
  const { coverage, checkpointsOf } = siteTables(deps.directory);
  const custody = siteCustody({ recorder: (id) => recorderKey(deps.admitted(id)), me: deps.signer, checkpointsOf });
  const footage = siteFootage({ coverage, peerOf: (id) => livePeer(deps.admitted(id)), me: deps.signer, logger: deps.logger });
  const masters = siteMasters({ recorder: (id) => recorderKey(deps.admitted(id)), me: deps.signer });
  return { custody, footage, masters, exportSources: siteExportSources({ coverage, holderOf: deps.holderOf, liveRecorders: () => deps.nodeIds().map(deps.admitted).flatMap((n) => (n?.role === 'recorder' && n.alive ? [n.id] : [])), custody, open: (recorderId, id) => footage.open(recorderId, id) }) };
}

/** A process as it is reached while it is up (null: down, or a workstation, which serves nothing). */
const livePeer = (node: NodeRow | undefined) => (node?.alive && node.url ? { nodeId: node.id, url: node.url, publicKeyPem: node.publicKey } : null);

/** A recorder's word on its recording of each camera it holds, said in the directory on a change only. */
function recordingReporter(deps: { store: LeaseStore; nodeId: string; holds(cameraId: string): boolean; said: Map<string, string>; warn(error: Error): void }) {
  return (cameraId: string, recording: RecordingStatus) => {
    const word = JSON.stringify({ state: recording.state, reason: recording.reason });
    if (!deps.holds(cameraId) || deps.said.get(cameraId) === word) return;
    deps.said.set(cameraId, word);
    void deps.store.setRecording(deps.nodeId, cameraId, recording).catch((error: Error) => {
      deps.said.delete(cameraId); // said again at its next change
      deps.warn(error);
    });
  };
}

export function createSiteModule(deps: { site: SiteOptions; directory: Directory; key: () => SigningKey; sealingKey: SealingKey | null; keysDir: string; pin: SiteKeyPin; logger: Logger }): SiteModule {
  const { site, directory, logger } = deps;
  const store: LeaseStore = siteTables(directory).leases;
  const trust = new SiteTrust(siteTables(directory).admissions, directory, deps.pin, logger, { madeHere: (pem) => siteKeyHere(deps.keysDir)?.fingerprint === siteKeyFingerprint(pem), onLoaded: (admitted) => syncSiteSigners(deps.keysDir, admitted) });
  const timing = site.timing ?? DEFAULT_LEASE_TIMING;
  const me = () => ({ id: site.nodeId, role: site.role, name: site.name, url: site.url ?? '', publicKey: deps.key().publicKeyPem, ...sealingKeyOf(deps.key(), deps.sealingKey) });
  let nodes = new Map<string, NodeRow>();
  const leases = leaseView(store);
  let keeper: LeaseKeeper | null = null;
  let coverage: CoverageReporter | null = null;
  let locks: ReturnType<typeof bookmarkLockMirror> | null = null;
  /** A recorder: what it last said of each camera's recording. */
  const said = new Map<string, string>();
  let presence: NodeJS.Timeout | undefined;
  let closed = false;
  const offs: Array<() => void> = [];

  const refreshNodes = coalesced(async () => void (nodes = new Map((await store.nodes(timing.termMs)).map((n) => [n.id, n]))));
  /** A process this one deals with: registered, and admitted with the keys it registered. */
  const admitted = (id: string) => [nodes.get(id)].find((node) => node && trust.admitted(node));
  const quietly = (what: string) => (error: Error) => logger.log('warn', `site: ${what}`, { error: error.message });
  const signer = () => ({ nodeId: site.nodeId, key: deps.key() });
  const recorded = recordedFootage({ directory, admitted, nodeIds: () => [...nodes.keys()], signer, holderOf: (cameraId) => leases.get(cameraId)?.recorderId ?? null, logger });

  return {
    nodeId: site.nodeId,
    role: site.role,
    nodeRole: (nodeId) => admitted(nodeId)?.role ?? null,
    records: (cameraId) => keeper?.cameras.has(cameraId) ?? false,
    relaySource(cameraId, stream) {
      const lease = leases.get(cameraId);
      const holder = lease ? admitted(lease.recorderId) : undefined;
      if (!lease || !holder?.url) return null;
      return { kind: 'relay', target: { recorderId: holder.id, recorderUrl: holder.url, recorderKey: holder.publicKey, recorderName: holder.name, cameraId, stream }, me: signer() };
    },
    publicKeyOf: (nodeId) => admitted(nodeId)?.publicKey ?? null,
    trust,
    ...recorded, // custody, footage, masters, exportSources
    reportRecording: recordingReporter({ store, nodeId: site.nodeId, holds: (cameraId) => keeper?.cameras.has(cameraId) ?? false, said, warn: quietly('cannot say how a camera records') }),
    holderRecording(cameraId) {
      const lease = leases.get(cameraId);
      return lease && nodes.get(lease.recorderId)?.alive ? lease.recording : null;
    },
    start(hooks) {
      void directory.ready.then(async () => {
        if (closed) return;
        offs.push(directory.onChange('nodes', () => void refreshNodes().then(() => site.role === 'recorder' && hooks.nodesChanged(), quietly('cannot read the processes'))));
        // A recorder just admitted gets the passwords the others can read sealed for it too; a
        // workstation plays again, through its now admitted recorders, what it could not.
        offs.push(trust.onDidChange(() => (site.role === 'recorder' ? hooks.nodesChanged() : leases.cameraIds().forEach((id) => hooks.moved(id)))));
        await Promise.all([refreshNodes().catch(quietly('cannot read the processes')), trust.refresh().catch(quietly('cannot read the admissions'))]);
        if (site.role === 'recorder') {
          ({ keeper, coverage, locks } = recorderRounds({ site, me: { ...me(), role: 'recorder' }, directory, timing, hooks, said, logger }));
          return;
        }
        // A workstation says it is up (its key is how recorders know its requests) and follows the leases.
        const beat = () => void store.heartbeat(me(), timing.termMs).then(refreshNodes).catch(quietly('cannot reach the directory'));
        beat();
        presence = setInterval(beat, timing.roundMs);
        const reloadLeases = coalesced(() => leases.refresh(hooks).catch(quietly('cannot read the leases')));
        offs.push(directory.onChange('leases', () => void reloadLeases()));
        await reloadLeases();
      }, quietly('the directory cannot be used'));
    },
    refreshLocks: async () => locks?.refresh(),
    handlers: admissionHandlers({ store, trust, termMs: timing.termMs, nodeId: site.nodeId, keysDir: deps.keysDir }),
    async dispose() {
      closed = true;
      locks?.dispose();
      trust.dispose();
      clearInterval(presence);
      for (const off of offs) off();
      // A recorder stopped on purpose lets its cameras go at once, so a standby need not wait out the term.
      await keeper?.stop(true);
      await coverage?.stop();
    },
  };
}
