/**
 * The playback timeline: a track per camera (name, recorded ranges, gaps, clock re-anchors,
 * bookmarks) over one time window, ticks at round times below. Hovering names the time under the
 * pointer and shows that camera's picture then; click, or drag and release, to seek there.
 */
import { useRef, useState, type PointerEvent } from 'react';
import { formatLocalTime } from '../lib/format-time';
import { TimelineThumbnail } from './timeline-thumbnail';
import { TimelineTicks } from './timeline-ticks-row';
import { TimelineTrack } from './timeline-track';
import type { TimelineTrack as Track } from './use-timeline-tracks';
import './timeline.css';

interface TimelineProps {
  fromMs: number;
  toMs: number;
  tracks: readonly Track[];
  cursorMs: number | null;
  /** A span marked for export (in and out), drawn over the tracks. */
  marked?: { fromMs: number; toMs: number } | null;
  onSeek(wallMs: number): void;
}

export function Timeline({ fromMs, toMs, tracks, cursorMs, marked, onSeek }: TimelineProps) {
  const bar = useRef<HTMLDivElement>(null);
  const [pointer, setPointer] = useState<{ ms: number; track: number } | null>(null);
  const [dragging, setDragging] = useState(false);
  const span = toMs - fromMs;
  const pct = (ms: number) => `${(Math.min(Math.max(ms - fromMs, 0), span) / span) * 100}%`;
  const pointAt = (event: PointerEvent) => {
    const rect = bar.current!.getBoundingClientRect();
    const x = Math.min(Math.max(event.clientX - rect.left, 0), rect.width);
    const track = Math.min(Math.max(Math.floor(((event.clientY - rect.top) / rect.height) * tracks.length), 0), tracks.length - 1);
    return { ms: Math.round(fromMs + (x / rect.width) * span), track };
  };
  const hovered = pointer && tracks[pointer.track];
  const recorded = hovered ? hovered.ranges.some((r) => pointer.ms >= r.startMs && pointer.ms < r.endMs) : false;
  return (
    <div className="timeline" data-testid="timeline" data-from-ms={fromMs} data-to-ms={toMs}>
      <div className="timeline-names">
        {tracks.map((t) => (
          <span key={t.camera.id} className="timeline-name" title={t.camera.name}>{t.camera.name}</span>
        ))}
      </div>
      <div
        ref={bar}
        className="timeline-bar"
        onPointerDown={(e) => (e.currentTarget.setPointerCapture(e.pointerId), setDragging(true), setPointer(pointAt(e)))}
        onPointerMove={(e) => setPointer(pointAt(e))}
        onPointerUp={(e) => {
          if (!e.currentTarget.hasPointerCapture(e.pointerId)) return;
          setDragging(false);
          onSeek(pointAt(e).ms);
        }}
        onPointerLeave={() => !dragging && setPointer(null)}
      >
        {tracks.map((t) => <TimelineTrack key={t.camera.id} cameraId={t.camera.id} ranges={t.ranges} bookmarks={t.bookmarks} pct={pct} onSeek={onSeek} />)}
        {marked && <div className="timeline-marked" data-testid="timeline-marked" style={{ left: pct(marked.fromMs), width: `calc(${pct(marked.toMs)} - ${pct(marked.fromMs)})` }} />}
        {cursorMs !== null && <div className="timeline-cursor" style={{ left: pct(cursorMs) }} />}
        {pointer && hovered && (
          <div className={dragging ? 'timeline-pointer dragging' : 'timeline-pointer'} style={{ left: pct(pointer.ms) }}>
            <div className="timeline-hover" data-camera-id={hovered.camera.id}>
              {recorded && !dragging && <TimelineThumbnail cameraId={hovered.camera.id} atMs={pointer.ms} />}
              <span className="timeline-pointer-label" data-testid="timeline-pointer">
                {formatLocalTime(pointer.ms)}
                {recorded ? '' : ' · not recorded'}
              </span>
            </div>
          </div>
        )}
      </div>
      <TimelineTicks fromMs={fromMs} toMs={toMs} pct={pct} />
    </div>
  );
}
