/**
 * The shapes the renderer and the core exchange, inferred from their schemas (shared/entities.ts,
 * shared/schemas.ts), and WatchroomApi, inferred from the contract (shared/contract.ts).
 */
import type { z } from 'zod';
import type {
  auditEntrySchema,
  cameraViewSchema,
  importResultSchema,
  personSchema,
  presetSummarySchema,
  recordedRangeSchema,
  recordingCheckSchema,
  sessionInfoSchema,
  sessionPersonSchema,
  signedInSchema,
  storageUsageSchema,
  wallHistoryChangeSchema,
  wallHistorySchema,
  wallHistoryWallSchema,
  wallSummarySchema,
} from './entities.js';
import type { cameraInputSchema, personInputSchema, retentionSchema, tourSchema, wallStateSchema } from './schemas.js';

export type { WatchroomApi, ApiMethod, ApiArg, ApiResult } from './contract.js';

export type CameraInput = z.infer<typeof cameraInputSchema>;
export type CameraView = z.infer<typeof cameraViewSchema>;
export type ImportResult = z.infer<typeof importResultSchema>;
export type RecordedRange = z.infer<typeof recordedRangeSchema>;
export type RecordingCheck = z.infer<typeof recordingCheckSchema>;
export type RetentionSettings = z.infer<typeof retentionSchema>;
export type StorageUsage = z.infer<typeof storageUsageSchema>;
export type Tour = z.infer<typeof tourSchema>;
export type WallState = z.infer<typeof wallStateSchema>;
export type WallSummary = z.infer<typeof wallSummarySchema>;
export type WallHistory = z.infer<typeof wallHistorySchema>;
export type WallHistoryChange = z.infer<typeof wallHistoryChangeSchema>;
export type WallHistoryWall = z.infer<typeof wallHistoryWallSchema>;
export type PresetSummary = z.infer<typeof presetSummarySchema>;
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type Person = z.infer<typeof personSchema>;
export type PersonInput = z.infer<typeof personInputSchema>;
export type SessionPerson = z.infer<typeof sessionPersonSchema>;
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
export type SignedIn = z.infer<typeof signedInSchema>;
