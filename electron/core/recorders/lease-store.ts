/**
 * The site's processes and the recorders' camera leases in the PostgreSQL directory. A camera is recorded by the one
 * recorder holding its lease; holders renew, and a lease nobody renews runs out so another recorder
 * may take the camera. Every time is the directory's clock (`now()`), never a machine's own: two
 * recorders whose clocks disagree still agree on who holds what. A change of holder raises the
 * lease's epoch, which fences the old holder: it can only renew the epoch it took.
 */
import type pg from 'pg';
import { z } from 'zod';
import type { RecordingStatus } from '../../../shared/events.js';
import type { Db } from '../directory/postgres-directory.js';

/** A Watchroom process of the site, as the directory knows it. */
export interface NodeInfo {
  id: string;
  role: 'recorder' | 'workstation';
  name: string;
  /** Where other processes reach it (a recorder's relay and media: http://host:port); '' if nowhere. */
  url: string;
  /** SPKI PEM of the key its requests and answers are signed with. */
  publicKey: string;
  /** A recorder's: SPKI PEM of the key camera passwords are sealed to (password-seal.ts); '' for a workstation. */
  sealingKey: string;
  /**
   * A recorder's sealing key signed with its signing key (base64 DER): what binds the two, so the
   * fingerprint an administrator compares vouches for both. '' for a workstation.
   */
  sealingKeySignature: string;
}

export interface NodeRow extends NodeInfo {
  /** It renewed within the lease term, by the directory's clock. */
  alive: boolean;
  /** How long it has been up without a break in its heartbeat, in ms. */
  upMs: number;
}

/** What the holder says of its recording of the camera (the REC mark a workstation shows). */
export type HolderRecording = RecordingStatus | null;

export interface Lease {
  cameraId: string;
  recorderId: string;
  epoch: number;
  /** As the holder last said (null: not said yet). */
  recording: HolderRecording;
  /** Directory time the lease was taken, ms since 1970. */
  acquiredAt: number;
  expiresAt: number;
}

/** A lease taken from nobody or from a recorder that stopped renewing. */
export interface GainedLease extends Lease {
  /** The recorder that held the camera before, and when its lease ran out (null: nobody held it). */
  previous: { recorderId: string; expiredAt: number } | null;
}

/** The schema, as one of the directory's numbered migrations. */
export const LEASE_TABLES = `
  CREATE TABLE nodes (
    id text PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('recorder', 'workstation')),
    name text NOT NULL,
    url text NOT NULL,
    public_key text NOT NULL,
    up_since timestamptz NOT NULL,
    seen_at timestamptz NOT NULL
  );
  CREATE TABLE camera_leases (
    camera_id text PRIMARY KEY,
    recorder_id text NOT NULL REFERENCES nodes (id),
    epoch bigint NOT NULL,
    acquired_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
  );
  CREATE INDEX camera_leases_recorder ON camera_leases (recorder_id);
`;

/** Migration: the holder's word on its recording, beside its lease. */
/** Migration: the signature binding a recorder's sealing key to its signing key. */
export const SEALING_KEY_SIGNATURE = `ALTER TABLE nodes ADD COLUMN sealing_key_signature text NOT NULL DEFAULT '';`;

export const LEASE_RECORDING = `ALTER TABLE camera_leases ADD COLUMN recording jsonb;`;

const holderRecordingSchema = z.object({ state: z.enum(['off', 'recording', 'error']), reason: z.string().max(500).optional() });

const ms = (t: Date | string | number): number => new Date(t).getTime();

/** A camera_leases row as pg returns it (bigint as text, timestamptz as Date). */
interface LeaseRow {
  camera_id: string;
  recorder_id: string;
  epoch: string | number;
  acquired_at: Date;
  expires_at: Date;
  recording: unknown;
}

const toLease = (r: LeaseRow): Lease => ({
  cameraId: r.camera_id,
  recorderId: r.recorder_id,
  epoch: Number(r.epoch),
  // Another process wrote it: taken only in the shape a workstation can show.
  recording: holderRecordingSchema.safeParse(r.recording).data ?? null,
  acquiredAt: ms(r.acquired_at),
  expiresAt: ms(r.expires_at),
});

