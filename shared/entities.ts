/**
 * What the core answers with: the result schemas of the contract. The types the rest of the code
 * uses (shared/api.ts, evidence.ts, incidents.ts, people.ts) are inferred from these, so a shape is
 * written once and checked where it crosses a process boundary.
 */
import { z } from 'zod';
import { ROLES } from './roles.js';
import { bookmarkInputSchema, cameraIdSchema, maskPolygonsSchema, wallStateSchema } from './schemas.js';

export { exportJobSchema } from './schemas.js';

const epochMs = z.number();

/** A camera as it leaves the core: URLs are redacted and the password is never included. */
export const cameraViewSchema = z.object({
  id: cameraIdSchema,
  name: z.string(),
  /** The URL without credentials. */
  url: z.string(),
  subUrl: z.string().optional(),
  /** The site or group it is listed under. */
  group: z.string().optional(),
  username: z.string().optional(),
  hasPassword: z.boolean(),
  enabled: z.boolean(),
  /** A built-in test pattern, not a real camera. */
  demo: z.boolean(),
  /** Continuous recording on. */
  recording: z.boolean(),
  /**
   * Removed from the wall and no longer pulled or recorded, but kept with its footage: it stays
   * playable and exportable until retention ends it (ms since epoch of the removal).
   */
  archivedAt: epochMs.optional(),
});

export const importResultSchema = z.object({
  added: z.array(cameraViewSchema),
  /** Names of rows skipped because the same camera (name and address) is already configured. */
  skipped: z.array(z.string()),
});

/** A stretch of continuous recording, ms since epoch; what lies between ranges is a gap. */
export const recordedRangeSchema = z.object({
  startMs: epochMs,
  endMs: epochMs,
  /** Where in the range the recording's clock had drifted from real time and was re-anchored to it. */
  reanchoredAtMs: z.array(epochMs).optional(),
});

/** What start-up reconciliation of recordings with the index did (all zero when disk and index agreed). */
export const recordingCheckSchema = z.object({
  /** Closed segments of crashed runs filed now. */
  committed: z.number(),
  /** Half-written segments trimmed to their last whole packet and kept. */
  repaired: z.number(),
  /** Half-written segments with nothing playable, deleted. */
  removed: z.number(),
  /** Segment files found on disk without an index row, now indexed. */
  indexed: z.number(),
  /** Index rows whose file is gone. */
  missing: z.number(),
  /** Files whose hash differs from the one recorded at capture (footage changed since). */
  hashMismatches: z.array(z.string()),
});

/** What the recordings take on disk now, for the retention settings. */
export const storageUsageSchema = z.object({
  usedBytes: z.number(),
  /** Start of the oldest footage kept, or null when nothing is recorded. */
  oldestMs: epochMs.nullable(),
});

/** One of the workstation's walls: a monitor in Electron, a window in the browser shell. */
export const wallSummarySchema = z.object({
  /** `wall-1` is the main wall, which always exists. */
  id: z.string(),
  name: z.string(),
});


/** Looking back: whether a reason is asked for past instant replay, and how far instant replay reaches. */
export const viewingPolicySchema = z.object({ reasonRequired: z.boolean(), instantReplayMinutes: z.number() });

/** One wall as the ledger recorded it after a change. */
export const wallHistoryWallSchema = wallStateSchema.extend({ id: z.string(), name: z.string() });

/** A change to the walls: who made it (a person, or `system` when a camera came or went), when, and to which walls. */
export const wallHistoryChangeSchema = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  role: z.enum(ROLES).optional(),
  action: z.string(),
  wallIds: z.array(z.string()),
});

/** Every wall as it stood at a moment, each with the change that made it so, and the changes either side. */
export const wallHistorySchema = z.object({
  atMs: epochMs,
  walls: z.array(z.object({ wall: wallHistoryWallSchema, since: wallHistoryChangeSchema })),
  before: z.array(wallHistoryChangeSchema),
  after: z.array(wallHistoryChangeSchema),
});
/** A saved set of walls ("salvo"), recalled in one action. */
export const presetSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Shipped with Watchroom: it fills the walls with the cameras there are when recalled. */
  builtIn: z.boolean(),
  wallCount: z.number(),
});

