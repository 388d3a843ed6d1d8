/**
 * The contract: every API method, declared once. Each names the schema of its argument and of its
 * result, the access it needs, the ledger action its success writes (null for reads) and the error
 * codes it may answer with. From this table come the WatchroomApi type (shared/api.ts), the
 * renderer's client, what the preload lets through, argument validation, permission checks, audit
 * entries and HTTP statuses (electron/core/api/dispatch.ts). Nothing else lists methods.
 */
import { z } from 'zod';
import type { AuditAction } from './audit-actions.js';
import {
  auditEntrySchema,
  bookmarkSchema,
  cameraMasksSchema,
  cameraViewSchema,
  exportJobSchema,
  importResultSchema,
  packageSummarySchema,
  personSchema,
  presetSummarySchema,
  recordedRangeSchema,
  recordingCheckSchema,
  sessionInfoSchema,
  signedInSchema,
  signingKeyInfoSchema,
  storageUsageSchema,
  trustedKeySchema,
  verificationReportSchema,
  viewingPolicySchema,
  wallHistorySchema,
  wallSummarySchema,
} from './entities.js';
import type { ErrorCode } from './errors.js';
// Four-eyes disclosure and the disclosure register (issue 12, points 2 and 3)
import { disclosureRequestSchema, disclosureRowSchema } from './disclosures.js';
import { disclosureQuerySchema, disclosureRequestInputSchema } from './schemas.js';
// The oversight report (issue 12, point 7)
import { oversightReportInfoSchema, oversightReportSummarySchema } from './oversight.js';
import type { Access } from './roles.js';
// Admitting the processes of a site (issue 13)
import { admitNodeSchema, confirmSiteKeySchema, siteKeyInfoSchema, siteNodeSchema } from './site.js';
import {
  auditStatusSchema,
  bookmarkInputSchema,
  cameraIdSchema,
  cameraInputSchema,
  exportRequestSchema,
  importFormatSchema,
  liftMaskSchema,
  maskPolygonsSchema,
  passwordSchema,
  personInputSchema,
  presetIdSchema,
  requiredText,
  retentionSchema,
  signInSchema,
  streamStatusSchema,
  timeRangeArg,
  wallIdSchema,
  wallStateSchema,
} from './schemas.js';

export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  arg: A;
  result: R;
  access: Access;
  /** What a successful call enters in the ledger; null for calls that change nothing. */
  audit: AuditAction | null;
  /** Codes besides the ones every call may get (invalid argument, auth, internal). */
  errors: readonly ErrorCode[];
  /** Still answered while the session is idle-locked: what keeps the wall on screen. */
  whileLocked?: true;
}

const spec = <A extends z.ZodType, R extends z.ZodType>(s: MethodSpec<A, R>) => s;
const none = z.undefined();
const nothing = z.null();
const uuid = z.uuid();
const epochMs = z.number().int().min(0).max(8.64e15);
const wallView = { access: 'wall.view', audit: null, errors: [], whileLocked: true } as const;

