/** The HLS playlist over recorded segments: wall-clock dates, gaps as discontinuities, where players start. */
import { describe, expect, it } from 'vitest';
import { hlsPlaylist } from '../../electron/core/recording/hls-playlist.js';
import type { SegmentRow } from '../../electron/core/recording/segment-index.js';

const T0 = Date.UTC(2026, 10, 24, 2, 10, 0);
const row = (id: number, startMs: number, endMs: number): SegmentRow => ({
  id, cameraId: 'cam-1', runId: 'run', path: `x/${id}.ts`, startMs, endMs, bytes: 1, sha256: '0'.repeat(64), missing: false, repaired: false, ledgerOffset: null, clockOffsetMs: null, proof: null, captureOpen: false,
});
// Two contiguous 4 s segments, a 10 s gap, then a 6 s segment.
const segments = [row(1, T0, T0 + 4_000), row(2, T0 + 4_000, T0 + 8_000), row(3, T0 + 18_000, T0 + 24_000)];
const uri = (s: SegmentRow) => `/media/segments/${s.id}.ts`;
const startOffset = (text: string) => Number(/#EXT-X-START:TIME-OFFSET=([\d.]+),PRECISE=YES/.exec(text)?.[1]);

describe('hlsPlaylist', () => {
  it('lists every segment with its wall-clock date, marks the gap, and ends a closed recording', () => {
    const text = hlsPlaylist(segments, { uri, open: false });
    expect(text).toContain('#EXT-X-TARGETDURATION:6');
    expect(text.match(/#EXT-X-PROGRAM-DATE-TIME:(.*)/g)).toEqual([0, 4_000, 18_000].map((d) => `#EXT-X-PROGRAM-DATE-TIME:${new Date(T0 + d).toISOString()}`));
    expect(text.split('\n').filter((l) => l === '#EXT-X-DISCONTINUITY')).toHaveLength(1);
    expect(text.indexOf('#EXT-X-DISCONTINUITY')).toBeGreaterThan(text.indexOf('/media/segments/2.ts'));
    expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(text.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
  });

  it('leaves a growing recording open for players to reload', () => {
    const text = hlsPlaylist(segments, { uri, open: true });
    expect(text).not.toContain('#EXT-X-ENDLIST');
    expect(text).not.toContain('PLAYLIST-TYPE');
  });

  it('names the start in media seconds, skipping gaps, so an open list does not jump to its live edge', () => {
    expect(hlsPlaylist(segments, { uri, open: true })).not.toContain('#EXT-X-START');
    expect(startOffset(hlsPlaylist(segments, { uri, open: true, startMs: T0 + 5_500 }))).toBe(5.5);
    expect(startOffset(hlsPlaylist(segments, { uri, open: true, startMs: T0 + 20_000 }))).toBe(10);
    // In the gap: the next recorded moment. Before the first segment: its start.
    expect(startOffset(hlsPlaylist(segments, { uri, open: true, startMs: T0 + 12_000 }))).toBe(8);
    expect(startOffset(hlsPlaylist(segments, { uri, open: true, startMs: T0 - 60_000 }))).toBe(0);
  });
});
