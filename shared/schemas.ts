/**
 * Runtime validation of every value that crosses a process boundary (IPC, HTTP, WebSocket, files).
 * Field-level rules for camera URLs live in the core (they need URL parsing and produce one error per
 * field); these schemas check shape and basic types so malformed requests never reach the core.
 */
import { z } from 'zod';
import { LAYOUT_IDS } from './layouts.js';
import { STREAM_STATES, STREAM_VARIANTS } from './events.js';

const text = (max: number) => z.string().max(max);

export const cameraInputSchema = z.object({
  name: text(200),
  url: text(2048),
  subUrl: text(2048).optional(),
  /** The site or group the camera belongs to in the camera list ('' for none). */
  group: text(200).optional(),
  username: text(256).optional(),
  /** On update: absent keeps the stored password, '' removes it. */
  password: text(256).optional(),
  enabled: z.boolean().optional(),
  recording: z.boolean().optional(),
});

export const cameraIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/, 'A camera id is 1–64 lowercase letters, digits or dashes.');

export const tourSchema = z.object({
  cameraIds: z.array(cameraIdSchema).min(2, { error: 'A tour needs at least two cameras.' }).max(64),
  dwellSeconds: z.number({ error: 'Enter a number of seconds.' }).int({ error: 'Whole seconds only.' }).min(3, { error: 'At least 3 seconds per camera.' }).max(3600, { error: 'At most an hour per camera.' }),
});

export const wallStateSchema = z.object({
  layout: z.enum(LAYOUT_IDS),
  tiles: z.array(cameraIdSchema.nullable()).max(64),
  tours: z.array(tourSchema.nullable()).max(64).optional(),
  tour: tourSchema.nullable().optional(),
});

export const wallIdSchema = z.string().regex(/^wall-\d{1,4}$/, { error: 'A wall id looks like wall-2.' });
export const presetIdSchema = z.union([z.uuid(), z.string().regex(/^builtin-[a-z-]{1,40}$/)]);

/** A wall as settings store it: id, name, layout and tiles. */
export const wallEntrySchema = z.object({ id: wallIdSchema, name: z.string().max(60) }).and(wallStateSchema);

/** A saved preset as settings store it. */
export const savedPresetSchema = z.object({
  id: z.uuid(),
  name: z.string().min(1).max(60),
  walls: z.array(wallEntrySchema).min(1).max(16),
});

export const importFormatSchema = z.enum(['json', 'csv']);

const epochMs = z.number().int().min(0).max(8.64e15);

/** A camera and a time window; the window must run forwards and span at most 31 days. */
export const timeRangeArg = z
  .object({ cameraId: cameraIdSchema, fromMs: epochMs, toMs: epochMs })
  .refine((r) => r.toMs > r.fromMs, { message: 'The end of the range must come after its start.', path: ['toMs'] })
  .refine((r) => r.toMs - r.fromMs <= 31 * 86_400_000, { message: 'A range spans at most 31 days.', path: ['toMs'] });

/** A playlist's window and, optionally, where players start in it (EXT-X-START). */
export const playlistQuerySchema = timeRangeArg.and(z.object({ startMs: epochMs.optional() }));

const quotaBytes = z.number({ error: 'Enter a size.' }).int().min(1024 ** 2, { error: 'Allow at least 1 MB.' });
export const retentionSchema = z
  .object({
    maxAgeDays: z.number({ error: 'Enter a number of days.' }).int({ error: 'Whole days only.' }).min(1, { error: 'Keep footage for at least 1 day.' }).max(3650, { error: 'At most 3650 days (10 years).' }),
    maxTotalBytes: quotaBytes,
    maxBytesPerCamera: quotaBytes.nullable(),
  })
  .refine((r) => r.maxBytesPerCamera === null || r.maxBytesPerCamera <= r.maxTotalBytes, {
    error: "A camera's quota cannot be larger than the total.",
    path: ['maxBytesPerCamera'],
  });

const requiredText = (max: number, message: string) => z.string({ error: message }).trim().min(1, { error: message }).max(max);
export const exportRequestSchema = z
  .object({
    cameraIds: z.array(cameraIdSchema).min(1, { error: 'Choose at least one camera.' }).max(16),
    fromMs: epochMs,
    toMs: epochMs,
    reason: requiredText(2000, 'Give the reason for this export.'),
    caseReference: requiredText(64, 'Give the case reference.'),
    recipient: z.object({ person: requiredText(200, 'Name the person receiving it.'), organisation: requiredText(200, 'Name their organisation.') }).nullable(),
    workingCopy: z.boolean(),
  })
  .refine((r) => r.toMs > r.fromMs, { error: 'The end of the range must come after its start.', path: ['toMs'] })
  .refine((r) => new Set(r.cameraIds).size === r.cameraIds.length, { error: 'Each camera goes into an export once.', path: ['cameraIds'] })
  .refine((r) => r.toMs - r.fromMs <= 24 * 3_600_000, { error: 'One export spans at most 24 hours.', path: ['toMs'] });

const windowMs = z.number().int().min(0).max(3_600_000, { error: 'At most an hour either side.' });
export const bookmarkInputSchema = z.object({
  cameraIds: z.array(cameraIdSchema).min(1, { error: 'Choose at least one camera.' }).max(16),
  atMs: epochMs,
  beforeMs: windowMs,
  afterMs: windowMs,
  title: requiredText(200, 'Give the bookmark a title.'),
  notes: z.string().max(10_000),
  tags: z.array(z.string().trim().min(1).max(40, { error: 'A tag is at most 40 characters.' })).max(20),
  caseReference: z.string().trim().max(64),
});

