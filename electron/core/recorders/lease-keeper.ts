/**
 * One recorder's side of the leases: every round it says it is up, renews what it holds, lets go of
 * what another recorder took, hands cameras back to their assigned recorder once that one has been up
 * a full term, and takes cameras that nobody records. A failed round (the directory unreachable)
 * changes nothing: a recorder that cannot reach the directory keeps recording what it holds, because
 * footage recorded twice can be sorted out later and footage never recorded cannot.
 */
import type { Logger } from '../logger.js';
import type { GainedLease, LeaseStore, NodeInfo } from './lease-store.js';

export interface LeaseTiming {
  /** How long a lease lasts unless renewed; a stopped recorder's cameras move within about this plus one round. */
  termMs: number;
  /** How often leases are renewed and free cameras looked for. */
  roundMs: number;
}

/** Measured on two cores under load: renewals land well inside 6 s; failover then takes under 15 s. */
export const DEFAULT_LEASE_TIMING: LeaseTiming = { termMs: 6_000, roundMs: 1_500 };

export interface LeaseKeeperOptions {
  recorder: NodeInfo & { role: 'recorder' };
  store: LeaseStore;
  /** The cameras that should be recorded, and the recorder each is assigned to (null: any). Read every round. */
  cameras(): ReadonlyArray<{ id: string; assignedTo: string | null }>;
  /** Most cameras this recorder takes as a standby. */
  capacity: number;
  timing?: LeaseTiming;
  /** Start recording and relaying the camera. */
  onGained(lease: GainedLease): void;
  /** Stop at once: another recorder holds it now (or it was handed back, or removed). */
  onLost(cameraId: string, why: 'taken' | 'handed-back' | 'removed'): void;
  logger: Logger;
}

/** Cameras taken in one transaction: a dead recorder's hundred in a few. */
const TAKE_BATCH = 25;

/** Of the cameras assigned to no recorder, how many each live recorder takes: all of them shared out, rounded up. */
function fairShare(wanted: ReadonlyMap<string, string | null>, recordersUp: number): number {
  const unassigned = [...wanted.values()].filter((a) => a === null).length;
  return Math.ceil(unassigned / Math.max(1, recordersUp));
}

export class LeaseKeeper {
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly timing: LeaseTiming;

  constructor(private readonly opts: LeaseKeeperOptions) {
    this.timing = opts.timing ?? DEFAULT_LEASE_TIMING;
  }

  /** The cameras this recorder holds now. */
  get cameras(): ReadonlySet<string> {
    return this.held;
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.round = this.runRound()
        .catch((error: Error) => this.opts.logger.log('warn', 'leases.round-failed', { error: error.message, holding: this.held.size }))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.timing.roundMs);
        });
    };
    tick();
  }

  /** Stops the rounds; with `release`, gives every camera up so a standby takes them without waiting out the term. */
  async stop(release: boolean): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round;
    if (release) await this.opts.store.release(this.opts.recorder.id, [...this.held]).catch(() => undefined);
    this.held.clear();
  }

  /** One round; exposed so tests can step without waiting for the timer. */
  async runRound(): Promise<void> {
    const { store, recorder } = this.opts;
    const { termMs, roundMs } = this.timing;
    const began = performance.now();
    await store.heartbeat(recorder, termMs);
    const wanted = new Map(this.opts.cameras().map((c) => [c.id, c.assignedTo]));

    const renewed = await store.renew(recorder.id, [...this.held], termMs);
    for (const id of [...this.held]) {
      if (!wanted.has(id)) {
        await store.release(recorder.id, [id]);
        this.lose(id, 'removed');
      } else if (!renewed.has(id)) {
        // Renewed too late (a slow round): still ours if nobody took it meanwhile; recording goes on.
        const again = await store.acquire(recorder.id, id, termMs, null);
        if (again) this.opts.logger.log('warn', 'leases.renewed-late', { cameraId: id, epoch: again.epoch, from: again.previous?.recorderId ?? null });
        else this.lose(id, 'taken');
      }
    }
    if (this.stopped) return;

    const nodes = await store.nodes(termMs);
    const settledUp = new Set(nodes.filter((r) => r.role === 'recorder' && r.alive && r.upMs >= termMs).map((r) => r.id));
    const handBack = [...this.held].filter((id) => {
      const primary = wanted.get(id);
      return primary && primary !== recorder.id && settledUp.has(primary);
    });
    if (handBack.length) {
      await store.release(recorder.id, handBack);
      for (const id of handBack) this.lose(id, 'handed-back');
    }

    // A recorder waits until it has been up a full term before it takes cameras not assigned to it:
    // when a whole site starts, each recorder gets its own cameras, and the unassigned ones are shared
    // out evenly, rather than the first recorder up taking everything.
    const settled = settledUp.has(recorder.id);
    const share = fairShare(wanted, nodes.filter((r) => r.role === 'recorder' && r.alive).length);
    let unassignedHeld = [...this.held].filter((id) => wanted.get(id) === null).length;
    let standbyHeld = this.held.size;
    // Only cameras nobody holds are worth a try: one query, not one transaction per camera of the site.
    const free = await store.takeable([...wanted.keys()].filter((id) => !this.held.has(id)));
    const wants: Array<{ cameraId: string; standbyFor: string | null }> = [];
    for (const id of free) {
      const assignedTo = wanted.get(id) ?? null;
      if (assignedTo !== recorder.id) {
        if (!settled || standbyHeld >= this.opts.capacity) continue;
        if (assignedTo === null && unassignedHeld >= share) continue;
        standbyHeld++;
        if (assignedTo === null) unassignedHeld++;
      }
      wants.push({ cameraId: id, standbyFor: assignedTo === recorder.id || assignedTo === null ? null : assignedTo });
    }
    for (let at = 0; at < wants.length && !this.stopped; at += TAKE_BATCH) {
      // A big take (a site starting, a dead recorder's hundred cameras) must not outlast a term: what
      // was taken first is renewed before it runs out, and the rest waits for the next round.
      if (at > 0 && performance.now() - began > roundMs) break;
      for (const gained of await store.acquireAll(recorder.id, wants.slice(at, at + TAKE_BATCH), termMs)) {
        if (this.stopped) break;
        this.held.add(gained.cameraId);
        this.opts.logger.log('info', 'leases.gained', { cameraId: gained.cameraId, epoch: gained.epoch, from: gained.previous?.recorderId ?? null });
        this.opts.onGained(gained);
      }
    }
  }

  private lose(cameraId: string, why: 'taken' | 'handed-back' | 'removed'): void {
    this.held.delete(cameraId);
    this.opts.logger.log(why === 'taken' ? 'warn' : 'info', 'leases.lost', { cameraId, why });
    this.opts.onLost(cameraId, why);
  }
}
