/**
 * A picture of what was recorded: ranges drawn over a time window, gaps left dark, and a tick where the
 * recording's clock was re-anchored to real time. Hovering shows the time under the pointer; click, or
 * drag and release, to seek there.
 */
import { useRef, useState, type PointerEvent } from 'react';
import type { RecordedRange } from '../../../shared/api.js';
import { formatLocalTime } from './format-time';
import './timeline.css';

interface TimelineProps {
  fromMs: number;
  toMs: number;
  ranges: readonly RecordedRange[];
  cursorMs: number | null;
  /** A span marked for export (in and out), drawn over the ranges. */
  marked?: { fromMs: number; toMs: number } | null;
  onSeek(wallMs: number): void;
}

const TICKS = 6;

export function Timeline({ fromMs, toMs, ranges, cursorMs, marked, onSeek }: TimelineProps) {
  const bar = useRef<HTMLDivElement>(null);
  const [pointerMs, setPointerMs] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);
  const span = toMs - fromMs;
  const pct = (ms: number) => `${(Math.min(Math.max(ms - fromMs, 0), span) / span) * 100}%`;
  const timeAt = (event: PointerEvent) => {
    const rect = bar.current!.getBoundingClientRect();
    const x = Math.min(Math.max(event.clientX - rect.left, 0), rect.width);
    return Math.round(fromMs + (x / rect.width) * span);
  };
  const recordedAt = (ms: number) => ranges.some((r) => ms >= r.startMs && ms < r.endMs);
  return (
    <div className="timeline" data-testid="timeline" data-from-ms={fromMs} data-to-ms={toMs}>
      <div
        ref={bar}
        className="timeline-bar"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          setDragging(true);
          setPointerMs(timeAt(e));
        }}
        onPointerMove={(e) => setPointerMs(timeAt(e))}
        onPointerUp={(e) => {
          if (!e.currentTarget.hasPointerCapture(e.pointerId)) return;
          setDragging(false);
          onSeek(timeAt(e));
        }}
        onPointerLeave={() => !dragging && setPointerMs(null)}
      >
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
        {marked && <div className="timeline-marked" data-testid="timeline-marked" style={{ left: pct(marked.fromMs), width: `calc(${pct(marked.toMs)} - ${pct(marked.fromMs)})` }} />}
        {cursorMs !== null && <div className="timeline-cursor" style={{ left: pct(cursorMs) }} />}
        {pointerMs !== null && (
          <div className={dragging ? 'timeline-pointer dragging' : 'timeline-pointer'} style={{ left: pct(pointerMs) }}>
            <span className="timeline-pointer-label" data-testid="timeline-pointer">
              {formatLocalTime(pointerMs)}
              {recordedAt(pointerMs) ? '' : ' · not recorded'}
            </span>
          </div>
        )}
      </div>
      <div className="timeline-ticks">
        {Array.from({ length: TICKS + 1 }, (_, i) => fromMs + (span * i) / TICKS).map((t) => (
          <span key={t}>{formatLocalTime(t, span > 20 * 3600_000 || new Date(t).getDate() !== new Date(toMs).getDate())}</span>
        ))}
      </div>
    </div>
  );
}
