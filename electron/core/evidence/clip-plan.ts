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
  /** Why it is there, where a recorder's ledger says (a site's takeover from a recorder that stopped renewing). */
  why?: GapWhy;
}

/** A takeover that ends a gap, as the new holder's ledger entry (in its custody answer) says. */
export interface GapWhy {
  takeover: { from: string; by: string; leaseRanOutAtUtc: string; takenAtUtc: string; entry: { ledger: string; seq: number; hash: string } };
}

/** A recorder's recording.takeover entry, with the recorder whose ledger holds it. */
export interface TakeoverEntry {
  ledger: string;
  entry: { seq: number; hash: string; subject: string; details?: Record<string, unknown> };
}

/** Each gap with the takeover taken within it, if there is one: the camera was unrecorded until a standby took it over. */
export function explainGaps(gaps: readonly Gap[], takeovers: readonly TakeoverEntry[]): Gap[] {
  return gaps.map((gap) => {
    const t = takeovers.find(({ entry }) => Number(entry.details?.takenAt) >= gap.startMs && Number(entry.details?.takenAt) <= gap.endMs);
    if (!t) return gap;
    const { from, leaseRanOutAt, takenAt } = t.entry.details as { from: string; leaseRanOutAt: number; takenAt: number };
    return { ...gap, why: { takeover: { from, by: t.ledger, leaseRanOutAtUtc: new Date(leaseRanOutAt).toISOString(), takenAtUtc: new Date(takenAt).toISOString(), entry: { ledger: t.ledger, seq: t.entry.seq, hash: t.entry.hash } } } };
  });
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
