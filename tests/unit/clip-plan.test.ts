/**
 * How an export's segments are cut into clips: one master per stretch of continuous recording from
 * one ffmpeg run on one recorder.
 */
import { describe, expect, it } from 'vitest';
import { GAP_MS, planClips } from '../../electron/core/evidence/clip-plan.js';
import type { ProvenSegment } from '../../electron/core/evidence/export-sources.js';

const T0 = Date.UTC(2026, 11, 3, 8, 0);

/** A 4-second segment starting `n` segments after T0. */
function segment(n: number, runId: string, recorderId: string | null): ProvenSegment {
  const startMs = T0 + n * 4_000;
  return {
    id: n, cameraId: 'cam-1', runId, path: `cam-1/${startMs}-${startMs + 4_000}.ts`, startMs, endMs: startMs + 4_000, bytes: 1_000, sha256: '0'.repeat(64),
    missing: false, repaired: false, ledgerOffset: null, proof: null, captureOpen: false, clockOffsetMs: 0, recorderId,
  };
}

describe('planClips', () => {
  it('keeps contiguous footage of one run on one recorder in one clip', () => {
    const { clips, gaps } = planClips('cam-1', [0, 1, 2].map((n) => segment(n, 'run-a', null)), T0, T0 + 12_000);
    expect(clips.map((c) => c.segments.length)).toEqual([3]);
    expect(gaps).toEqual([]);
  });

  it('cuts contiguous footage where the recorder changes, even within one run id', () => {
    const segments = [segment(0, 'run-a', 'rec-a'), segment(1, 'run-a', 'rec-a'), segment(2, 'run-a', 'rec-b'), segment(3, 'run-a', 'rec-b')];
    const { clips, gaps } = planClips('cam-1', segments, T0 + 1_000, T0 + 15_000);
    expect(clips.map((c) => c.segments.map((s) => s.recorderId))).toEqual([['rec-a', 'rec-a'], ['rec-b', 'rec-b']]);
    expect(clips.map((c) => [c.wantStartMs, c.wantEndMs])).toEqual([[T0 + 1_000, T0 + 8_000], [T0 + 8_000, T0 + 15_000]]);
    expect(gaps).toEqual([]);
  });

  it('cuts at a new run and at a gap, and names the gap', () => {
    const late = { ...segment(3, 'run-b', null), startMs: T0 + 12_000 + GAP_MS + 1_000 };
    const { clips, gaps } = planClips('cam-1', [segment(0, 'run-a', null), segment(1, 'run-b', null), late], T0, late.endMs);
    expect(clips).toHaveLength(3);
    expect(gaps).toEqual([{ startMs: T0 + 8_000, endMs: late.startMs }]);
  });
});
