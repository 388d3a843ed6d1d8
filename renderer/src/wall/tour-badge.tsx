/** A tour's countdown: which stop of how many, and the seconds to the next, or that it is paused. */
import type { TourPosition } from './use-tour';

export function TourBadge({ position, stops, paused, testId }: { position: TourPosition; stops: number; paused: boolean; testId: string }) {
  return (
    <span className="tour-badge" data-testid={testId} data-stop={position.stop} data-paused={String(paused)} title="Tour: pauses while the pointer or focus is on it">
      ⟳ {position.stop + 1}/{stops} · {paused ? 'paused' : `${position.secondsLeft} s`}
    </span>
  );
}