export class LeaseStore {
  constructor(private readonly db: Db) {}

  /** Registers the process or notes it is still up; a heartbeat later than one term starts a new "up since". */
  async heartbeat(node: NodeInfo, termMs: number): Promise<void> {
    await this.db.change('nodes', node.id, async (c) => {
      const before = await c.query<{ fresh: boolean }>(`SELECT seen_at > now() - $2 * interval '1 millisecond' AS fresh FROM nodes WHERE id = $1`, [node.id, termMs]);
      await c.query(
        `INSERT INTO nodes (id, role, name, url, public_key, sealing_key, sealing_key_signature, up_since, seen_at) VALUES ($1, $2, $3, $4, $5, $7, $8, now(), now())
         ON CONFLICT (id) DO UPDATE SET role = $2, name = $3, url = $4, public_key = $5, sealing_key = $7, sealing_key_signature = $8, seen_at = now(),
           up_since = CASE WHEN nodes.seen_at > now() - $6 * interval '1 millisecond' THEN nodes.up_since ELSE now() END`,
        [node.id, node.role, node.name, node.url, node.publicKey, termMs, node.sealingKey, node.sealingKeySignature],
      );
      // Others need to hear of a process that (re)appears, not of each heartbeat.
      return before.rows[0]?.fresh ? null : true;
    });
  }

  async nodes(termMs: number): Promise<NodeRow[]> {
    const rows = await this.db.query(
      `SELECT id, role, name, url, public_key, sealing_key, sealing_key_signature, seen_at > now() - $1 * interval '1 millisecond' AS alive,
              (extract(epoch FROM now() - up_since) * 1000)::bigint AS up_ms
         FROM nodes ORDER BY id`,
      [termMs],
    );
    return rows.map((r) => ({ id: r.id, role: r.role, name: r.name, url: nodeUrl(r.url), publicKey: r.public_key, sealingKey: r.sealing_key, sealingKeySignature: r.sealing_key_signature, alive: r.alive, upMs: Number(r.up_ms) }));
  }

  /** Extends the leases this recorder still holds (and has not let run out); the result is the cameras renewed. */
  async renew(recorderId: string, cameraIds: readonly string[], termMs: number): Promise<Set<string>> {
    if (cameraIds.length === 0) return new Set();
    const rows = await this.db.query<{ camera_id: string }>(
      `UPDATE camera_leases SET expires_at = now() + $3 * interval '1 millisecond'
        WHERE recorder_id = $1 AND camera_id = ANY($2) AND expires_at > now() RETURNING camera_id`,
      [recorderId, cameraIds, termMs],
    );
    return new Set(rows.map((r) => r.camera_id));
  }

  /**
   * Takes the camera if nobody holds it or its lease ran out. A standby (a recorder the camera is not
   * assigned to) takes it only while the camera's assigned recorder is down, so a live primary always
   * gets its cameras back first. Row locks make concurrent takers wait on each other: one wins.
   */
  async acquire(recorderId: string, cameraId: string, termMs: number, standbyFor: string | null): Promise<GainedLease | null> {
    return (await this.acquireAll(recorderId, [{ cameraId, standbyFor }], termMs))[0] ?? null;
  }

  /** Takes what it can of these cameras (as `acquire` each) in one transaction, with one notice. */
  async acquireAll(recorderId: string, wants: ReadonlyArray<{ cameraId: string; standbyFor: string | null }>, termMs: number): Promise<GainedLease[]> {
    if (wants.length === 0) return [];
    const gained = await this.db.change('leases', wants.length === 1 ? wants[0]!.cameraId : '', async (c) => {
      const taken: GainedLease[] = [];
      // In one order whoever takes: two recorders' batches lock rows alike and never deadlock.
      for (const { cameraId, standbyFor } of [...wants].sort((a, b) => (a.cameraId < b.cameraId ? -1 : 1))) {
        const lease = await takeOne(c, recorderId, cameraId, termMs, standbyFor);
        if (lease) taken.push(lease);
      }
      return taken.length ? taken : null;
    });
    return gained ?? [];
  }

