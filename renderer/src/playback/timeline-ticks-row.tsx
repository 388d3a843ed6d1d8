/** The timeline's time labels, at round steps chosen for the window and the width there is. */
import { useEffect, useRef, useState } from 'react';
import { timelineTicks } from './timeline-ticks';

/** Room one label needs ("2026-12-01" at midnight is the widest). */
const LABEL_PX = 90;

export function TimelineTicks({ fromMs, toMs, pct }: { fromMs: number; toMs: number; pct(ms: number): string }) {
  const row = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const observer = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width));
    observer.observe(row.current!);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={row} className="timeline-ticks" data-testid="timeline-ticks">
      {timelineTicks(fromMs, toMs, Math.max(2, Math.floor(width / LABEL_PX))).map((t) => (
        <span key={t.ms} className="timeline-tick" data-testid="timeline-tick" data-at-ms={t.ms} style={{ left: pct(t.ms) }}>
          {t.label}
        </span>
      ))}
    </div>
  );
}
