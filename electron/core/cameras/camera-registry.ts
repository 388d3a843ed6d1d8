/**
 * The configured cameras: add, edit, remove, list. Records persist in the settings store, passwords
 * in a separate credentials store (file mode 0600), each encrypted by the SecretBox, and never leave
 * this module except to build the ffmpeg input URL.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { CameraInput } from '../../../shared/api.js';
import { WatchroomError, type FieldError } from '../../../shared/errors.js';
import { fieldSentence } from '../../../shared/field-sentences.js';
import type { SecretBox } from '../settings/secret-box.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { StreamVariant } from '../../../shared/events.js';
import type { StreamSource } from '../streams/ffmpeg-args.js';
import { cameraRecordSchema, type CameraRecord } from './camera-record.js';
import { validateCamera, type ValidCamera } from './camera-validation.js';
import { formatRtspUrl, parseRtspUrl } from './rtsp-url.js';

const DEMO_NAMES = ['Demo · Car park', 'Demo · Lobby', 'Demo · High street', 'Demo · Loading bay'];
const DEMO_URL = /^demo:\/\/(\d+)$/;
const UNREADABLE = 'The stored password of this camera cannot be read (it was saved on another computer or user account, or the credentials file was damaged); enter it again.';

export class CameraRegistry {
  private records: CameraRecord[];
  /** In memory only: what ffmpeg is given. */
  private passwords: Record<string, string> = {};
  /** What the credentials store holds: each password encrypted by the box, as `sealed.<camera id>`. */
  private sealed: Record<string, unknown>;
  /** Cameras whose sealed password the box cannot decrypt; kept as stored until it is entered again. */
  private readonly unreadable = new Set<string>();

  constructor(
    private readonly settings: SettingsStore,
    private readonly credentials: SettingsStore,
    private readonly box: SecretBox,
  ) {
    const stored = z.array(cameraRecordSchema).safeParse(settings.get('cameras') ?? [], { error: fieldSentence });
    if (!stored.success) {
      throw new Error(`The camera list in ${settings.path} is damaged (camera ${Number(stored.error.issues[0]?.path[0] ?? 0) + 1}: ${stored.error.issues[0]?.message}). Repair or move the file; Watchroom will not overwrite it.`);
    }
    // Before passwords were encrypted they were stored as they are, under `passwords`.
    const plain = z.record(z.string(), z.string()).safeParse(credentials.get('passwords') ?? {});
    const sealed = z.record(z.string(), z.unknown()).safeParse(credentials.get('sealed') ?? {});
    if (!plain.success || !sealed.success) throw new Error(`The credentials file ${credentials.path} is damaged. Repair or move it; Watchroom will not overwrite it.`);
    this.records = stored.data;
    this.sealed = sealed.data;
    for (const [id, value] of Object.entries(this.sealed)) {
      try {
        if (typeof value !== 'string') throw new Error('not text');
        this.passwords[id] = box.decrypt(value);
      } catch {
        this.unreadable.add(id);
      }
    }
    const legacy = Object.entries(plain.data);
    if (legacy.length) {
      for (const [id, password] of legacy) this.setPassword(id, password);
      // Encrypted copies first: a crash between the two writes leaves both, and the next start redoes this.
      this.credentials.set('sealed', this.sealed);
      this.credentials.set('passwords', {});
    }
  }

  /** The cameras in service (archived ones are left out). */
  list(): CameraRecord[] {
    return this.records.filter((r) => r.archivedAt === undefined);
  }

  /** Cameras taken out of service whose footage is kept until retention ends it. */
  archived(): CameraRecord[] {
    return this.records.filter((r) => r.archivedAt !== undefined);
  }

  get(id: string): CameraRecord {
    const record = this.records.find((r) => r.id === id);
    if (!record) throw new WatchroomError('camera.not-found', `There is no camera with id ${id}.`);
    return record;
  }

  /** Whether the camera is in service (archived cameras are not pulled or recorded). */
  has(id: string): boolean {
    return this.records.some((r) => r.id === id && r.archivedAt === undefined);
  }

  hasPassword(id: string): boolean {
    return this.passwords[id] !== undefined || this.unreadable.has(id);
  }

  add(input: CameraInput): CameraRecord {
    return this.addMany([input], (e) => e)[0]!;
  }

  /** Adds all or none. `errorField` renames each field error (e.g. to rows[3].url for an import). */
  addMany(inputs: readonly CameraInput[], errorField: (e: FieldError, index: number) => FieldError): CameraRecord[] {
    const names = this.list().map((r) => r.name);
    const errors: FieldError[] = [];
    const valid: ValidCamera[] = [];
    inputs.forEach((input, i) => {
      const result = validateCamera(input, names);
      if (result.ok) {
        valid.push(result.camera);
        names.push(result.camera.name);
      } else {
        errors.push(...result.errors.map((e) => errorField(e, i)));
      }
    });
    if (errors.length) throw new WatchroomError('camera.invalid', inputs.length === 1 ? 'Check the highlighted fields.' : 'Some rows are not valid; nothing was imported.', errors);
    const added = valid.map((camera) => this.store(newId(), camera));
    this.save();
    return added;
  }

  update(id: string, changes: Partial<CameraInput>): CameraRecord {
    const current = this.get(id);
    if (current.archivedAt !== undefined) throw new WatchroomError('camera.not-found', `Camera ${current.name} is archived; add it again to use it.`);
    if (current.demo) throw new WatchroomError('camera.demo-readonly', 'Demo cameras cannot be edited; remove them and add a real camera.');
    const merged: CameraInput = {
      name: changes.name ?? current.name,
      url: changes.url ?? current.url,
      subUrl: changes.subUrl ?? current.subUrl,
      group: changes.group ?? current.group,
      username: changes.username ?? current.username,
      // Absent keeps the stored password; '' removes it.
      password: changes.password ?? this.passwords[id],
      enabled: changes.enabled ?? current.enabled,
      recording: changes.recording ?? current.recording,
    };
    const result = validateCamera(merged, this.list().filter((r) => r.id !== id).map((r) => r.name));
    if (!result.ok) throw new WatchroomError('camera.invalid', 'Check the highlighted fields.', result.errors);
    // A password that cannot be read stays stored as it is until one is entered (or '' removes it).
    const keepUnreadable = changes.password === undefined && this.unreadable.has(id);
    const record = this.store(id, result.camera, keepUnreadable);
    this.save();
    return record;
  }

  /**
   * Takes a camera out of service: it is no longer pulled or recorded and its password is forgotten,
   * but its record stays so its footage can still be played and exported until retention ends it.
   */
  archive(id: string, now = Date.now()): CameraRecord {
    if (!this.has(id)) throw new WatchroomError('camera.not-found', `There is no camera with id ${id} in service.`);
    const record = { ...this.get(id), archivedAt: now };
    this.records = this.records.map((r) => (r.id === id ? record : r));
    this.setPassword(id, undefined);
    this.save();
    return record;
  }

  /** Forgets archived cameras with no footage left (retention has ended it all). */
  forgetArchived(hasFootage: (id: string) => boolean): CameraRecord[] {
    const gone = this.archived().filter((r) => !hasFootage(r.id));
    if (gone.length === 0) return [];
    this.records = this.records.filter((r) => !gone.includes(r));
    this.save();
    return gone;
  }

  addDemo(): CameraRecord[] {
    const used = new Set(this.list().map((r) => r.name));
    const added = DEMO_NAMES.map((name, i) => ({ name, i }))
      .filter(({ name }) => !used.has(name))
      .map(({ name, i }): CameraRecord => ({ id: newId(), name, url: `demo://${i}`, enabled: true, demo: true, recording: true }));
    this.records.push(...added);
    this.save();
    return added;
  }

  /**
   * What ffmpeg should open for one of the camera's streams, credentials included (the sub-stream
   * uses the camera's). Null for an unknown camera, or a sub-stream the camera does not have;
   * unusable while its stored password cannot be read.
   */
  source(id: string, stream: StreamVariant = 'main'): StreamSource | null {
    const record = this.records.find((r) => r.id === id);
    if (!record || record.archivedAt !== undefined) return null;
    const demo = DEMO_URL.exec(record.url);
    if (demo) return stream === 'main' ? { kind: 'demo', pattern: Number(demo[1]), label: record.name } : null;
    const address = stream === 'main' ? record.url : record.subUrl;
    if (!address) return null;
    const parsed = parseRtspUrl(address);
    if (!parsed.ok) return null;
    if (this.unreadable.has(id)) return { kind: 'unusable', reason: UNREADABLE };
    const credentials: { username?: string; password?: string } = {};
    if (record.username) credentials.username = record.username;
    const password = this.passwords[id];
    if (password) credentials.password = password;
    return { kind: 'rtsp', url: formatRtspUrl(parsed.url, credentials) };
  }

  /** Every stored password, for log redaction. */
  secrets(): string[] {
    return Object.values(this.passwords);
  }

  private store(id: string, camera: ValidCamera, keepUnreadable = false): CameraRecord {
    const record: CameraRecord = { id, name: camera.name, url: camera.url, enabled: camera.enabled, demo: false, recording: camera.recording };
    if (camera.subUrl) record.subUrl = camera.subUrl;
    if (camera.group) record.group = camera.group;
    if (camera.username) record.username = camera.username;
    const index = this.records.findIndex((r) => r.id === id);
    if (index === -1) this.records.push(record);
    else this.records[index] = record;
    if (camera.password || !keepUnreadable) this.setPassword(id, camera.password);
    return record;
  }

  private setPassword(id: string, password: string | undefined): void {
    this.unreadable.delete(id);
    if (password) {
      this.passwords[id] = password;
      this.sealed[id] = this.box.encrypt(password);
    } else {
      delete this.passwords[id];
      delete this.sealed[id];
    }
  }

  private save(): void {
    this.credentials.set('sealed', this.sealed);
    this.settings.set('cameras', this.records);
  }
}

function newId(): string {
  return `cam-${randomBytes(5).toString('hex')}`;
}
