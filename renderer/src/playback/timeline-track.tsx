/**
 * One camera's row on the timeline: its recorded ranges (gaps left dark), a tick where its clock was
 * re-anchored to real time, and its bookmarks as markers (title on hover; a click seeks there).
 */
import type { RecordedRange } from '../../../shared/api.js';
import type { Bookmark } from '../../../shared/incidents.js';
import { formatLocalTime } from '../lib/format-time';

interface TimelineTrackProps {
  cameraId: string;
  ranges: readonly RecordedRange[];
  bookmarks: readonly Bookmark[];
  /** Where a moment sits along the track, as a CSS length. */
  pct(ms: number): string;
  onSeek(ms: number): void;
}

export function TimelineTrack({ cameraId, ranges, bookmarks, pct, onSeek }: TimelineTrackProps) {
  return (
    <div className="timeline-track" data-testid="timeline-track" data-camera-id={cameraId}>
      {ranges.map((r) => (
        <div
          key={r.startMs}
          className="timeline-range"
          data-testid="timeline-range"
          data-start-ms={r.startMs}
          data-end-ms={r.endMs}
          style={{ left: pct(r.startMs), width: `calc(${pct(r.endMs)} - ${pct(r.startMs)})` }}
        />
      ))}
      {ranges.flatMap((r) => r.reanchoredAtMs ?? []).map((ms) => (
        <div
          key={`clock-${ms}`}
          className="timeline-reanchor"
          data-testid="timeline-reanchor"
          data-at-ms={ms}
          title={`${formatLocalTime(ms)}: the camera's clock had drifted; the recording was re-anchored to real time here.`}
          style={{ left: pct(ms) }}
        />
      ))}
      {bookmarks.map((b) => (
        <button
          key={b.id}
          type="button"
          className="timeline-bookmark"
          data-testid="timeline-bookmark"
          data-bookmark-id={b.id}
          data-at-ms={b.atMs}
          title={`${b.title} · ${formatLocalTime(b.atMs)}`}
          aria-label={`Bookmark ${b.title} at ${formatLocalTime(b.atMs)}`}
          style={{ left: pct(b.atMs) }}
          // Its own click, not the track's drag-to-seek, which would land a pixel off.
          onPointerDown={(e) => e.stopPropagation()}
          onClick={() => onSeek(b.atMs)}
        />
      ))}
    </div>
  );
}
