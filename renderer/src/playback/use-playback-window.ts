/**
 * The span of time the timeline shows. Its right edge follows the present, except while it is held
 * (playback paused, a span marked, an export made from it): then it stays put, so what the operator
 * is looking at or marking does not drift away.
 */
import { useEffect, useState } from 'react';

/** How much of the past the timeline spans; a short window makes a few minutes easy to hit. */
export const WINDOWS = [
  { label: '10 min', ms: 10 * 60_000 },
  { label: '1 h', ms: 60 * 60_000 },
  { label: '24 h', ms: 24 * 60 * 60_000 },
];
/** How often a timeline that follows the present moves on. */
const FOLLOW_MS = 10_000;

export interface PlaybackWindow {
  fromMs: number;
  toMs: number;
  windowMs: number;
  setWindowMs(ms: number): void;
  /** The right edge is the present (Later is pointless), though a held window no longer moves with it. */
  atPresent: boolean;
  /** Moving with the present right now. */
  following: boolean;
  /** Shows `endMs` at the right edge (never beyond now). */
  showWindowEndingAt(endMs: number): void;
  /** Shows the present at the right edge, and follows it. */
  showPresent(): void;
}

/** `startAtMs`: a moment to show (a bookmark), else the present. */
export function usePlaybackWindow(startAtMs: number | undefined, held: boolean): PlaybackWindow {
  const [windowMs, setWindowMs] = useState(WINDOWS[0]!.ms);
  const [toMs, setToMs] = useState(() => (startAtMs === undefined ? Date.now() : Math.min(Date.now(), startAtMs + windowMs / 2)));
  const [atPresent, setAtPresent] = useState(startAtMs === undefined || startAtMs + windowMs / 2 >= Date.now());
  const following = atPresent && !held;

  useEffect(() => {
    if (!following) return;
    const timer = setInterval(() => setToMs(Date.now()), FOLLOW_MS);
    return () => clearInterval(timer);
  }, [following]);

  const showWindowEndingAt = (endMs: number) => {
    const now = Date.now();
    setAtPresent(endMs >= now);
    setToMs(Math.min(endMs, now));
  };
  // Not showWindowEndingAt(Date.now()): a millisecond later that end would already lie in the past.
  const showPresent = () => showWindowEndingAt(Infinity);
  return { fromMs: toMs - windowMs, toMs, windowMs, setWindowMs, atPresent, following, showWindowEndingAt, showPresent };
}
