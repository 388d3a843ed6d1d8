/** WatchroomApi: every call the renderer may make. Both shells (Electron IPC, browser HTTP) carry exactly this. */
import type { z } from 'zod';
import type { LayoutId } from './layouts.js';
import type { cameraInputSchema } from './schemas.js';
import type { AuditStatus, StreamStatus } from './events.js';
import type { ExportJob, ExportRequest, PackageSummary, SigningKeyInfo, TrustedKey, VerificationReport } from './evidence.js';
import type { Role } from './roles.js';
import type { Bookmark, BookmarkInput, BookmarkQuery } from './incidents.js';

export type CameraInput = z.infer<typeof cameraInputSchema>;

/** A camera as it leaves the core: URLs are redacted and the password is never included. */
export interface CameraView {
  id: string;
  name: string;
  /** The URL without credentials. */
  url: string;
  subUrl?: string;
  /** The site or group it is listed under. */
  group?: string;
  username?: string;
  hasPassword: boolean;
  enabled: boolean;
  /** A built-in test pattern, not a real camera. */
  demo: boolean;
  /** Continuous recording on. */
  recording: boolean;
}

/** A stretch of continuous recording, ms since epoch; what lies between ranges is a gap. */
export interface RecordedRange {
  startMs: number;
  endMs: number;
  /** Where in the range the recording's clock had drifted from real time and was re-anchored to it. */
  reanchoredAtMs?: number[];
}

/** What start-up reconciliation of recordings with the index did (all zero when disk and index agreed). */
export interface RecordingCheck {
  /** Closed segments of crashed runs filed now. */
  committed: number;
  /** Half-written segments trimmed to their last whole packet and kept. */
  repaired: number;
  /** Half-written segments with nothing playable, deleted. */
  removed: number;
  /** Segment files found on disk without an index row, now indexed. */
  indexed: number;
  /** Index rows whose file is gone. */
  missing: number;
  /** Files whose hash differs from the one recorded at capture (footage changed since). */
  hashMismatches: string[];
}

export interface RetentionSettings {
  maxAgeDays: number;
  maxTotalBytes: number;
  maxBytesPerCamera: number | null;
}

/** What the recordings take on disk now, for the retention settings. */
export interface StorageUsage {
  usedBytes: number;
  /** Start of the oldest footage kept, or null when nothing is recorded. */
  oldestMs: number | null;
}

/** Cameras shown in turn, each for `dwellSeconds`. */
export interface Tour {
  cameraIds: string[];
  dwellSeconds: number;
}

export interface WallState {
  layout: LayoutId;
  /** Camera id per tile, in the layout's tile order; null for an empty tile. */
  tiles: Array<string | null>;
  /** A tile's tour, by tile index (null or absent: the tile shows its camera). */
  tours?: Array<Tour | null>;
  /** The whole wall pages through these cameras, a wall-full at a time (its tiles are set aside meanwhile). */
  tour?: Tour | null;
}

/** One of the workstation's walls: a monitor in Electron, a window in the browser shell. */
export interface WallSummary {
  /** `wall-1` is the main wall, which always exists. */
  id: string;
  name: string;
}

/** A saved set of walls ("salvo"), recalled in one action. */
export interface PresetSummary {
  id: string;
  name: string;
  /** Shipped with Watchroom: it fills the walls with the cameras there are when recalled. */
  builtIn: boolean;
  wallCount: number;
}

export interface SessionInfo {
  user: string;
  role: Role;
  appVersion: string;
  shell: 'electron' | 'browser';
}

export interface ImportResult {
  added: CameraView[];
  /** Names of rows skipped because the same camera (name and address) is already configured. */
  skipped: string[];
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details?: Record<string, unknown>;
  /** The previous entry's hash (64 zeros for the first): the ledger is a hash chain. */
  prev: string;
  /** SHA-256 of this entry's RFC 8785 canonical JSON without `hash`. */
  hash: string;
}

export interface WatchroomApi {
  getSession(): Promise<SessionInfo>;
  listCameras(): Promise<CameraView[]>;
  addCamera(input: CameraInput): Promise<CameraView>;
  updateCamera(arg: { id: string; changes: Partial<CameraInput> }): Promise<CameraView>;
  removeCamera(arg: { id: string }): Promise<void>;
  /** All rows or none: one bad row rejects the whole import with an error per row. */
  importCameras(arg: { text: string; format: 'json' | 'csv' }): Promise<ImportResult>;
  addDemoCameras(): Promise<CameraView[]>;
  listStreams(): Promise<StreamStatus[]>;
  listWalls(): Promise<WallSummary[]>;
  getWall(arg: { wallId: string }): Promise<WallState>;
  setWall(arg: { wallId: string; state: WallState }): Promise<WallState>;
  /** A further wall (another monitor or window), filled with cameras no other wall shows. */
  addWall(): Promise<WallSummary>;
  /** The main wall cannot be removed. */
  removeWall(arg: { wallId: string }): Promise<void>;
  /** Built-in presets first, then saved ones in the order they were made: Ctrl+1..9 follow this order. */
  listPresets(): Promise<PresetSummary[]>;
  /** Saves every wall's layout and tiles under a name (replacing a saved preset of that name). */
  savePreset(arg: { name: string }): Promise<PresetSummary>;
  /** Puts every wall back as the preset has it; walls it does not have are removed. */
  recallPreset(arg: { id: string }): Promise<WallSummary[]>;
  deletePreset(arg: { id: string }): Promise<void>;
  listAudit(arg: { limit: number }): Promise<AuditEntry[]>;
  /** Recorded ranges of one camera between two times. */
  listRecordings(arg: { cameraId: string; fromMs: number; toMs: number }): Promise<RecordedRange[]>;
  getRetention(): Promise<RetentionSettings>;
  /** The result of reconciling recordings with the index at start, once it has finished. */
  getRecordingCheck(): Promise<RecordingCheck>;
  /** Whether the ledger is being written, and what its start-up check found. */
  getAuditStatus(): Promise<AuditStatus>;
  setRetention(settings: RetentionSettings): Promise<RetentionSettings>;
  getStorageUsage(): Promise<StorageUsage>;
  /** The workstation's package-signing key (made on first use). */
  getSigningKey(): Promise<SigningKeyInfo>;
  /** Checks the request at once (reason, case reference, range, recording) and builds the package in the background. */
  startExport(request: ExportRequest): Promise<ExportJob>;
  getExport(arg: { id: string }): Promise<ExportJob>;
  cancelExport(arg: { id: string }): Promise<ExportJob>;
  /** Packages in this workstation's exports folder, newest first. */
  listPackages(): Promise<PackageSummary[]>;
  verifyPackage(arg: { path: string }): Promise<VerificationReport>;
  importTrustedKey(arg: { pem: string }): Promise<{ fingerprint: string }>;
  /** The signers this workstation trusts: its own key first, then the imported ones. */
  listTrustedKeys(): Promise<TrustedKey[]>;
  createBookmark(input: BookmarkInput): Promise<Bookmark>;
  updateBookmark(arg: { id: string; changes: Partial<BookmarkInput> }): Promise<Bookmark>;
  /** Refused while the bookmark holds an evidence lock. */
  deleteBookmark(arg: { id: string }): Promise<void>;
  listBookmarks(query: BookmarkQuery): Promise<Bookmark[]>;
  /** Places or lifts the evidence lock on a bookmark's footage; the reason is recorded. */
  setBookmarkLock(arg: { id: string; locked: boolean; reason: string }): Promise<Bookmark>;
}
