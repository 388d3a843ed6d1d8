/**
 * An HLS playlist over recorded MPEG-TS segments, which video.js plays as it is. Each segment carries
 * its wall-clock start (EXT-X-PROGRAM-DATE-TIME); a gap in the recording is a discontinuity, so the
 * player's timeline skips it and the page maps player time back to wall time with the same list.
 * EXT-X-START names where to begin: without it a player treats a growing (open) list as live and
 * jumps to its live edge on first play, whatever it was asked to seek to before.
 */
import { CONTIGUOUS_MS, type TimeRange } from './segment-index.js';

export interface PlaylistOptions<S extends TimeRange> {
  /** Turns a segment into its URI (relative to the playlist). */
  uri: (segment: S) => string;
  /** true: the recording is still growing, players reload the list (instant replay up to live). */
  open: boolean;
  /** Where players start, ms since epoch; in a gap, the next recorded moment. */
  startMs?: number | undefined;
}

/** Seconds of playlist media before `wallMs`: what came before it, gaps skipped. */
function mediaOffset(segments: readonly TimeRange[], wallMs: number): number {
  let seconds = 0;
  for (const s of segments) {
    if (wallMs < s.endMs) return seconds + Math.max(0, wallMs - s.startMs) / 1000;
    seconds += (s.endMs - s.startMs) / 1000;
  }
  return seconds;
}

export function hlsPlaylist<S extends TimeRange>(segments: readonly S[], options: PlaylistOptions<S>): string {
  const target = Math.max(1, ...segments.map((s) => Math.ceil((s.endMs - s.startMs) / 1000)));
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${target}`, '#EXT-X-MEDIA-SEQUENCE:0'];
  if (!options.open) lines.push('#EXT-X-PLAYLIST-TYPE:VOD');
  if (options.startMs !== undefined) lines.push(`#EXT-X-START:TIME-OFFSET=${mediaOffset(segments, options.startMs).toFixed(3)},PRECISE=YES`);
  segments.forEach((s, i) => {
    const previous = segments[i - 1];
    if (previous && s.startMs - previous.endMs > CONTIGUOUS_MS) lines.push('#EXT-X-DISCONTINUITY');
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(s.startMs).toISOString()}`);
    lines.push(`#EXTINF:${((s.endMs - s.startMs) / 1000).toFixed(3)},`);
    lines.push(options.uri(s));
  });
  if (!options.open) lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}
