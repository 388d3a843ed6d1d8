/** One tile of the wall: a drop target, a drag source when it shows a camera, and the live picture. */
import { useState, type CSSProperties, type DragEvent, type KeyboardEvent } from 'react';
import type { CameraView } from '../../../shared/api.js';
import type { StreamStatus, StreamVariant } from '../../../shared/events.js';
import { statusKey, type StreamStatuses } from './use-stream-statuses';
import { LiveVideo } from '../player/live-video';
import { TileOverlay } from './tile-overlay';
import { RecordedVideo } from '../playback/recorded-video';
import { dropEffectFor, readWallDrop, startTileDrag, type WallDrop } from './wall-drag';

export type TileCell = readonly [column: number, row: number, columnSpan: number, rowSpan: number];

interface WallTileProps {
  index: number;
  cell: TileCell;
  cameraId: string | null;
  camera: CameraView | undefined;
  statuses: StreamStatuses;
  /** The stream this tile should show (tile-stream.ts); a change keeps the old picture until the new one plays. */
  stream: StreamVariant;
  maximised: boolean;
  /** Another tile is maximised: this one keeps playing, out of sight, so restoring is instant. */
  hidden: boolean;
  onDrop(index: number, drop: WallDrop): void;
  onClear(index: number): void;
  onToggleMaximise(index: number): void;
  onStatus(status: StreamStatus): void;
  /** Bookmark what the tile shows now: live, or the replayed moment. */
  onBookmark(cameraId: string, atMs: number): void;
}

const WHOLE_WALL: CSSProperties = { gridColumn: '1 / -1', gridRow: '1 / -1' };

function placement([column, row, columnSpan, rowSpan]: TileCell): CSSProperties {
  return { gridColumn: `${column} / span ${columnSpan}`, gridRow: `${row} / span ${rowSpan}` };
}

export function WallTile(props: WallTileProps) {
  const { index, cameraId, camera, stream: wanted, maximised, hidden } = props;
  const [dropping, setDropping] = useState(false);
  /** The stream whose picture is on screen; another camera starts on the stream it should have. */
  const [onScreen, setOnScreen] = useState({ cameraId, stream: wanted });
  const shown = onScreen.cameraId === cameraId ? onScreen.stream : wanted;
  const status = cameraId === null ? undefined : props.statuses.get(statusKey(cameraId, shown));
  const [linkLost, setLinkLost] = useState(false);
  /** Instant replay: the wall-clock time the tile went back to, or null while live. */
  const [replayFrom, setReplayFrom] = useState<number | null>(null);
  const name = camera?.name ?? cameraId ?? '';
  // Before the core reports on a newly shown camera, it is on its way; a "live" camera whose socket to
  // this display dropped is, for the operator looking at a frozen picture, reconnecting.
  const reported = status?.state ?? 'connecting';
  const streamState = linkLost && reported === 'live' ? 'reconnecting' : reported;
  const state = cameraId === null ? 'empty' : streamState;

  const onDragOver = (event: DragEvent) => {
    const effect = dropEffectFor(event.dataTransfer);
    if (!effect) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = effect;
    setDropping(true);
  };
  const onDragLeave = (event: DragEvent) => {
    if (!(event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget))) setDropping(false);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDropping(false);
    const drop = readWallDrop(event.dataTransfer);
    if (drop) props.onDrop(index, drop);
  };
  /** The moment on screen: now when live, the replayed wall-clock time otherwise. */
  const shownAt = (tile: HTMLElement) => {
    const replayed = Number(tile.querySelector('[data-wall-ms]')?.getAttribute('data-wall-ms'));
    return replayFrom !== null && replayed > 0 ? replayed : Date.now();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter') props.onToggleMaximise(index);
    if ((event.key === 'b' || event.key === 'B') && cameraId !== null) props.onBookmark(cameraId, shownAt(event.currentTarget));
  };

  const classes = ['tile', dropping && 'tile-drop-target', maximised && 'tile-maximised', hidden && 'tile-hidden'].filter(Boolean).join(' ');
  return (
    <div
      className={classes}
      style={maximised ? WHOLE_WALL : placement(props.cell)}
      data-testid={`tile-${index}`}
      data-tile-index={index}
      data-camera-id={cameraId ?? ''}
      data-state={state}
      data-maximised={maximised ? 'true' : undefined}
      data-mode={replayFrom === null ? 'live' : 'replay'}
      data-stream={shown}
      role="group"
      aria-label={cameraId === null ? `Tile ${index + 1}, empty` : `Tile ${index + 1}, ${name}, ${state}`}
      tabIndex={hidden ? -1 : 0}
      draggable={cameraId !== null}
      onDragStart={(event) => startTileDrag(event.dataTransfer, index)}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
      onDoubleClick={() => props.onToggleMaximise(index)}
      onKeyDown={onKeyDown}
    >
      {cameraId === null ? (
        <p className="tile-empty" data-testid="tile-empty">
          Drop a camera here
        </p>
      ) : (
        <>
          {replayFrom === null ? (
            (shown === wanted ? [shown] : [shown, wanted]).map((s) => (
              <LiveVideo
                key={`${cameraId}/${s}`}
                cameraId={cameraId}
                stream={s}
                pending={s !== shown}
                onStatus={props.onStatus}
                onLinkLost={s === shown ? setLinkLost : undefined}
                onPlaying={() => s !== shown && setOnScreen({ cameraId, stream: s })}
              />
            ))
          ) : (
            <RecordedVideo key={`${cameraId}@${replayFrom}`} cameraId={cameraId} startAtMs={replayFrom} open />
          )}
          <TileOverlay
            name={name}
            state={streamState}
            status={status}
            replaying={replayFrom !== null}
            onReplay={(seconds) => setReplayFrom(Date.now() - seconds * 1000)}
            onLive={() => setReplayFrom(null)}
            onBookmark={() => props.onBookmark(cameraId, shownAt(document.querySelector(`[data-tile-index="${index}"]`) as HTMLElement))}
            onClear={() => props.onClear(index)}
          />
        </>
      )}
    </div>
  );
}
