/**
 * A tile's instant replay: live, or the recording from a wall-clock moment. Going back is counted from
 * the moment on screen, so R pressed while replaying goes that much further back from what is seen.
 */
import { useCallback, useRef, useState } from 'react';
import type { RecordedPlayer } from '../playback/recorded-player';

export interface Replay {
  /** Where the replay was started (wall-clock ms), or null while live. */
  from: number | null;
  player: RecordedPlayer | null;
  onPlayer(player: RecordedPlayer | null): void;
  back(seconds: number): void;
  live(): void;
  /** The moment on screen: the replayed wall-clock time, or now when live. */
  shownAt(): number;
}

/** `cameraId`: the camera on the tile; another one (a tour's next stop, a drop) is shown live. */
export function useReplay(cameraId: string | undefined): Replay {
  const [from, setFrom] = useState<number | null>(null);
  const [replayed, setReplayed] = useState(cameraId);
  if (replayed !== cameraId) {
    setReplayed(cameraId);
    setFrom(null);
  }
  const [player, setPlayer] = useState<RecordedPlayer | null>(null);
  // Read by callbacks made before the latest render (a key pressed twice quickly).
  const latest = useRef({ from, player });
  latest.current = { from, player };
  const shownAt = useCallback(() => {
    const { from: start, player: current } = latest.current;
    // Whole milliseconds: the API takes times as integers.
    return start === null ? Date.now() : Math.round(current?.wallMs() ?? start);
  }, []);
  const back = useCallback((seconds: number) => setFrom(shownAt() - seconds * 1000), [shownAt]);
  const live = useCallback(() => setFrom(null), []);
  return { from, player, onPlayer: setPlayer, back, live, shownAt };
}
