/** What the core pushes to renderers, and the live-stream wire protocol. */
import type { ExportJob } from './evidence.js';

export const STREAM_STATES = ['stopped', 'connecting', 'live', 'reconnecting', 'unauthorized', 'unreachable', 'unsupported'] as const;
export type StreamState = (typeof STREAM_STATES)[number];

/** A camera's full-resolution stream, or its low-resolution sub-stream for small tiles. */
export const STREAM_VARIANTS = ['main', 'sub'] as const;
export type StreamVariant = (typeof STREAM_VARIANTS)[number];

/** Names one of a camera's streams, wherever streams or their statuses are kept by camera and stream. */
export const streamKey = (cameraId: string, stream: StreamVariant = 'main') => `${cameraId}/${stream}`;

/** copy: the camera's own H.264 bytes, remuxed. transcode: re-encoded to H.264 because browsers cannot decode the source. */
export type StreamPath = 'copy' | 'transcode';

export interface StreamHealth {
  fps: number;
  kbps: number;
  /** ms since epoch of the last fragment received from the camera, or null. */
  lastFrameAt: number | null;
  restarts: number;
  subscribers: number;
}

/** A recording's clock found off real time and re-anchored. */
export interface ClockDrift {
  /** Recorded time minus real time when found, ms: negative when the camera's timestamps ran slow. */
  offsetMs: number;
  /** Where the recording was re-anchored, ms since epoch (the end of the segment where it was found). */
  atMs: number;
}

export interface RecordingStatus {
  state: 'off' | 'recording' | 'error';
  reason?: string;
  /** The latest re-anchoring of this camera's recording since the app started. */
  clockDrift?: ClockDrift;
}

export interface StreamStatus {
  cameraId: string;
  /** Which of the camera's streams this is (a camera without a sub-stream has only `main`). */
  stream: StreamVariant;
  state: StreamState;
  /** Why the stream is not live, in words for the operator. */
  reason?: string;
  path: StreamPath;
  /** Source codec as ffmpeg names it (h264, hevc, mjpeg), once known. */
  sourceCodec?: string;
  /** MSE codec string of what is sent to the player, e.g. avc1.64001f. */
  codec?: string;
  /** ms since epoch of the next reconnect attempt while failing. */
  nextRetryAt?: number;
  recording?: RecordingStatus;
  health: StreamHealth;
}

export type CoreEvent =
  | { type: 'stream.status'; status: StreamStatus }
  | { type: 'cameras.changed' }
  | { type: 'wall.changed' }
  | { type: 'bookmarks.changed' }
  | { type: 'export.progress'; job: ExportJob }
  | { type: 'audit.status'; status: AuditStatus };

/**
 * Whether actions are being recorded. degraded: the ledger's disk refuses writes; entries wait in a
 * queue, live view goes on, exports are refused. The start-up check says what it found in the chain.
 */
export interface AuditStatus {
  state: 'ok' | 'degraded';
  queued: number;
  problem: string | null;
  check: { state: 'running' | 'ok' | 'problems'; fromSeq: number; entries: number; problems: string[] } | null;
}

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
