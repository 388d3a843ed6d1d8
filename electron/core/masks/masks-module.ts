/**
 * Privacy masks as a feature: versions saved by admins (in the directory, so a site's every
 * workstation has them), shown to everyone who watches, burned into what leaves (exports,
 * thumbnails: see maskFor, which reads the directory each time rather than a copy that could lag),
 * and lifted for one person at a time. A lift ends by itself at its time (a timer re-applies it and
 * the ledger says so, as the system); its person may end it early. A lift still open when the core
 * stopped is re-applied at the next start, on the record, never silently extended.
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { SessionPerson } from '../../../shared/api.js';
import type { CoreEvent } from '../../../shared/events.js';
import { WatchroomError } from '../../../shared/errors.js';
import { can } from '../../../shared/roles.js';
import type { CameraMasks, MaskPolygon } from '../../../shared/masks.js';
import type { Handlers } from '../api/handlers.js';
import { SYSTEM, type AuditLedger } from '../audit/audit-ledger.js';
import { canonicalJson } from '../canonical-json.js';
import { DisposableMap, timeout } from '../disposables.js';
import type { FeatureModule } from '../feature-module.js';
import type { Logger } from '../logger.js';
import type { Directory } from '../directory/directory.js';
import { MaskLiftStore, type MaskLift } from './mask-lifts.js';
import type { MaskVersion, MaskVersionRepository } from './mask-versions.js';

export interface MaskOptions {
  /** How long a lift's minute lasts: 60 000 ms except in tests, which cannot wait half an hour. */
  maskLiftMinuteMs?: number;
}

export interface MasksModule extends FeatureModule {
  /** The masks to apply to a camera's picture for `person` (null: none, or that person holds a lift). */
  maskFor(cameraId: string, person: LiftHolder | null): Promise<MaskVersion | null>;
  /** The camera's current masks whoever asks (exports burn these in). */
  current(cameraId: string): Promise<MaskVersion | null>;
}

/** Who may hold a lift: a person as they are now (a session resolves to the current role). */
export type LiftHolder = Pick<SessionPerson, 'id' | 'role'>;

export const masksSha256 = (polygons: readonly MaskPolygon[]) => createHash('sha256').update(canonicalJson(polygons)).digest('hex');

export interface MasksDeps {
  dataDir: string;
  /** Where the versions are, and who hears of one saved on another workstation. */
  directory: Pick<Directory, 'masks' | 'onChange'>;
  ledger: AuditLedger;
  logger: Logger;
  checkCamera(id: string): void;
  emit(event: CoreEvent): void;
  options: MaskOptions;
}

export function createMasksModule(deps: MasksDeps): MasksModule {
  const store = new MaskLiftStore(join(deps.dataDir, 'masks.sqlite'));
  const versions = deps.directory.masks;
  const minuteMs = deps.options.maskLiftMinuteMs ?? 60_000;
  const timers = new DisposableMap<string>();
  const current = async (cameraId: string) => {
    const v = await versions.latest(cameraId);
    return v && v.polygons.length > 0 ? v : null;
  };
  // Saved here or on another workstation: views reload (no id: anything may have changed while the directory was out of reach).
  const unheard = deps.directory.onChange('masks', (change) => deps.emit({ type: 'masks.changed', ...(change.id ? { cameraId: change.id } : {}) }));
  const openLift = (personId: string, cameraId: string) => store.openLifts().find((l) => l.personId === personId && l.cameraId === cameraId) ?? null;
  // A lift counts only while its person may still lift (their role now): a role taken away takes its lifts with it.
  const liftOf = (person: LiftHolder | null, cameraId: string) => (person && can(person.role, 'masks.lift') ? openLift(person.id, cameraId) : null);

  /** Ends a lift (once) and says so in the ledger as the system; 'by-hand' ends are the caller's own entry. */
  const reapply = (lift: MaskLift, why: 'expired' | 'restart') => {
    if (!store.endLift(lift.id, Date.now(), why)) return;
    timers.delete(lift.id);
    try {
      deps.ledger.append(SYSTEM, 'mask.reapply', lift.cameraId, { ...liftDetails(lift), why, reappliedAtUtc: new Date().toISOString() });
    } catch (error) {
      deps.logger.log('error', 'masks.reapply-unrecorded', { liftId: lift.id, error: String(error) });
    }
    deps.emit({ type: 'masks.changed', cameraId: lift.cameraId });
  };
  const arm = (lift: MaskLift) => timers.set(lift.id, timeout(() => reapply(lift, 'expired'), Math.max(0, lift.untilMs - Date.now())));

  for (const lift of store.openLifts()) reapply(lift, 'restart');

  const handlers = maskHandlers({ deps, store, versions, minuteMs, current, openLift, liftOf, arm, disarm: (id) => timers.delete(id) });

  return {
    handlers,
    current,
    maskFor: async (cameraId, person) => (liftOf(person, cameraId) ? null : current(cameraId)),
    dispose() {
      unheard();
      timers.dispose();
      store.close();
    },
  };
}

