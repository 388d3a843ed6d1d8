/**
 * The players of a playback kept together: every player follows the first one's clock, and the
 * moment on screen (the cursor) is read from it.
 */
import { useEffect, useRef, useState, type MutableRefObject } from 'react';
import type { RecordedPlayer } from './recorded-player';

/** Players further apart than this are pulled back to the first one. */
const SYNC_TOLERANCE_MS = 300;

export function usePlayerSync(firstId: string | undefined): { players: MutableRefObject<Map<string, RecordedPlayer>>; cursor: number | null; setCursor(ms: number): void } {
  const players = useRef(new Map<string, RecordedPlayer>());
  const [cursor, setCursor] = useState<number | null>(null);
  useEffect(() => {
    const timer = setInterval(() => {
      const lead = firstId === undefined ? undefined : players.current.get(firstId);
      const wall = lead?.wallMs() ?? null;
      // While the lead settles on a new start it has no time to give: the cursor keeps the last one.
      if (wall === null) return;
      setCursor(wall);
      if (lead!.paused()) return;
      for (const [id, p] of players.current) {
        const own = p.wallMs();
        if (id !== firstId && own !== null && Math.abs(own - wall) > SYNC_TOLERANCE_MS) p.seekWall(wall);
      }
    }, 250);
    return () => clearInterval(timer);
  }, [firstId]);
  return { players, cursor, setCursor };
}
