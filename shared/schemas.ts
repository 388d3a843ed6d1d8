/**
 * Runtime validation of every value that crosses a process boundary (IPC, HTTP, WebSocket, files).
 * Field-level rules for camera URLs live in the core (they need URL parsing and produce one error per
 * field); these schemas check shape and basic types so malformed requests never reach the core.
 */
import { z } from 'zod';
import { LAYOUT_IDS } from './layouts.js';
import { STREAM_STATES, STREAM_VARIANTS } from './events.js';
import { ROLES } from './roles.js';

const text = (max: number) => z.string().max(max);

/**
 * A schema's own words for a value that is missing or of the wrong type only. Given as the schema's
 * `error`, a plain string would also answer every rule after it: a case reference too long would
 * be told "Give the case reference."; the rules' own words come from shared/field-sentences.ts.
 */
export const whenMissing = (message: string) => (issue: { code?: string }) => (issue.code === 'invalid_type' ? message : undefined);

/** Text that must not be blank: `message` asks for it. */
export const requiredText = (max: number, message: string) => z.string({ error: whenMissing(message) }).trim().min(1, { error: message }).max(max);

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

const MOMENT = { error: 'The moment is a whole number of milliseconds since 1970.' };
/** A camera at a moment (a timeline thumbnail). */
export const cameraMomentSchema = z.object({ cameraId: cameraIdSchema, atMs: z.number(MOMENT).int(MOMENT).min(0, MOMENT).max(8.64e15, MOMENT) });

const quotaBytes = z.number({ error: whenMissing('Enter a size.') }).int().min(1024 ** 2, { error: 'Allow at least 1 MB.' });
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

export const exportRequestSchema = z
  .object({
    cameraIds: z.array(cameraIdSchema).min(1, { error: 'Choose at least one camera.' }).max(16),
    fromMs: epochMs,
    toMs: epochMs,
    reason: requiredText(2000, 'Give the reason for this export.'),
    caseReference: requiredText(64, 'Give the case reference.'),
    recipient: z.object({ person: requiredText(200, 'Name the person receiving it.'), organisation: requiredText(200, 'Name their organisation.') }).nullable(),
    workingCopy: z.boolean(),
    // Privacy masks (issue 12, point 1): an administrator may put the unmasked masters into this one export, saying why.
    unmasked: z.object({ reason: requiredText(2000, 'Say why this export carries unmasked footage.') }).nullable().optional(),
  })
  .refine((r) => r.toMs > r.fromMs, { error: 'The end of the range must come after its start.', path: ['toMs'] })
  .refine((r) => new Set(r.cameraIds).size === r.cameraIds.length, { error: 'Each camera goes into an export once.', path: ['cameraIds'] })
  .refine((r) => r.toMs - r.fromMs <= 24 * 3_600_000, { error: 'One export spans at most 24 hours.', path: ['toMs'] });

// Four-eyes disclosure and the disclosure register (issue 12, points 2 and 3)
export const LEGAL_BASES = ['court', 'police-investigation', 'subject-access-request', 'insurance', 'other'] as const;
export const legalBasisSchema = z
  .object({
    basis: z.enum(LEGAL_BASES, { error: 'Choose the legal basis for this disclosure.' }),
    /** What the basis is in words: required for other, optional detail for the rest. */
    text: z.string().trim().max(500),
  })
  .refine((b) => b.basis !== 'other' || b.text.length > 0, { error: 'Say what the legal basis is.', path: ['text'] });

/** An export for someone outside the organisation: it waits for a second person's approval. */
export const disclosureRequestInputSchema = z
  .object({ export: exportRequestSchema, legalBasis: legalBasisSchema })
  .refine((r) => r.export.recipient !== null, { error: 'A disclosure names who receives it.', path: ['export', 'recipient'] });

export const DISCLOSURE_STATES = ['pending', 'approved', 'refused', 'built', 'failed'] as const;

/** The register's filter: text matches case, recipient, reason or people; times bound when it left. */
export const disclosureQuerySchema = z.object({
  text: z.string().max(200).optional(),
  fromMs: epochMs.optional(),
  toMs: epochMs.optional(),
  legalBasis: z.enum(LEGAL_BASES).optional(),
});

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

// Privacy masks (issue 12, point 1)
const unit = z.number({ error: 'A mask point is a number from 0 to 1.' }).min(0, { error: 'A mask point lies inside the picture (0 to 1).' }).max(1, { error: 'A mask point lies inside the picture (0 to 1).' });
/** One polygon: points as [x, y] fractions of the picture's width and height. */
export const maskPolygonSchema = z
  .array(z.tuple([unit, unit]))
  .min(3, { error: 'A mask needs at least 3 points.' })
  .max(64, { error: 'A mask has at most 64 points.' });
export const maskPolygonsSchema = z.array(maskPolygonSchema).max(32, { error: 'A camera has at most 32 masks.' });
export const liftMaskSchema = z.object({
  cameraId: cameraIdSchema,
  reason: requiredText(500, 'Say why the mask is lifted.'),
  minutes: z.number({ error: 'Enter a number of minutes.' }).int({ error: 'Whole minutes only.' }).min(1, { error: 'At least one minute.' }).max(240, { error: 'At most four hours.' }).default(30),
});

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

export const exportJobSchema = z.object({
  id: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** 0..1 */
  fraction: z.number().min(0).max(1),
  /** Estimated time left while running, or null before there is a basis for one. */
  etaMs: z.number().nullable(),
  /** What it is doing now, for people. */
  stage: z.string(),
  caseReference: z.string(),
  /** The finished package folder. */
  packagePath: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});


/** What the core pushes on /events (or over IPC). */
export const coreEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('stream.status'), status: streamStatusSchema }),
  z.object({ type: z.literal('cameras.changed') }),
  z.object({ type: z.literal('wall.changed') }),
  z.object({ type: z.literal('bookmarks.changed') }),
  z.object({ type: z.literal('audit.status'), status: auditStatusSchema }),
  z.object({ type: z.literal('export.progress'), job: exportJobSchema }),
  // Four-eyes disclosure (issue 12, point 2): a request was made, decided, built or failed.
  z.object({ type: z.literal('disclosures.changed') }),
  // Privacy masks (issue 12, point 1): masks saved (here or on another workstation of the site), or
  // a lift began or ended. No camera: any camera's may have (the directory was out of reach a while).
  z.object({ type: z.literal('masks.changed'), cameraId: cameraIdSchema.optional() }),
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

/** An account name: what a person signs in with and what the ledger names them by. */
export const personNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, { error: 'An account name is 2–40 letters, digits, dots, dashes or underscores.' })
  // The ledger names Watchroom's own entries `system`: no person may be entered under that name.
  .refine((name) => name !== 'system', { error: 'The name system is Watchroom’s own.' });
export const passwordSchema = z
  .string({ error: 'Enter a password.' })
  .min(10, { error: 'A password has at least 10 characters.' })
  .max(256, { error: 'A password has at most 256 characters.' });
export const personInputSchema = z.object({
  name: personNameSchema,
  displayName: requiredText(100, 'Give the person’s full name.'),
  role: z.enum(ROLES),
  password: passwordSchema,
});
export const signInSchema = z.object({ name: personNameSchema, password: z.string().min(1, { error: 'Enter your password.' }).max(256) });
