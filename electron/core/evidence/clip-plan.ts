/**
 * Which recorded segments make up an export, split into clips: one master file per stretch of
 * continuous recording from one ffmpeg run on one recorder (a gap, a restart or a failover to another
 * recorder starts a new clip, so no master ever pretends time was continuous where it was not, and
 * each clip's custody is one recorder's to prove).
 */
import type { ProvenSegment } from './export-sources.js';

/** Segments further apart than this are a gap in the recording. */
export const GAP_MS = 250;

export interface ClipPlan {
  cameraId: string;
  segments: ProvenSegment[];
  /** The requested part of this clip, ms since epoch. */
  wantStartMs: number;
  wantEndMs: number;
}

export interface Gap {
  startMs: number;
  endMs: number;
}

export function planClips(cameraId: string, segments: readonly ProvenSegment[], fromMs: number, toMs: number): { clips: ClipPlan[]; gaps: Gap[] } {
  const clips: ClipPlan[] = [];
  for (const seg of segments) {
    const last = clips[clips.length - 1];
    const prev = last?.segments[last.segments.length - 1];
    if (last && prev && prev.recorderId === seg.recorderId && prev.runId === seg.runId && seg.startMs - prev.endMs <= GAP_MS) last.segments.push(seg);
    else clips.push({ cameraId, segments: [seg], wantStartMs: 0, wantEndMs: 0 });
  }
  for (const c of clips) {
    c.wantStartMs = Math.max(fromMs, c.segments[0]!.startMs);
    c.wantEndMs = Math.min(toMs, c.segments[c.segments.length - 1]!.endMs);
  }
  const gaps: Gap[] = [];
  let cursor = fromMs;
  for (const c of clips) {
    if (c.wantStartMs - cursor > GAP_MS) gaps.push({ startMs: cursor, endMs: c.wantStartMs });
    cursor = Math.max(cursor, c.wantEndMs);
  }
  if (toMs - cursor > GAP_MS) gaps.push({ startMs: cursor, endMs: toMs });
  return { clips: clips.filter((c) => c.wantEndMs > c.wantStartMs), gaps };
}
