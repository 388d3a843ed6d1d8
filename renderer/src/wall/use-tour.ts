/**
 * Runs a tour in this window: which of its stops shows now and how many seconds are left on it. The
 * clock stops while `paused` (the operator hovers over or focuses on it) and goes on from there.
 */
import { useEffect, useState } from 'react';
import type { Tour } from '../../../shared/api.js';

export interface TourPosition {
  /** Index of the stop on screen. */
  stop: number;
  secondsLeft: number;
}

const TICK_MS = 250;

/** `stops`: how many stops the tour has (its cameras, or pages of them for a whole wall). */
export function useTour(tour: Tour | null | undefined, stops: number, paused: boolean): TourPosition | null {
  const identity = tour ? `${tour.dwellSeconds}:${tour.cameraIds.join(',')}` : '';
  const [position, setPosition] = useState<{ identity: string; stop: number; msLeft: number }>({ identity, stop: 0, msLeft: (tour?.dwellSeconds ?? 0) * 1000 });
  const current = position.identity === identity ? position : { identity, stop: 0, msLeft: (tour?.dwellSeconds ?? 0) * 1000 };

  useEffect(() => {
    if (!tour || paused || stops < 2) return;
    const dwellMs = tour.dwellSeconds * 1000;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      const elapsed = now - last;
      last = now;
      setPosition((p) => {
        const base = p.identity === identity ? p : { identity, stop: 0, msLeft: dwellMs };
        const msLeft = base.msLeft - elapsed;
        return msLeft > 0 ? { ...base, msLeft } : { identity, stop: (base.stop + 1) % stops, msLeft: dwellMs + msLeft };
      });
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [tour, identity, paused, stops]);

  if (!tour || stops < 2) return null;
  return { stop: current.stop % stops, secondsLeft: Math.max(1, Math.ceil(current.msLeft / 1000)) };
}
