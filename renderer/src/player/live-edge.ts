/**
 * Keeps a live tile close to what the camera sees now. Small delays are caught up by playing a little
 * faster (invisible to the operator); large ones, after a stall or a hidden tab, by jumping.
 */
const JUMP_ABOVE_S = 1.0;
const SPEED_UP_ABOVE_S = 0.25;
const JUMP_BEHIND_EDGE_S = 0.2;
const CATCH_UP_RATE = 1.15;

export type LiveEdgeAction = { kind: 'seek'; to: number } | { kind: 'rate'; rate: number };

export interface LiveEdgeDecision {
  /** Seconds between the newest buffered media and the playhead. */
  lag: number;
  action: LiveEdgeAction;
}

/** `ranges` are the buffered [start, end] pairs in order; null when nothing is buffered yet. */
export function followLiveEdge(ranges: ReadonlyArray<readonly [number, number]>, currentTime: number): LiveEdgeDecision | null {
  const last = ranges[ranges.length - 1];
  if (!last) return null;
  const [lastStart, end] = last;
  const lag = end - currentTime;
  const inBufferedRange = ranges.some(([start, stop]) => currentTime >= start && currentTime <= stop);
  // A playhead in a hole (before the first fragment, or in a gap left by a lost fragment) never moves on.
  if (lag > JUMP_ABOVE_S || !inBufferedRange) return { lag, action: { kind: 'seek', to: Math.max(lastStart, end - JUMP_BEHIND_EDGE_S) } };
  return { lag, action: { kind: 'rate', rate: lag > SPEED_UP_ABOVE_S ? CATCH_UP_RATE : 1 } };
}

export function bufferedRanges(buffered: TimeRanges): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < buffered.length; i++) ranges.push([buffered.start(i), buffered.end(i)]);
  return ranges;
}
