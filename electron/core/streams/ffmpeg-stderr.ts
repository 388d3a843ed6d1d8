/**
 * Reads ffmpeg's stderr: which codec the camera sends, and why a run failed, in words an operator
 * can act on. Pure functions over text so they can be tested with captured ffmpeg output.
 */
import type { StreamState } from '../../../shared/events.js';

export type FailureKind = Extract<StreamState, 'unauthorized' | 'unreachable' | 'unsupported'> | 'dropped';

export interface Failure {
  kind: FailureKind;
  reason: string;
}

/** The first input video stream's codec (h264, hevc, mjpeg …), or null if the line is not one. */
export function parseInputVideoCodec(line: string): string | null {
  const m = /^\s*Stream #0:\d+(?:\[[^\]]*\])?(?:\([^)]*\))?: Video: ([a-z0-9_]+)/i.exec(line);
  return m ? m[1]!.toLowerCase() : null;
}

/** True once ffmpeg has reached the output stage (input opened, muxer configured). */
export function isOutputStartLine(line: string): boolean {
  return /^Output #0/.test(line);
}

const RULES: Array<{ test: RegExp; kind: FailureKind; reason: (m: RegExpExecArray) => string }> = [
  { test: /401 Unauthorized|Unauthorized|authorization failed/i, kind: 'unauthorized', reason: () => 'The camera refused the user name or password.' },
  { test: /403 Forbidden/i, kind: 'unauthorized', reason: () => 'The camera forbids this user from viewing the stream.' },
  { test: /404 Not Found|461 Unsupported transport/i, kind: 'unreachable', reason: (m) => (m[0].startsWith('404') ? 'The camera has no stream at this path (404).' : 'The camera does not support RTSP over TCP.') },
  { test: /Connection refused/i, kind: 'unreachable', reason: () => 'Connection refused: nothing is listening at this address and port.' },
  { test: /timed out|Connection timeout/i, kind: 'unreachable', reason: () => 'The camera did not answer in time.' },
  { test: /No route to host|Network is unreachable|Host is unreachable/i, kind: 'unreachable', reason: () => 'No network route to the camera.' },
  { test: /Name or service not known|Temporary failure in name resolution|Failed to resolve hostname|nodename nor servname/i, kind: 'unreachable', reason: () => 'The camera’s host name could not be resolved.' },
  { test: /Stream map .* matches no streams|does not contain any stream/i, kind: 'unsupported', reason: () => 'The stream has no video track.' },
  { test: /Could not find codec parameters|Decoder \(codec [^)]*\) not found|Unsupported codec|Could not find tag for codec/i, kind: 'unsupported', reason: () => 'The camera sends a video format Watchroom cannot read.' },
];

/** Classifies a failed run from its last stderr lines; anything unknown counts as a dropped stream. */
export function classifyFailure(stderrLines: readonly string[]): Failure {
  for (let i = stderrLines.length - 1; i >= 0; i--) {
    const line = stderrLines[i]!;
    for (const rule of RULES) {
      const m = rule.test.exec(line);
      if (m) return { kind: rule.kind, reason: rule.reason(m) };
    }
  }
  return { kind: 'dropped', reason: 'The stream stopped.' };
}

/** ffmpeg could not write a file because the disk (or its quota) is full. */
export function isDiskFull(stderrLines: readonly string[]): boolean {
  return stderrLines.some((line) => /No space left on device|Disk quota exceeded/i.test(line));
}