interface MaskState {
  deps: MasksDeps;
  store: MaskLiftStore;
  versions: MaskVersionRepository;
  minuteMs: number;
  current(cameraId: string): Promise<MaskVersion | null>;
  openLift(personId: string, cameraId: string): MaskLift | null;
  /** The person's open lift on the camera, if it counts for them now. */
  liftOf(person: LiftHolder | null, cameraId: string): MaskLift | null;
  /** Starts the timer that re-applies a lift at its time. */
  arm(lift: MaskLift): void;
  disarm(liftId: string): void;
}

function maskHandlers({ deps, store, versions, minuteMs, current, openLift, liftOf, arm, disarm }: MaskState) {
  const view = (v: MaskVersion | null, cameraId: string, person: SessionPerson | null): CameraMasks => {
    const lift = liftOf(person, cameraId);
    return {
      cameraId,
      version: v?.version ?? 0,
      polygons: v?.polygons ?? [],
      sha256: v?.sha256 ?? masksSha256([]),
      setBy: v?.setBy ?? null,
      setAt: v?.setAt ?? null,
      lift: lift ? { id: lift.id, untilMs: lift.untilMs, reason: lift.reason } : null,
    };
  };

  return {
    listMasks: async (_arg, ctx) => (await versions.current()).map((v) => view(v, v.cameraId, ctx.person)),
    setMasks: async ({ cameraId, polygons }, ctx) => {
      deps.checkCamera(cameraId);
      // Its notice tells this workstation's views and every other's (masks.changed, above).
      const saved = await versions.add({ cameraId, polygons, sha256: masksSha256(polygons), setBy: ctx.person?.name ?? SYSTEM, setAt: Date.now() });
      ctx.record(cameraId, { cameraId, version: saved.version, polygons: polygons.length, sha256: saved.sha256 });
      return view(saved, cameraId, ctx.person);
    },
    liftMask: async ({ cameraId, reason, minutes }, ctx) => {
      deps.checkCamera(cameraId);
      const person = ctx.person!;
      const masks = await current(cameraId);
      if (!masks) throw new WatchroomError('mask.none', 'This camera has no privacy masks to lift.');
      if (openLift(person.id, cameraId)) throw new WatchroomError('mask.already-lifted', 'You have already lifted this camera’s masks; restore them first or wait until they come back.');
      const now = Date.now();
      const lift: MaskLift = { id: randomUUID(), cameraId, personId: person.id, personName: person.name, reason, liftedAt: now, untilMs: now + minutes * minuteMs, endedAt: null, endedWhy: null };
      store.insertLift(lift);
      arm(lift);
      ctx.record(cameraId, { ...liftDetails(lift), minutes, version: masks.version, sha256: masks.sha256 });
      deps.emit({ type: 'masks.changed', cameraId });
      return view(masks, cameraId, person);
    },
    restoreMask: async ({ cameraId }, ctx) => {
      const lift = openLift(ctx.person!.id, cameraId);
      if (!lift || !store.endLift(lift.id, Date.now(), 'by-hand')) throw new WatchroomError('mask.not-lifted', 'You have not lifted this camera’s masks.');
      disarm(lift.id);
      ctx.record(cameraId, { ...liftDetails(lift), why: 'by-hand', reappliedAtUtc: new Date().toISOString() });
      deps.emit({ type: 'masks.changed', cameraId });
      return view(await versions.latest(cameraId), cameraId, ctx.person);
    },
  } satisfies Partial<Handlers>;

}

/** What the ledger says of a lift at both its ends. */
const liftDetails = (lift: MaskLift) => ({
  cameraId: lift.cameraId,
  liftId: lift.id,
  person: lift.personName,
  reason: lift.reason,
  liftedAtUtc: new Date(lift.liftedAt).toISOString(),
  untilUtc: new Date(lift.untilMs).toISOString(),
});