  /** Of these cameras, those nobody holds now (no lease, or one that ran out): what is worth trying to take. */
  async takeable(cameraIds: readonly string[]): Promise<Set<string>> {
    if (cameraIds.length === 0) return new Set();
    const rows = await this.db.query<{ camera_id: string }>(
      `SELECT c.camera_id FROM unnest($1::text[]) AS c(camera_id) LEFT JOIN camera_leases l USING (camera_id) WHERE l.camera_id IS NULL OR l.expires_at <= now()`,
      [cameraIds],
    );
    return new Set(rows.map((r) => r.camera_id));
  }

  /** The holder says how its recording of the camera goes (only on a change: workstations are told). */
  async setRecording(recorderId: string, cameraId: string, recording: RecordingStatus): Promise<void> {
    const said = { state: recording.state, ...(recording.reason ? { reason: recording.reason.slice(0, 500) } : {}) };
    await this.db.change('leases', cameraId, async (c) => {
      const { rowCount } = await c.query('UPDATE camera_leases SET recording = $3 WHERE camera_id = $2 AND recorder_id = $1 AND expires_at > now()', [recorderId, cameraId, JSON.stringify(said)]);
      return rowCount ? true : null;
    });
  }

  /** Gives the cameras up at once (a clean stop, or handing them back to their primary). */
  async release(recorderId: string, cameraIds: readonly string[]): Promise<void> {
    if (cameraIds.length === 0) return;
    await this.db.change('leases', cameraIds.join(','), async (c) => {
      const { rowCount } = await c.query(`UPDATE camera_leases SET expires_at = now() WHERE recorder_id = $1 AND camera_id = ANY($2) AND expires_at > now()`, [recorderId, cameraIds]);
      return rowCount ? true : null;
    });
  }

  /** Every lease that has not run out: which recorder serves which camera now. */
  async current(): Promise<Lease[]> {
    return (await this.db.query<LeaseRow>(`SELECT * FROM camera_leases WHERE expires_at > now() ORDER BY camera_id`)).map(toLease);
  }
}

/** One camera taken inside a transaction, or null (held by another, or its primary is up). */
async function takeOne(c: pg.PoolClient, recorderId: string, cameraId: string, termMs: number, standbyFor: string | null): Promise<GainedLease | null> {
  if (standbyFor) {
    const primary = await c.query(`SELECT 1 FROM nodes WHERE id = $1 AND seen_at > now() - $2 * interval '1 millisecond'`, [standbyFor, termMs]);
    if (primary.rowCount) return null;
  }
  const current = await c.query(`SELECT *, expires_at <= now() AS expired FROM camera_leases WHERE camera_id = $1 FOR UPDATE`, [cameraId]);
  const row = current.rows[0];
  if (row && !row.expired) return null;
  const { rows } = row
    ? await c.query(
        `UPDATE camera_leases SET recorder_id = $2, epoch = epoch + 1, acquired_at = now(), expires_at = now() + $3 * interval '1 millisecond'
          WHERE camera_id = $1 RETURNING *`,
        [cameraId, recorderId, termMs],
      )
    : await c.query(
        `INSERT INTO camera_leases (camera_id, recorder_id, epoch, acquired_at, expires_at) VALUES ($1, $2, 1, now(), now() + $3 * interval '1 millisecond')
         ON CONFLICT (camera_id) DO NOTHING RETURNING *`,
        [cameraId, recorderId, termMs],
      );
  if (!rows[0]) return null;
  return { ...toLease(rows[0]), previous: row ? { recorderId: row.recorder_id, expiredAt: ms(row.expires_at) } : null };
}

/**
 * A process's address as others may use it: http(s)://host:port and nothing more, else '' (none).
 * Anyone who can write the directory can write anything there; an address that is not one must
 * leave the camera unserved, not throw in every workstation that tries it.
 */
export function nodeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.pathname === '/' && !parsed.search && !parsed.hash && !parsed.username && !parsed.password ? url.replace(/\/$/, '') : '';
  } catch {
    return '';
  }
}
