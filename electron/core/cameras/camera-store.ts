/**
 * Where the camera list is kept, and how a camera's password is kept in it. One machine: the
 * settings file and a credentials file of passwords encrypted by its SecretBox. A site: the
 * directory's `cameras` table, each password sealed to the site's recorders (site-camera-store.ts).
 * The registry holds the list in memory and writes through a store, so a write the store refuses
 * (a full disk, the directory out of reach) changes nothing.
 */
import { z } from 'zod';
import { fieldSentence } from '../../../shared/field-sentences.js';
import type { SecretBox } from '../settings/secret-box.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { cameraRecordSchema, type CameraRecord } from './camera-record.js';

/** A camera as stored: its record, and its password as the store keeps it (absent: none). */
export interface StoredCamera {
  record: CameraRecord;
  secret?: unknown;
}

/** What this process can make of a stored password. */
export type OpenedSecret = { password: string } | { unreadable: string } | { elsewhere: true };

/** How passwords are kept for one operation (a site's recorders are read once for it, not once per camera). */
export interface PasswordSealer {
  /** The password as the store keeps it. */
  seal(cameraId: string, password: string): unknown;
  /** Whether a stored password should be sealed again (a recorder joined the site since). */
  needsReseal(secret: unknown): boolean;
}

export interface CameraStore {
  /** Writes these cameras (added or changed) all or none. */
  write(rows: readonly StoredCamera[]): Promise<void>;
  /** Removes these cameras' rows for good (archived cameras whose footage here is all gone); the ids it removed. */
  forget(ids: readonly string[]): Promise<string[]>;
  /** How to keep passwords now: asked once per write, however many cameras it has. */
  sealer(): Promise<PasswordSealer>;
  /** The password, if this process may read it: a site's workstation never may (`elsewhere`). */
  open(cameraId: string, secret: unknown): OpenedSecret;
  /** The whole list as stored now, for a reload after another process changed it. */
  load(): Promise<StoredCamera[]>;
  /** Calls `listener` when another process may have changed the list; the result stops it. */
  onChange(listener: () => void): () => void;
}

export const UNREADABLE = 'The stored password of this camera cannot be read (it was saved on another computer or user account, or the credentials file was damaged); enter it again.';

/** The single-machine store, and the list it holds at start (read at once: the registry is usable before any await). */
export function openFileCameraStore(settings: SettingsStore, credentials: SettingsStore, box: SecretBox): { store: CameraStore; initial: StoredCamera[] } {
  const stored = z.array(cameraRecordSchema).safeParse(settings.get('cameras') ?? [], { error: fieldSentence });
  if (!stored.success) {
    throw new Error(`The camera list in ${settings.path} is damaged (camera ${Number(stored.error.issues[0]?.path[0] ?? 0) + 1}: ${stored.error.issues[0]?.message}). Repair or move the file; Watchroom will not overwrite it.`);
  }
  // Before passwords were encrypted they were stored as they are, under `passwords`.
  const plain = z.record(z.string(), z.string()).safeParse(credentials.get('passwords') ?? {});
  const sealedFile = z.record(z.string(), z.unknown()).safeParse(credentials.get('sealed') ?? {});
  if (!plain.success || !sealedFile.success) throw new Error(`The credentials file ${credentials.path} is damaged. Repair or move it; Watchroom will not overwrite it.`);
  let records = stored.data;
  let sealed = sealedFile.data;
  const legacy = Object.entries(plain.data);
  if (legacy.length) {
    for (const [id, password] of legacy) sealed[id] = box.encrypt(password);
    // Encrypted copies first: a crash between the two writes leaves both, and the next start redoes this.
    credentials.set('sealed', sealed);
    credentials.set('passwords', {});
  }
  const store: CameraStore = {
    async write(rows) {
      const next = [...records];
      const nextSealed = { ...sealed };
      for (const { record, secret } of rows) {
        const at = next.findIndex((r) => r.id === record.id);
        if (at === -1) next.push(record);
        else next[at] = record;
        if (secret === undefined) delete nextSealed[record.id];
        else nextSealed[record.id] = secret;
      }
      // Passwords first: a camera never lists a password its file lacks.
      credentials.set('sealed', nextSealed);
      settings.set('cameras', next);
      records = next;
      sealed = nextSealed;
    },
    async forget(ids) {
      const next = records.filter((r) => !ids.includes(r.id));
      settings.set('cameras', next);
      records = next;
      return [...ids];
    },
    sealer: async () => ({ seal: (_cameraId, password) => box.encrypt(password), needsReseal: () => false }),
    open(_cameraId, secret) {
      try {
        if (typeof secret !== 'string') throw new Error('not text');
        return { password: box.decrypt(secret) };
      } catch {
        return { unreadable: UNREADABLE };
      }
    },
    load: async () => records.map((record) => withSecret(record, sealed[record.id])),
    onChange: () => () => undefined,
  };
  return { store, initial: records.map((record) => withSecret(record, sealed[record.id])) };
}

export function withSecret(record: CameraRecord, secret: unknown): StoredCamera {
  return secret === undefined ? { record } : { record, secret };
}
