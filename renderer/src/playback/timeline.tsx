/** A picture of what was recorded: ranges drawn over a time window, gaps left dark; click or drag to seek. */
import { useRef, type PointerEvent } from 'react';
import type { RecordedRange } from '../../../shared/api.js';
import { formatLocalTime } from './format-time';
import './timeline.css';

interface TimelineProps {
  fromMs: number;
  toMs: number;
  ranges: readonly RecordedRange[];
  cursorMs: number | null;
  onSeek(wallMs: number): void;
}

const TICKS = 6;

export function Timeline({ fromMs, toMs, ranges, cursorMs, onSeek }: TimelineProps) {
  const bar = useRef<HTMLDivElement>(null);
  const span = toMs - fromMs;
  const pct = (ms: number) => `${(Math.min(Math.max(ms - fromMs, 0), span) / span) * 100}%`;
  const timeAt = (event: PointerEvent) => {
    const rect = bar.current!.getBoundingClientRect();
    return Math.round(fromMs + ((event.clientX - rect.left) / rect.width) * span);
  };
  return (
    <div className="timeline" data-testid="timeline" data-from-ms={fromMs} data-to-ms={toMs}>
      <div
        ref={bar}
        className="timeline-bar"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          onSeek(timeAt(e));
        }}
        onPointerUp={(e) => e.currentTarget.hasPointerCapture(e.pointerId) && onSeek(timeAt(e))}
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
        {cursorMs !== null && <div className="timeline-cursor" style={{ left: pct(cursorMs) }} />}
      </div>
      <div className="timeline-ticks">
        {Array.from({ length: TICKS + 1 }, (_, i) => fromMs + (span * i) / TICKS).map((t) => (
          <span key={t}>{formatLocalTime(t, false)}</span>
        ))}
      </div>
    </div>
  );
}
