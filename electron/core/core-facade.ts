/**
 * The Core the shells see, made from the features: calls go through the dispatcher the contract
 * drives, live streams and uploads check the session the same way, media go through signed links,
 * and closing disposes of the features in reverse order (later ones lean on earlier ones).
 */
import type { SessionPerson } from '../../shared/api.js';
import { API_METHODS } from '../../shared/contract.js';
import type { Permission } from '../../shared/roles.js';
import { createDispatcher, refusal, SYSTEM_TOKEN } from './api/dispatch.js';
import type { Handlers } from './api/handlers.js';
import type { AuditModule } from './audit/audit-module.js';
import type { Core } from './core.js';
import type { Directory } from './directory/directory.js';
import type { CoreBase } from './core-base.js';
import type { createEvidenceService } from './evidence/evidence-service.js';
import type { FeatureModule } from './feature-module.js';
import type { PeopleModule } from './people/people-module.js';
import type { RecordingModule } from './recording/recording-module.js';
import { signedMedia } from './signed-media.js';
import type { StreamsModule } from './streams/streams-module.js';
import type { SiteModule } from './recorders/site-module.js';
import { custodyDoor } from './recorders/custody-door.js';
import type { KeptMasters } from './recorders/kept-masters.js';

interface Features {
  base: CoreBase;
  /** Every feature, in the order they were built. */
  modules: readonly FeatureModule[];
  audit: AuditModule;
  people: PeopleModule;
  streams: StreamsModule;
  recording: RecordingModule;
  evidence: ReturnType<typeof createEvidenceService>;
  directory: Directory;
  site: SiteModule | null;
  /** A recorder's: the masters workstations withheld and handed to it. */
  keptMasters: KeptMasters | null;
}

export function coreFacade({ base, modules, audit, people, streams, recording, evidence, directory, site, keptMasters }: Features): Core {
  const dispatcher = createDispatcher({ handlers: mergeHandlers(modules), ledger: audit.ledger, sessions: people.sessions, logger: base.logger });
  /** The person of a session that may use `permission`, or the refusal (as the dispatcher words it); only watching goes on while locked. */
  const permitted = (token: string | null, what: string, permission: Permission, whileLocked = false): SessionPerson => {
    const session = people.sessions.resolve(token);
    const refused = refusal(what, permission, session, whileLocked);
    if (refused) throw refused;
    return session!.person;
  };
  return {
    call: (token, method, arg) => dispatcher.call(token, method, arg),
    api: (token) => dispatcher.api(token),
    system: dispatcher.api(SYSTEM_TOKEN),
    person: (token) => people.sessions.resolve(token)?.person ?? null,
    watchSession: (token, onEnd) => people.sessions.onEnd(token, onEnd),
    createFirstAdmin: people.createFirstAdmin,
    openLive: (token, cameraId, sink, stream) => streams.openLive(permitted(token, 'live video', 'wall.view', true), cameraId, sink, stream),
    openRelay: streams.openRelay,
    nodeKey: (nodeId) => site?.publicKeyOf(nodeId) ?? null,
    nodeId: site?.nodeId ?? null,
    custody:
      site?.role === 'recorder' && keptMasters
        ? { masters: keptMasters, door: custodyDoor({ recorderId: site.nodeId, index: recording.index, ledger: audit.ledger, checkpoints: audit.checkpoints, key: audit.signingKey, trustedOffset: (o) => audit.trustedOffset(o) }), isWorkstation: (id) => site.nodeRole(id) === 'workstation' }
        : null,
    serveMedia: signedMedia(modules.flatMap((m) => m.mediaRoutes ?? []), people.sessions, base.logger),
    receivePackageFile: async (token, upload) => {
      permitted(token, 'an upload', 'evidence.verify');
      return evidence.receivePackageFile(upload);
    },
    grantPackageFolder: evidence.grantPackageFolder,
    onEvent: base.events.event as Core['onEvent'],
    logger: base.logger,
    ready: recording.ready,
    directoryReady: directory.ready,
    recordings: { root: recording.root, index: recording.index },
    footageServed: (nodeId, s) => void audit.ledger.append('system', 'footage.served', s.cameraId, { to: nodeId, segment: s.path, startMs: s.startMs, endMs: s.endMs, bytes: s.bytes }),
    applyRetention: recording.applyRetention,
    async close() {
      for (const module of [...modules].reverse()) await module.dispose?.();
      base.close();
    },
  };
}

/** Every method's one handler; a method no feature or two features handle is a wiring mistake, found at start. */
function mergeHandlers(modules: readonly FeatureModule[]): Handlers {
  const merged: Record<string, unknown> = {};
  for (const module of modules) {
    for (const [method, handler] of Object.entries(module.handlers)) {
      if (method in merged) throw new Error(`Two features handle ${method}.`);
      merged[method] = handler;
    }
  }
  const missing = API_METHODS.filter((method) => !(method in merged));
  if (missing.length) throw new Error(`No feature handles ${missing.join(', ')}.`);
  return merged as Handlers;
}