/** One schema per API method: the argument it takes (undefined for none). */
export const apiArgSchemas = {
  getSession: z.undefined(),
  listCameras: z.undefined(),
  addCamera: cameraInputSchema,
  updateCamera: z.object({ id: cameraIdSchema, changes: cameraInputSchema.partial() }),
  removeCamera: z.object({ id: cameraIdSchema }),
  importCameras: z.object({ text: z.string().max(1_000_000), format: importFormatSchema }),
  addDemoCameras: z.undefined(),
  listStreams: z.undefined(),
  listWalls: z.undefined(),
  getWall: z.object({ wallId: wallIdSchema }),
  setWall: z.object({ wallId: wallIdSchema, state: wallStateSchema }),
  addWall: z.undefined(),
  removeWall: z.object({ wallId: wallIdSchema }),
  listPresets: z.undefined(),
  savePreset: z.object({ name: requiredText(60, 'Give the preset a name.') }),
  recallPreset: z.object({ id: presetIdSchema }),
  deletePreset: z.object({ id: presetIdSchema }),
  listAudit: z.object({ limit: z.number().int().min(1).max(1000) }),
  listRecordings: timeRangeArg,
  getRetention: z.undefined(),
  getRecordingCheck: z.undefined(),
  getAuditStatus: z.undefined(),
  setRetention: retentionSchema,
  getStorageUsage: z.undefined(),
  getSigningKey: z.undefined(),
  startExport: exportRequestSchema,
  getExport: z.object({ id: z.uuid() }),
  cancelExport: z.object({ id: z.uuid() }),
  listPackages: z.undefined(),
  verifyPackage: z.object({ path: z.string().min(1, 'Choose a package folder.').max(4096) }),
  createBookmark: bookmarkInputSchema,
  updateBookmark: z.object({ id: z.uuid(), changes: bookmarkInputSchema.partial() }),
  deleteBookmark: z.object({ id: z.uuid() }),
  listBookmarks: z.object({
    text: z.string().max(200).optional(),
    tag: z.string().max(40).optional(),
    cameraId: cameraIdSchema.optional(),
    fromMs: epochMs.optional(),
    toMs: epochMs.optional(),
  }),
  setBookmarkLock: z.object({ id: z.uuid(), locked: z.boolean(), reason: requiredText(500, 'Say why the lock is placed or lifted.') }),
  listTrustedKeys: z.undefined(),
  importTrustedKey: z.object({ pem: z.string().max(10_000).regex(/-----BEGIN PUBLIC KEY-----/, 'Paste a PEM public key (-----BEGIN PUBLIC KEY-----).') }),
} as const;

export type ApiMethod = keyof typeof apiArgSchemas;
export const API_METHODS = Object.keys(apiArgSchemas) as ApiMethod[];

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(apiArgSchemas, name);
}

/** Messages a live WebSocket client may send (none today but a ping; anything else is rejected). */
export const liveClientMessageSchema = z.object({ type: z.literal('ping') });

export const streamVariantSchema = z.enum(STREAM_VARIANTS);

export const streamStatusSchema = z.object({
  cameraId: cameraIdSchema,
  stream: streamVariantSchema,
  state: z.enum(STREAM_STATES),
  reason: z.string().optional(),
  path: z.enum(['copy', 'transcode']),
  sourceCodec: z.string().optional(),
  codec: z.string().optional(),
  nextRetryAt: z.number().optional(),
  recording: z
    .object({
      state: z.enum(['off', 'recording', 'error']),
      reason: z.string().optional(),
      clockDrift: z.object({ offsetMs: z.number(), atMs: z.number() }).optional(),
    })
    .optional(),
  health: z.object({
    fps: z.number(),
    kbps: z.number(),
    lastFrameAt: z.number().nullable(),
    restarts: z.number(),
    subscribers: z.number(),
  }),
});

export const auditStatusSchema = z.object({
  state: z.enum(['ok', 'degraded']),
  queued: z.number().int().min(0),
  problem: z.string().nullable(),
  check: z.object({ state: z.enum(['running', 'ok', 'problems']), fromSeq: z.number(), entries: z.number(), problems: z.array(z.string()) }).nullable(),
});

/** What the core pushes on /events (or over IPC). */
export const coreEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('stream.status'), status: streamStatusSchema }),
  z.object({ type: z.literal('cameras.changed') }),
  z.object({ type: z.literal('wall.changed') }),
  z.object({ type: z.literal('bookmarks.changed') }),
  z.object({ type: z.literal('audit.status'), status: auditStatusSchema }),
  z.object({
    type: z.literal('export.progress'),
    job: z.object({
      id: z.string(),
      state: z.enum(['running', 'done', 'failed', 'cancelled']),
      fraction: z.number().min(0).max(1),
      etaMs: z.number().nullable(),
      stage: z.string(),
      caseReference: z.string(),
      packagePath: z.string().optional(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  }),
]);

/** Text messages on /live/<cameraId>. */
export const liveServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), codec: z.string().regex(/^[a-z0-9]{4}(\.[0-9a-fA-F.]+)?$/), path: z.enum(['copy', 'transcode']) }),
  z.object({ type: z.literal('status'), status: streamStatusSchema }),
]);

/** Parses a JSON text message against a schema: the value, or null for anything malformed. */
export function parseMessage<T>(schema: z.ZodType<T>, text: string): T | null {
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}
