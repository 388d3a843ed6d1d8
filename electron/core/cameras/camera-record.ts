/** A camera as stored on disk (settings file). Passwords live apart, in the credentials file. */
import { z } from 'zod';
import { cameraIdSchema } from '../../../shared/schemas.js';
import type { CameraView } from '../../../shared/api.js';

export const cameraRecordSchema = z.object({
  id: cameraIdSchema,
  name: z.string().min(1).max(100),
  /** Without credentials; `demo://N` for a built-in test pattern. */
  url: z.string().min(1),
  subUrl: z.string().optional(),
  group: z.string().optional(),
  username: z.string().optional(),
  enabled: z.boolean(),
  demo: z.boolean(),
  /** Continuous recording, on unless switched off for this camera. */
  recording: z.boolean().default(true),
  /** Taken out of service at this time (ms since epoch); its footage stays until retention ends it. */
  archivedAt: z.number().optional(),
});

export type CameraRecord = z.infer<typeof cameraRecordSchema>;

export function toView(record: CameraRecord, hasPassword: boolean): CameraView {
  const view: CameraView = { id: record.id, name: record.name, url: record.url, hasPassword, enabled: record.enabled, demo: record.demo, recording: record.recording };
  if (record.subUrl) view.subUrl = record.subUrl;
  if (record.group) view.group = record.group;
  if (record.username) view.username = record.username;
  if (record.archivedAt !== undefined) view.archivedAt = record.archivedAt;
  return view;
}
