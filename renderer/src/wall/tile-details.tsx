/** How a live tile's picture comes: sub-stream, re-encoded, a re-anchored clock, frames per second. */
import type { ClockDrift, StreamStatus } from '../../../shared/events.js';
import { formatClockDrift, formatDriftSeconds, formatLocalTime } from '../lib/format-time';

interface TileDetailsProps {
  status: StreamStatus | undefined;
  /** The camera's recording was re-anchored to real time (its main stream records, whichever is shown). */
  clockDrift: ClockDrift | undefined;
  /** Test ids only on the header's copy; the menu repeats them for narrow tiles. */
  testIds: boolean;
}

export function TileDetails({ status, clockDrift, testIds }: TileDetailsProps) {
  const id = (name: string) => (testIds ? name : undefined);
  return (
    <>
      {status?.stream === 'sub' && (
        <span className="path-badge badge-sub" data-testid={id('tile-sub')} title="The camera's low-resolution sub-stream: maximise the tile for full resolution.">
          SUB
        </span>
      )}
      {status?.path === 'transcode' && (
        <span className="path-badge" data-testid={id('tile-path')} title={`Re-encoded: this display cannot decode the camera's ${status.sourceCodec ?? 'codec'}.`}>
          TRANSCODE
        </span>
      )}
      {clockDrift && (
        <span
          className="path-badge"
          data-testid={id('tile-clock-drift')}
          title={`The camera's clock was ${formatClockDrift(clockDrift.offsetMs)}; its recording was re-anchored to real time at ${formatLocalTime(clockDrift.atMs)}.`}
        >
          CLOCK {clockDrift.offsetMs < 0 ? '−' : '+'}
          {formatDriftSeconds(clockDrift.offsetMs)}
        </span>
      )}
      {status && (
        <span className="tile-fps" data-testid={id('tile-fps')} title="Frames per second arriving now">
          {Math.round(status.health.fps)} fps
        </span>
      )}
    </>
  );
}
