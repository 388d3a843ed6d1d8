/**
 * A tour's countdown: which stop of how many, and the seconds to the next, or that it is paused.
 * `compact` (a tile's own header): just "⟳ 12 s", the rest in the title.
 */
import type { TourPosition } from './use-tour';

interface TourBadgeProps {
  position: TourPosition;
  stops: number;
  paused: boolean;
  testId: string;
  compact?: boolean;
}

export function TourBadge({ position, stops, paused, testId, compact = false }: TourBadgeProps) {
  const stop = `${position.stop + 1}/${stops}`;
  const left = paused ? 'paused' : `${position.secondsLeft} s`;
  return (
    <span
      className={compact ? 'tour-badge tour-badge-compact' : 'tour-badge'}
      data-testid={testId}
      data-stop={position.stop}
      data-paused={String(paused)}
      data-seconds-left={position.secondsLeft}
      title={`Tour, camera ${stop}, ${paused ? 'paused' : `next in ${left}`}: pauses while the pointer or focus is on it`}
    >
      ⟳ {compact ? (paused ? 'II' : left) : `${stop} · ${left}`}
    </span>
  );
}
