/**
 * The configured cameras: add, edit, remove, list. The list is held in memory (reads are sync) and
 * written through a CameraStore (the settings file, or a site's directory); a change is kept only
 * once the store has it. Passwords are held as the store seals them, and opened only where this
 * process may read them, never leaving this module except to build the ffmpeg input URL.
 */
import { randomBytes } from 'node:crypto';
import type { CameraInput } from '../../../shared/api.js';
import { WatchroomError, type FieldError } from '../../../shared/errors.js';
import type { StreamVariant } from '../../../shared/events.js';
import type { StreamSource } from '../streams/ffmpeg-args.js';
import type { CameraRecord } from './camera-record.js';
import { withSecret, type CameraStore, type PasswordSealer, type StoredCamera } from './camera-store.js';
import { validateCamera, type ValidCamera } from './camera-validation.js';
import { formatRtspUrl, parseRtspUrl } from './rtsp-url.js';

const DEMO_NAMES = ['Demo · Car park', 'Demo · Lobby', 'Demo · High street', 'Demo · Loading bay'];
const DEMO_URL = /^demo:\/\/(\d+)$/;

/** How the list changed when another process changed it. */
export interface CameraListChange {
  added: CameraRecord[];
  archived: CameraRecord[];
  /** Cameras whose streams must restart: what ffmpeg opens, or whether they record, changed. */
  sourceChanged: string[];
  changed: boolean;
}

export class CameraRegistry {
  private records: CameraRecord[] = [];
  /** Each camera's password as the store keeps it. */
  private secrets_ = new Map<string, unknown>();
  /** In memory only: what ffmpeg is given. */
  private passwords = new Map<string, string>();
  /** Cameras whose stored password this process cannot open, and why; kept as stored until one is entered. */
  private readonly unreadable = new Map<string, string>();
  /** Writes and reloads one after another, so a reload never sees a write half taken in. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: CameraStore,
    initial: readonly StoredCamera[],
  ) {
    this.take(initial);
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
    return this.secrets_.has(id);
  }

  add(input: CameraInput): Promise<CameraRecord> {
    return this.addMany([input], (e) => e).then((added) => added[0]!);
  }

  /** Adds all or none. `errorField` renames each field error (e.g. to rows[3].url for an import). */
  addMany(inputs: readonly CameraInput[], errorField: (e: FieldError, index: number) => FieldError): Promise<CameraRecord[]> {
    return this.serially(async () => {
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
      const sealer = await this.store.sealer();
      const rows = valid.map((camera) => this.row(sealer, newId(), camera, camera.password));
      await this.commit(rows);
      return rows.map((r) => r.record);
    });
  }

  update(id: string, changes: Partial<CameraInput>): Promise<CameraRecord> {
    return this.serially(async () => {
      const current = this.get(id);
      if (current.archivedAt !== undefined) throw new WatchroomError('camera.not-found', `Camera ${current.name} is archived; add it again to use it.`);
      if (current.demo) throw new WatchroomError('camera.demo-readonly', 'Demo cameras cannot be edited; remove them and add a real camera.');
      const merged: CameraInput = {
        name: changes.name ?? current.name,
        url: changes.url ?? current.url,
        subUrl: changes.subUrl ?? current.subUrl,
        group: changes.group ?? current.group,
        username: changes.username ?? current.username,
        password: changes.password,
        enabled: changes.enabled ?? current.enabled,
        recording: changes.recording ?? current.recording,
      };
      // Absent keeps the stored password (even one this process cannot read); '' removes it; a password in the address replaces it.
      const passwordKept = changes.password === undefined && this.secrets_.has(id);
      const result = validateCamera(merged, this.list().filter((r) => r.id !== id).map((r) => r.name), { passwordKept });
      if (!result.ok) throw new WatchroomError('camera.invalid', 'Check the highlighted fields.', result.errors);
      const keep = passwordKept && result.camera.password === undefined;
      const row = keep ? withSecret(record(id, result.camera), this.secrets_.get(id)) : this.row(await this.store.sealer(), id, result.camera, result.camera.password);
      await this.commit([row]);
      return row.record;
    });
  }

  /**
   * Takes a camera out of service: it is no longer pulled or recorded and its password is forgotten,
   * but its record stays so its footage can still be played and exported until retention ends it.
   */
  archive(id: string, now = Date.now()): Promise<CameraRecord> {
    return this.serially(async () => {
      if (!this.has(id)) throw new WatchroomError('camera.not-found', `There is no camera with id ${id} in service.`);
      const row = { record: { ...this.get(id), archivedAt: now } };
      await this.commit([row]);
      return row.record;
    });
  }

  /** Forgets archived cameras with no footage left (retention has ended it all). */
  forgetArchived(hasFootage: (id: string) => boolean): Promise<CameraRecord[]> {
    return this.serially(async () => {
      const gone = this.archived().filter((r) => !hasFootage(r.id));
      if (gone.length === 0) return [];
      const forgotten = new Set(await this.store.forget(gone.map((r) => r.id)));
      this.records = this.records.filter((r) => !forgotten.has(r.id));
      return gone.filter((r) => forgotten.has(r.id));
    });
  }