export const CONTRACT = {
  // People and sessions
  getSession: spec({ arg: none, result: sessionInfoSchema, access: 'public', audit: null, errors: [], whileLocked: true }),
  createFirstAdmin: spec({ arg: personInputSchema.omit({ role: true }), result: signedInSchema, access: 'public', audit: 'people.first-admin', errors: ['people.first-admin-exists'] }),
  signIn: spec({ arg: signInSchema, result: signedInSchema, access: 'public', audit: 'auth.sign-in', errors: ['auth.bad-credentials', 'auth.slow-down'], whileLocked: true }),
  signOut: spec({ arg: none, result: nothing, access: 'self', audit: 'auth.sign-out', errors: [], whileLocked: true }),
  /** Locks the session now (by hand, or when the page saw no input for the idle-lock time): the wall stays, actions wait for a sign-in. */
  lockSession: spec({ arg: z.object({ why: z.enum(['by-hand', 'idle']) }), result: nothing, access: 'self', audit: 'auth.locked', errors: [], whileLocked: true }),
  /** The person at the keyboard is still there (the renderer reports input, at most twice a minute). */
  reportActivity: spec({ arg: none, result: nothing, access: 'self', audit: null, errors: [] }),
  changePassword: spec({ arg: z.object({ current: z.string().max(256), next: passwordSchema }), result: nothing, access: 'self', audit: 'people.password-change', errors: ['auth.bad-credentials'] }),
  listPeople: spec({ arg: none, result: z.array(personSchema), access: 'people.manage', audit: null, errors: [] }),
  addPerson: spec({ arg: personInputSchema, result: personSchema, access: 'people.manage', audit: 'people.add', errors: ['people.name-taken'] }),
  /** Role, name shown, or disabled; an account is never deleted (its history names it). */
  updatePerson: spec({
    arg: z.object({ id: uuid, changes: personInputSchema.pick({ displayName: true, role: true }).partial().extend({ disabled: z.boolean().optional() }) }),
    result: personSchema,
    access: 'people.manage',
    audit: 'people.update',
    errors: ['people.not-found', 'people.last-admin'],
  }),
  resetPassword: spec({ arg: z.object({ id: uuid, password: passwordSchema }), result: nothing, access: 'people.manage', audit: 'people.password-reset', errors: ['people.not-found'] }),
  setIdleLock: spec({ arg: z.object({ minutes: z.number().int().min(1, { error: 'At least one minute.' }).max(240, { error: 'At most four hours.' }) }), result: nothing, access: 'people.manage', audit: 'settings.idle-lock', errors: [] }),

  // Cameras and streams
  listCameras: spec({ arg: z.object({ archived: z.boolean().optional() }).optional(), result: z.array(cameraViewSchema), ...wallView }),
  addCamera: spec({ arg: cameraInputSchema, result: cameraViewSchema, access: 'cameras.configure', audit: 'camera.add', errors: ['camera.invalid'] }),
  updateCamera: spec({ arg: z.object({ id: cameraIdSchema, changes: cameraInputSchema.partial() }), result: cameraViewSchema, access: 'cameras.configure', audit: 'camera.edit', errors: ['camera.invalid', 'camera.not-found', 'camera.demo-readonly'] }),
  /** Archives the camera: it leaves the wall and stops, its footage stays until retention ends it. */
  removeCamera: spec({ arg: z.object({ id: cameraIdSchema }), result: nothing, access: 'cameras.configure', audit: 'camera.archive', errors: ['camera.not-found'] }),
  /** All rows or none: one bad row rejects the whole import with an error per row. */
  importCameras: spec({ arg: z.object({ text: z.string().max(1_000_000), format: importFormatSchema }), result: importResultSchema, access: 'cameras.configure', audit: 'camera.import', errors: ['import.empty', 'import.invalid', 'import.malformed', 'import.columns'] }),
  addDemoCameras: spec({ arg: none, result: z.array(cameraViewSchema), access: 'cameras.configure', audit: 'camera.import', errors: [] }),
  listStreams: spec({ arg: none, result: z.array(streamStatusSchema), ...wallView }),

  // Walls
  listWalls: spec({ arg: none, result: z.array(wallSummarySchema), ...wallView }),
  getWall: spec({ arg: z.object({ wallId: wallIdSchema }), result: wallStateSchema, ...wallView, errors: ['wall.not-found'] }),
  setWall: spec({ arg: z.object({ wallId: wallIdSchema, state: wallStateSchema }), result: wallStateSchema, access: 'wall.arrange', audit: 'wall.set', errors: ['wall.not-found', 'camera.not-found'] }),
  /** A further wall (another monitor or window), filled with cameras no other wall shows. */
  addWall: spec({ arg: none, result: wallSummarySchema, access: 'wall.arrange', audit: 'wall.add', errors: [] }),
  /** The main wall cannot be removed. */
  removeWall: spec({ arg: z.object({ wallId: wallIdSchema }), result: nothing, access: 'wall.arrange', audit: 'wall.remove', errors: ['wall.not-found', 'wall.main'] }),
  /** Built-in presets first, then saved ones in the order they were made: Ctrl+1..9 follow this order. */
  listPresets: spec({ arg: none, result: z.array(presetSummarySchema), ...wallView }),
  /** Saves every wall's layout and tiles under a name (replacing a saved preset of that name). */
  savePreset: spec({ arg: z.object({ name: requiredText(60, 'Give the preset a name.') }), result: presetSummarySchema, access: 'wall.arrange', audit: 'wall.preset-save', errors: [] }),
  /** Puts every wall back as the preset has it; walls it does not have are removed. */
  recallPreset: spec({ arg: z.object({ id: presetIdSchema }), result: z.array(wallSummarySchema), access: 'wall.arrange', audit: 'wall.preset-recall', errors: ['preset.not-found'] }),
  deletePreset: spec({ arg: z.object({ id: presetIdSchema }), result: nothing, access: 'wall.arrange', audit: 'wall.preset-delete', errors: ['preset.not-found'] }),
  /** Every wall as it stood at a moment, from the ledger: who put which camera where, presets and tours. */
  getWallHistory: spec({ arg: z.object({ atMs: epochMs }), result: wallHistorySchema, access: 'audit.view', audit: null, errors: [] }),

  // Recording
  /** Recorded ranges of one camera between two times (archived cameras included). */
  listRecordings: spec({ arg: timeRangeArg, result: z.array(recordedRangeSchema), access: 'recordings.view', audit: null, errors: ['camera.not-found'] }),
  /** A signed address for recorded media (a playlist, a thumbnail), valid for a while and for this session only. */
  mediaLink: spec({
    arg: z.object({
      path: z
        .string()
        .regex(/^\/media\/[^#\s]{1,600}$/, { error: 'Not a media path.' })
        // A segment is reached only through the playlist that lists it, whose serving names the camera
        // and span in the ledger: a link made for a segment directly would be footage watched unrecorded.
        // (A site's too: the end time its link carries is the playlist's word, which a link made here would not be.)
        .refine((path) => !/^\/media\/(site-)?segments\//.test(path), { error: 'Recorded segments are reached through their playlist.' }),
    }),
    result: z.string(),
    access: 'recordings.view',
    audit: null,
    errors: [],
  }),
  getRetention: spec({ arg: none, result: retentionSchema, access: 'wall.view', audit: null, errors: [] }),
  setRetention: spec({ arg: retentionSchema, result: retentionSchema, access: 'recording.configure', audit: 'settings.retention', errors: [] }),
  getStorageUsage: spec({ arg: none, result: storageUsageSchema, access: 'wall.view', audit: null, errors: [] }),
  /** Whether looking back past instant replay needs a reason, and how far instant replay reaches. */
  getViewingPolicy: spec({ arg: none, result: viewingPolicySchema, access: 'wall.view', audit: null, errors: [] }),
  setViewingPolicy: spec({ arg: z.object({ reasonRequired: z.boolean() }), result: viewingPolicySchema, access: 'recording.configure', audit: 'settings.viewing-policy', errors: [] }),
  /** A playback session: recorded footage past instant replay is served under it; its reason is in the ledger. */
  openPlayback: spec({
    arg: z.object({ reason: z.string().trim().max(500, { error: 'Keep the reason under 500 characters.' }), caseReference: z.string().trim().max(64, { error: 'A case reference is at most 64 characters.' }) }),
    result: z.object({ id: uuid }),
    access: 'recordings.view',
    audit: 'playback.open',
    errors: ['playback.reason-required'],
  }),
  /** Ends a playback session; the ledger records how long it lasted. */
  closePlayback: spec({ arg: z.object({ id: uuid }), result: nothing, access: 'recordings.view', audit: 'playback.close', errors: ['playback.not-found'] }),
  /** The result of reconciling recordings with the index at start, once it has finished. */
  getRecordingCheck: spec({ arg: none, result: recordingCheckSchema, ...wallView }),

  // The ledger
  /** Whether the ledger is being written, and what its start-up check found. */
  getAuditStatus: spec({ arg: none, result: auditStatusSchema, ...wallView }),
  listAudit: spec({ arg: z.object({ limit: z.number().int().min(1).max(1000) }), result: z.array(auditEntrySchema), access: 'audit.view', audit: null, errors: [] }),

  // Incidents
  createBookmark: spec({ arg: bookmarkInputSchema, result: bookmarkSchema, access: 'bookmarks.write', audit: 'bookmark.create', errors: ['camera.not-found', 'playback.reason-required'] }),
  updateBookmark: spec({ arg: z.object({ id: uuid, changes: bookmarkInputSchema.partial() }), result: bookmarkSchema, access: 'bookmarks.write', audit: 'bookmark.update', errors: ['bookmark.not-found', 'camera.not-found', 'playback.reason-required'] }),
  /** Refused while the bookmark holds an evidence lock. */
  deleteBookmark: spec({ arg: z.object({ id: uuid }), result: nothing, access: 'bookmarks.write', audit: 'bookmark.delete', errors: ['bookmark.not-found', 'bookmark.locked'] }),
  listBookmarks: spec({
    arg: z.object({ text: z.string().max(200).optional(), tag: z.string().max(40).optional(), cameraId: cameraIdSchema.optional(), fromMs: epochMs.optional(), toMs: epochMs.optional() }),
    result: z.array(bookmarkSchema),
    access: 'recordings.view',
    audit: null,
    errors: [],
  }),
  /** Places or lifts the evidence lock on a bookmark's footage; the reason is recorded. */
  setBookmarkLock: spec({ arg: z.object({ id: uuid, locked: z.boolean(), reason: requiredText(500, 'Say why the lock is placed or lifted.') }), result: bookmarkSchema, access: 'evidence.lock', audit: 'evidence.lock', errors: ['bookmark.not-found'] }),

  // Evidence
  /** The workstation's package-signing key (made on first use). */
  getSigningKey: spec({ arg: none, result: signingKeyInfoSchema, access: 'evidence.verify', audit: null, errors: [] }),
  /** Checks the request at once (reason, case reference, range, recording) and builds the package in the background. */
  startExport: spec({
    arg: exportRequestSchema,
    result: exportJobSchema,
    access: 'evidence.export',
    audit: 'evidence.export-started',
    errors: ['camera.not-found', 'export.bad-range', 'export.no-recording', 'export.audit-unavailable', 'export.disk-full', 'disclosure.needs-approval'],
  }),
  getExport: spec({ arg: z.object({ id: uuid }), result: exportJobSchema, access: 'evidence.export', audit: null, errors: ['export.not-found'] }),
  cancelExport: spec({ arg: z.object({ id: uuid }), result: exportJobSchema, access: 'evidence.export', audit: 'evidence.export-cancel', errors: ['export.not-found'] }),
  /** Packages in this workstation's exports folder, newest first. */
  listPackages: spec({ arg: none, result: z.array(packageSummarySchema), access: 'evidence.export', audit: null, errors: [] }),
  verifyPackage: spec({ arg: z.object({ path: z.string().min(1, 'Choose a package folder.').max(4096) }), result: verificationReportSchema, access: 'evidence.verify', audit: 'evidence.verify', errors: ['evidence.path-not-allowed', 'evidence.not-a-package'] }),
  importTrustedKey: spec({
    arg: z.object({ pem: z.string().max(10_000).regex(/-----BEGIN PUBLIC KEY-----/, 'Paste a PEM public key (-----BEGIN PUBLIC KEY-----).') }),
    result: z.object({ fingerprint: z.string() }),
    access: 'evidence.trust-keys',
    audit: 'evidence.key-trusted',
    errors: ['evidence.bad-key'],
  }),
  /** The signers this workstation trusts: its own key first, then the imported ones. */
  listTrustedKeys: spec({ arg: none, result: z.array(trustedKeySchema), access: 'evidence.verify', audit: null, errors: [] }),

  // Four-eyes disclosure and the disclosure register (issue 12, points 2 and 3)
  /** An export with a recipient: checked at once like startExport, then it waits for a second person. */
  requestDisclosure: spec({
    arg: disclosureRequestInputSchema,
    result: disclosureRequestSchema,
    access: 'evidence.export',
    audit: 'disclosure.requested',
    errors: ['camera.not-found', 'export.bad-range', 'export.no-recording', 'export.audit-unavailable'],
  }),
  /** Approvers see every pending request and the recent decided ones; anyone else sees their own. */
  listDisclosureRequests: spec({ arg: none, result: z.array(disclosureRequestSchema), access: 'self', audit: null, errors: [] }),
  /** Builds exactly the request as it was made, as its requester, with this approval in the package; never the requester's own. */
  approveDisclosure: spec({
    arg: z.object({ id: uuid, note: z.string().trim().max(2000).default('') }),
    result: disclosureRequestSchema,
    access: 'disclosure.approve',
    audit: 'disclosure.approved',
    errors: ['disclosure.not-found', 'disclosure.own-request', 'disclosure.not-pending', 'disclosure.requester-cannot-export', 'export.audit-unavailable', 'camera.not-found', 'export.no-recording'],
  }),
  refuseDisclosure: spec({
    arg: z.object({ id: uuid, reason: requiredText(2000, 'Say why the disclosure is refused.') }),
    result: disclosureRequestSchema,
    access: 'disclosure.approve',
    audit: 'disclosure.refused',
    errors: ['disclosure.not-found', 'disclosure.own-request', 'disclosure.not-pending'],
  }),
  /** Every package that left, newest first, read from the ledger. */
  listDisclosures: spec({ arg: disclosureQuerySchema, result: z.array(disclosureRowSchema), access: 'disclosures.view', audit: null, errors: [] }),
  /** The same rows as CSV for a spreadsheet (UTF-8 with BOM, CRLF, RFC 4180, formulas neutralised); the download is recorded. */
  disclosuresCsv: spec({ arg: disclosureQuerySchema, result: z.string(), access: 'disclosures.view', audit: 'disclosure.register-downloaded', errors: [] }),
  // Privacy masks (issue 12, point 1)
  /** Every camera's current masks (cameras never masked are left out), with the caller's own lifts. */
  listMasks: spec({ arg: none, result: z.array(cameraMasksSchema), ...wallView }),
  /** Saves a camera's masks as a new version (an empty list unmasks it, also as a version). */
  setMasks: spec({ arg: z.object({ cameraId: cameraIdSchema, polygons: maskPolygonsSchema }), result: cameraMasksSchema, access: 'masks.configure', audit: 'mask.set', errors: ['camera.not-found'] }),
  /** Lifts a camera's masks for the caller alone, for `minutes` (30 by default); they come back by themselves. */
  liftMask: spec({ arg: liftMaskSchema, result: cameraMasksSchema, access: 'masks.lift', audit: 'mask.lift', errors: ['camera.not-found', 'mask.none', 'mask.already-lifted'] }),
  /** Ends the caller's own lift early. */
  restoreMask: spec({ arg: z.object({ cameraId: cameraIdSchema }), result: cameraMasksSchema, access: 'masks.lift', audit: 'mask.reapply', errors: ['mask.not-lifted'] }),

  // The oversight report (issue 12, point 7)
  /** Builds and signs a month's report from the ledger up to a signed checkpoint (taken first if none covers the month yet). */
  createOversightReport: spec({
    arg: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'Choose a month (YYYY-MM).' }) }),
    result: oversightReportSummarySchema,
    access: 'oversight.report',
    audit: 'oversight.report',
    errors: ['report.bad-month', 'report.no-checkpoint'],
  }),
  /** The reports in the data folder, newest first. */
  listOversightReports: spec({ arg: none, result: z.array(oversightReportInfoSchema), access: 'oversight.report', audit: null, errors: [] }),
  // Admitting the processes of a site (issue 13)
  /** The site's processes, admitted or not, with their key fingerprints. */
  listSiteNodes: spec({ arg: none, result: z.array(siteNodeSchema), access: 'site.admit', audit: null, errors: ['site.not-a-site'] }),
  /** Admits a process whose fingerprint the administrator compared with the one it shows; the first admission makes the site key on this workstation. */
  admitSiteNode: spec({ arg: admitNodeSchema, result: siteNodeSchema, access: 'site.admit', audit: 'site.node-admitted', errors: ['site.not-a-site', 'site.node-not-found', 'site.fingerprint-mismatch', 'site.sealing-key-unbound', 'site.key-elsewhere'] }),
  /** The site's admission key, and whether this workstation trusts it (null: no admission yet, so no key). */
  getSiteKey: spec({ arg: none, result: siteKeyInfoSchema.nullable(), access: 'site.admit', audit: null, errors: ['site.not-a-site'] }),
  /** An administrator says which key is the site's, typing the fingerprint the workstation that made it shows; until then this workstation admits nobody. */
  confirmSiteKey: spec({ arg: confirmSiteKeySchema, result: siteKeyInfoSchema, access: 'site.admit', audit: 'site.key-confirmed', errors: ['site.not-a-site', 'site.no-key', 'site.fingerprint-mismatch', 'site.key-replaced'] }),
} as const satisfies Record<string, MethodSpec>;

export type Contract = typeof CONTRACT;
export type ApiMethod = keyof Contract;
export const API_METHODS = Object.keys(CONTRACT) as ApiMethod[];

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(CONTRACT, name);
}

/** What a caller passes (before validation fills defaults and trims). */
export type ApiArg<M extends ApiMethod> = z.input<Contract[M]['arg']>;
/** What the core's handler receives, once validated. */
export type ApiParsedArg<M extends ApiMethod> = z.output<Contract[M]['arg']>;
export type ApiResult<M extends ApiMethod> = z.output<Contract[M]['result']>;

/** Methods without an argument are called without one. */
export type WatchroomApi = {
  [M in ApiMethod]: undefined extends ApiArg<M> ? (arg?: ApiArg<M>) => Promise<ApiResult<M>> : (arg: ApiArg<M>) => Promise<ApiResult<M>>;
};

/** WatchroomApi over one function that carries a named call, whatever the transport. */
export function bindApi(call: (method: ApiMethod, arg: unknown) => Promise<unknown>): WatchroomApi {
  return Object.fromEntries(API_METHODS.map((method) => [method, (arg?: unknown) => call(method, arg)])) as WatchroomApi;
}