export const auditEntrySchema = z.object({
  seq: z.number(),
  at: z.string(),
  /** The person who acted (their account name), or `system`. */
  actor: z.string(),
  /** The person's role when they acted; absent for the system. */
  role: z.enum(ROLES).optional(),
  action: z.string(),
  subject: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  /** The previous entry's hash (64 zeros for the first): the ledger is a hash chain. */
  prev: z.string(),
  /** SHA-256 of this entry's RFC 8785 canonical JSON without `hash`. */
  hash: z.string(),
});

/** A person who may sign in. Disabled accounts keep their history and cannot sign in. */
export const personSchema = z.object({
  id: z.string(),
  /** What they sign in with, and what the ledger names them by. */
  name: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
  createdAt: epochMs,
});

/** The signed-in person of a session, as they are now. */
export const sessionPersonSchema = personSchema.pick({ id: true, name: true, displayName: true, role: true });

export const sessionInfoSchema = z.object({
  /** Who is signed in, or null. */
  person: sessionPersonSchema.nullable(),
  /** No account exists yet: the first start asks for the first administrator. */
  needsFirstAdmin: z.boolean(),
  /** Signed in but idle for too long: the wall stays visible, actions wait for a sign-in. */
  locked: z.boolean(),
  /** Idle time after which a session locks, ms. */
  idleLockMs: z.number(),
  appVersion: z.string(),
  shell: z.enum(['electron', 'browser']),
});

/** A new session: the token travels with every call (header, WebSocket sub-protocol), never in a cookie. */
export const signedInSchema = z.object({
  token: z.string(),
  session: sessionInfoSchema,
});

export const signingKeyInfoSchema = z.object({
  /** SHA-256 of the DER public key, hex in colon-separated pairs. */
  fingerprint: z.string(),
  publicKeyPem: z.string(),
});

export const packageSummarySchema = z.object({
  name: z.string(),
  path: z.string(),
  caseReference: z.string().nullable(),
  exportedAt: z.string().nullable(),
});

/**
 * verified: intact and signed by a key trusted here (and every recorder's custody too). signer-untrusted:
 * intact, but a key is not one this workstation trusts (compare its fingerprint with the sender's).
 * failed: something is wrong.
 */
export const verificationReportSchema = z.object({
  /** outcome === 'verified' */
  ok: z.boolean(),
  outcome: z.enum(['verified', 'signer-untrusted', 'failed']),
  packagePath: z.string(),
  caseReference: z.string().nullable(),
  signer: z.object({ fingerprint: z.string().nullable(), trusted: z.boolean() }),
  /** A site package's recorders, each vouching for the footage it recorded with its own key (none in a one-machine package). */
  custodySigners: z
    .array(
      z.object({
        recorderId: z.string(),
        fingerprint: z.string().nullable(),
        trusted: z.boolean(),
        /** Verified on a site that admitted this recorder with this key: whether its answer's anchors are the directory's copies. Absent when not asked. */
        heldByDirectory: z.boolean().optional(),
      }),
    )
    .default([]),
  /** Files listed in SHA256SUMS whose hash was checked and found right. */
  filesChecked: z.number(),
  failures: z.array(
    z.object({
      /** Stable machine-readable reason, e.g. file-hash-mismatch, signature-invalid, not-regular-file. */
      code: z.string(),
      message: z.string(),
      /** The package file it concerns, when there is one. */
      file: z.string().optional(),
    }),
  ),
});

/** A signer whose packages verify as trusted here. */
export const trustedKeySchema = z.object({
  fingerprint: z.string(),
  /** This workstation's own signing key (the rest were imported, or are the site's). */
  own: z.boolean(),
  /** A process of this workstation's site, trusted because the site admitted it with this key. */
  siteNode: z.string().optional(),
});

export const bookmarkSchema = bookmarkInputSchema.extend({
  id: z.string(),
  /** The person who made it. */
  createdBy: z.string(),
  createdAt: epochMs,
  updatedAt: epochMs,
  /** Its footage is under an evidence lock: retention keeps it until the lock is lifted. */
  locked: z.boolean(),
});

// Privacy masks (issue 12, point 1)
/** A camera's current masks as the caller sees them: `lift` is theirs only (a lift is one person's). */
export const cameraMasksSchema = z.object({
  cameraId: cameraIdSchema,
  /** 0: never masked. */
  version: z.number().int().min(0),
  polygons: maskPolygonsSchema,
  /** SHA-256 of the canonical JSON of the polygons (what the ledger and manifests name). */
  sha256: z.string(),
  setBy: z.string().nullable(),
  setAt: epochMs.nullable(),
  lift: z.object({ id: z.string(), untilMs: epochMs, reason: z.string() }).nullable(),
});
