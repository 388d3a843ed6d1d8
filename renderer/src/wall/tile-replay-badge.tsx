/**
 * A replaying tile says so where the picture is: how far behind now it is (−00:10: steady while it
 * plays at normal speed, growing while held), the replayed time of day, and that it is the recording
 * of the camera's main stream.
 */
import { useEffect, useState } from 'react';
import { formatLocalTime } from '../lib/format-time';
import type { RecordedPlayer } from '../playback/recorded-player';
import { formatBehind } from './replay-offset';

const TICK_MS = 250;

/** The replayed wall-clock time, re-read a few times a second; `from` until the player knows. */
function useReplayedMs(player: RecordedPlayer | null, from: number): { at: number; now: number } {
  const read = () => ({ at: player?.wallMs() ?? from, now: Date.now() });
  const [clock, setClock] = useState(read);
  useEffect(() => {
    setClock(read());
    const timer = setInterval(() => setClock(read()), TICK_MS);
    return () => clearInterval(timer);
    // read() depends only on these.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [player, from]);
  return clock;
}

export function TileReplayBadge({ player, from }: { player: RecordedPlayer | null; from: number }) {
  const { at, now } = useReplayedMs(player, from);
  const behind = formatBehind(now - at);
  const time = formatLocalTime(at, false);
  return (
    <div
      className="tile-replay-badge"
      data-testid="tile-replay-badge"
      data-wall-ms={Math.round(at)}
      title={`Replay of the recorded main stream, ${behind.slice(1)} behind live, at ${formatLocalTime(at)}. L goes back to live.`}
    >
      <span className="replay-word">REPLAY</span>
      <span data-testid="tile-replay-offset">{behind}</span>
      <span data-testid="tile-replay-time">{time}</span>
      <span className="replay-stream">MAIN</span>
    </div>
  );
}
