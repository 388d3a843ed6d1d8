/**
 * A site's cameras in the PostgreSQL directory: one row per camera (two administrators editing two
 * cameras never lose an edit, as they would with one list), each password sealed to every recorder
 * of the site (password-seal.ts). A workstation stores what it is given sealed and can read none of
 * it; a recorder opens its own envelope. A copy of the directory opens no camera.
 */
import { WatchroomError } from '../../../shared/errors.js';
import { cameraRecordSchema, type CameraRecord } from '../cameras/camera-record.js';
import { UNREADABLE, withSecret, type CameraStore, type OpenedSecret, type StoredCamera } from '../cameras/camera-store.js';
import type { Directory } from '../directory/directory.js';
import type { Db } from '../directory/postgres-directory.js';
import type { Logger } from '../logger.js';
import type { SiteTrust } from './site-trust.js';
import { sealPassword, type SealedPassword, type SealingKey } from './password-seal.js';

/** The schema, as one of the directory's numbered migrations. */
export const SITE_CAMERA_TABLES = `
  ALTER TABLE nodes ADD COLUMN sealing_key text NOT NULL DEFAULT '';
  CREATE TABLE cameras (
    id text PRIMARY KEY,
    seq bigserial NOT NULL,
    record jsonb NOT NULL,
    secret jsonb,
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  -- Names are unique among cameras in service, whichever workstation adds one.
  CREATE UNIQUE INDEX cameras_name_in_service ON cameras (lower(record->>'name')) WHERE NOT record ? 'archivedAt';
`;

const UNIQUE_VIOLATION = '23505';

export class CameraTable {
  constructor(private readonly db: Db) {}

  /** Every camera in the order they were added; a row this build cannot read is left out and logged, not fatal. */
  async load(logger: Logger): Promise<Array<{ record: CameraRecord; secret: unknown }>> {
    const rows = await this.db.query<{ id: string; record: unknown; secret: unknown }>('SELECT id, record, secret FROM cameras ORDER BY seq');
    return rows.flatMap((row) => {
      const parsed = cameraRecordSchema.safeParse(row.record);
      if (parsed.success && parsed.data.id === row.id) return [{ record: parsed.data, secret: row.secret ?? undefined }];
      logger.log('error', 'cameras: a row of the directory cannot be read; it is left out', { cameraId: row.id });
      return [];
    });
  }

  /** Writes the cameras all or none, in one transaction that tells every process. */
  async write(rows: readonly StoredCamera[]): Promise<void> {
    await this.db.change('cameras', rows.length === 1 ? rows[0]!.record.id : '', async (c) => {
      for (const { record, secret } of rows) {
        try {
          await c.query(
            `INSERT INTO cameras (id, record, secret) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET record = $2, secret = $3, updated_at = now()`,
            [record.id, JSON.stringify(record), secret === undefined ? null : JSON.stringify(secret)],
          );
        } catch (error) {
          if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
          // Another workstation named a camera so meanwhile.
          throw new WatchroomError('camera.invalid', 'Check the highlighted fields.', [{ field: 'name', code: 'camera.name.duplicate', message: `Another camera is already called “${record.name}”.` }]);
        }
      }
      return true;
    });
  }

  /** Each registered recorder's keys: who a password may be sealed for, once admitted. */
  async recipients(): Promise<Map<string, { publicKey: string; sealingKey: string }>> {
    const rows = await this.db.query<{ id: string; public_key: string; sealing_key: string }>(`SELECT id, public_key, sealing_key FROM nodes WHERE role = 'recorder' AND sealing_key <> '' ORDER BY id`);
    return new Map(rows.map((r) => [r.id, { publicKey: r.public_key, sealingKey: r.sealing_key }]));
  }
}

/**
 * The CameraStore of a process of a site: a recorder (`key`: its sealing key) opens the passwords
 * sealed for it; a workstation (`key` null) opens none. Passwords are sealed only to recorders a
 * person admitted with the sealing key they registered: a recorder row someone wrote into the
 * directory gets nothing.
 */
export function siteCameraStore(deps: { table: CameraTable; directory: Directory; nodeId: string; key: SealingKey | null; trust: Pick<SiteTrust, 'admitted'>; logger: Logger }): CameraStore {
  const { table, nodeId, key } = deps;
  const envelopes = (secret: unknown): SealedPassword => (secret && typeof secret === 'object' ? (secret as SealedPassword) : {});
  return {
    write: (rows) => table.write(rows),
    // A site keeps archived cameras: another recorder may still hold their footage.
    forget: async () => [],
    async sealer() {
      const registered = [...(await table.recipients())];
      const recipients = new Map(registered.filter(([id, keys]) => deps.trust.admitted({ id, ...keys })).map(([id, keys]) => [id, keys.sealingKey]));
      return {
        seal(cameraId, password) {
          if (recipients.size === 0) throw new WatchroomError('camera.no-recorder', 'No recorder of this site has been admitted yet, so the password has nobody to be kept for: admit a recorder (Site processes…), then enter the password again.');
          return sealPassword(cameraId, password, recipients);
        },
        needsReseal: (secret) => [...recipients.keys()].some((id) => !envelopes(secret)[id]),
      };
    },
    open(cameraId, secret): OpenedSecret {
      if (!key) return { elsewhere: true };
      const envelope = envelopes(secret)[nodeId];
      if (!envelope) return { unreadable: 'The password of this camera is not sealed for this recorder yet: a recorder that can read it seals it again within seconds, or enter it again.' };
      try {
        return { password: key.open(cameraId, envelope) };
      } catch {
        return { unreadable: UNREADABLE };
      }
    },
    load: async () => (await table.load(deps.logger)).map((row) => withSecret(row.record, row.secret)),
    // Once the directory is ready, then at every change by any process.
    onChange(listener) {
      let on = true;
      void deps.directory.ready.then(() => on && listener(), () => undefined);
      const off = deps.directory.onChange('cameras', () => listener());
      return () => {
        on = false;
        off();
      };
    },
  };
}