  addDemo(): Promise<CameraRecord[]> {
    return this.serially(async () => {
      const used = new Set(this.list().map((r) => r.name));
      const rows = DEMO_NAMES.map((name, i) => ({ name, i }))
        .filter(({ name }) => !used.has(name))
        .map(({ name, i }): StoredCamera => ({ record: { id: newId(), name, url: `demo://${i}`, enabled: true, demo: true, recording: true } }));
      await this.commit(rows);
      return rows.map((r) => r.record);
    });
  }

  /**
   * Takes in the list as the store holds it now (another process changed it) and says what changed
   * for this process: cameras added or archived, and those whose streams must restart.
   */
  reload(): Promise<CameraListChange> {
    return this.serially(async () => {
      const before = new Map(this.records.map((r) => [r.id, { record: r, facts: this.streamFacts(r.id) }]));
      const beforeSecrets = new Map(this.secrets_);
      this.take(await this.store.load());
      const change: CameraListChange = { added: [], archived: [], sourceChanged: [], changed: before.size !== this.records.length };
      for (const record of this.records) {
        const was = before.get(record.id);
        const inService = record.archivedAt === undefined;
        if (JSON.stringify(was?.record) !== JSON.stringify(record) || JSON.stringify(beforeSecrets.get(record.id)) !== JSON.stringify(this.secrets_.get(record.id))) change.changed = true;
        if (inService && (!was || was.record.archivedAt !== undefined)) change.added.push(record);
        else if (!inService && was && was.record.archivedAt === undefined) change.archived.push(record);
        else if (inService && was && was.facts !== this.streamFacts(record.id)) change.sourceChanged.push(record.id);
      }
      return change;
    });
  }

  /** Seals again the passwords this process can read whose seal leaves out a recorder that joined since; how many. */
  resealMissing(): Promise<number> {
    return this.serially(async () => {
      const sealer = await this.store.sealer();
      const rows: StoredCamera[] = [];
      for (const record of this.list()) {
        const password = this.passwords.get(record.id);
        if (password !== undefined && sealer.needsReseal(this.secrets_.get(record.id))) rows.push({ record, secret: sealer.seal(record.id, password) });
      }
      if (rows.length) await this.commit(rows);
      return rows.length;
    });
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
    const unreadable = this.unreadable.get(id);
    if (unreadable) return { kind: 'unusable', reason: unreadable };
    const credentials: { username?: string; password?: string } = {};
    if (record.username) credentials.username = record.username;
    const password = this.passwords.get(id);
    if (password) credentials.password = password;
    return { kind: 'rtsp', url: formatRtspUrl(parsed.url, credentials) };
  }

  /** Every password this process holds, for log redaction. */
  secrets(): string[] {
    return [...this.passwords.values()];
  }

  /** What decides the camera's streams: what ffmpeg opens and whether it records (renaming a camera must not cost a reconnect). */
  streamFacts(id: string): string {
    const record = this.records.find((r) => r.id === id);
    return JSON.stringify([this.source(id, 'main'), this.source(id, 'sub'), record?.recording]);
  }

  private row(sealer: PasswordSealer, id: string, camera: ValidCamera, password: string | undefined): StoredCamera {
    return withSecret(record(id, camera), password ? sealer.seal(id, password) : undefined);
  }

  /** Writes the rows through the store, then holds them here. */
  private async commit(rows: readonly StoredCamera[]): Promise<void> {
    await this.store.write(rows);
    for (const row of rows) {
      const index = this.records.findIndex((r) => r.id === row.record.id);
      if (index === -1) this.records.push(row.record);
      else this.records[index] = row.record;
      this.holdSecret(row.record.id, row.secret);
    }
  }

  /** Replaces the whole list with the store's. */
  private take(rows: readonly StoredCamera[]): void {
    const gone = new Set(this.secrets_.keys());
    this.records = rows.map((r) => r.record);
    for (const { record, secret } of rows) {
      gone.delete(record.id);
      this.holdSecret(record.id, secret);
    }
    for (const id of gone) this.holdSecret(id, undefined);
  }

  /** Keeps the password as stored, and in the clear only where this process may read it (never a site's workstation). */
  private holdSecret(id: string, secret: unknown): void {
    this.passwords.delete(id);
    this.unreadable.delete(id);
    if (secret === undefined) {
      this.secrets_.delete(id);
      return;
    }
    this.secrets_.set(id, secret);
    const opened = this.store.open(id, secret);
    if ('password' in opened) this.passwords.set(id, opened.password);
    else if ('unreadable' in opened) this.unreadable.set(id, opened.unreadable);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function record(id: string, camera: ValidCamera): CameraRecord {
  const record: CameraRecord = { id, name: camera.name, url: camera.url, enabled: camera.enabled, demo: false, recording: camera.recording };
  if (camera.subUrl) record.subUrl = camera.subUrl;
  if (camera.group) record.group = camera.group;
  if (camera.username) record.username = camera.username;
  return record;
}

function newId(): string {
  return `cam-${randomBytes(5).toString('hex')}`;
}
