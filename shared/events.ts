/** What the core pushes to renderers, and the live-stream wire protocol. */
import type { z } from 'zod';
import { can, type Role } from './roles.js';
import type { auditStatusSchema, coreEventSchema, streamStatusSchema } from './schemas.js';

export const STREAM_STATES = ['stopped', 'connecting', 'live', 'reconnecting', 'unauthorized', 'unreachable', 'unsupported'] as const;
export type StreamState = (typeof STREAM_STATES)[number];

/** A camera's full-resolution stream, or its low-resolution sub-stream for small tiles. */
export const STREAM_VARIANTS = ['main', 'sub'] as const;
export type StreamVariant = (typeof STREAM_VARIANTS)[number];

/** Names one of a camera's streams, wherever streams or their statuses are kept by camera and stream. */
export const streamKey = (cameraId: string, stream: StreamVariant = 'main') => `${cameraId}/${stream}`;

/** copy: the camera's own H.264 bytes, remuxed. transcode: re-encoded to H.264 because browsers cannot decode the source. */
export type StreamPath = 'copy' | 'transcode';

export type StreamStatus = z.infer<typeof streamStatusSchema>;
export type StreamHealth = StreamStatus['health'];
export type RecordingStatus = NonNullable<StreamStatus['recording']>;
/** A recording's clock found off real time and re-anchored (offset: recorded minus real time, ms). */
export type ClockDrift = NonNullable<RecordingStatus['clockDrift']>;

export type CoreEvent = z.infer<typeof coreEventSchema>;

/** Whether an event may reach a person in `role`: an export's progress names its case and package, for those who may export. */
export const eventVisibleTo = (role: Role, event: CoreEvent): boolean => event.type !== 'export.progress' || can(role, 'evidence.export');

/**
 * Whether actions are being recorded. degraded: the ledger's disk refuses writes; entries wait in a
 * queue, live view goes on, exports are refused. The start-up check says what it found in the chain.
 */
export type AuditStatus = z.infer<typeof auditStatusSchema>;

/**
 * Live WebSocket (path /live/<cameraId>[?stream=sub]): the server sends a JSON text message
 * `{ type: 'init', codec, path }` followed by one binary message with the MP4 init segment, then one
 * binary message per media fragment (moof+mdat), starting at a keyframe. When the upstream restarts,
 * a new `init` arrives and the player must start a fresh MediaSource.
 */
export type LiveServerMessage =
  | { type: 'init'; codec: string; path: StreamPath }
  | { type: 'status'; status: StreamStatus };

/** Live WebSocket close codes: the player stops reconnecting on these. */
export const LIVE_CLOSE_CAMERA_GONE = 4410;
export const LIVE_CLOSE_UNKNOWN_CAMERA = 4404;
export const LIVE_CLOSE_BAD_REQUEST = 4400;
/** Closes a live or events socket whose session ended (signed out, password reset, account disabled). */
export const SOCKET_CLOSE_SESSION_ENDED = 4401;
