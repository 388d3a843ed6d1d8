/**
 * One tile of the wall: a drop target, a drag source when it shows a camera, and the live picture.
 * A tile may run a tour; either way, a change of camera or stream keeps the picture on screen until
 * the new one plays (or, if it cannot, for a few seconds at most).
 */
import { useEffect, useState, type CSSProperties, type DragEvent, type KeyboardEvent } from 'react';
import type { CameraView, Tour } from '../../../shared/api.js';
import { streamKey, type StreamVariant } from '../../../shared/events.js';
import { LiveVideo } from '../player/live-video';
import { RecordedVideo } from '../playback/recorded-video';
import { TileOverlay } from './tile-overlay';
import { TourBadge } from './tour-badge';
import { useReportStreamStatus, useStreamStatus } from './stream-status-store';
import { useTour } from './use-tour';
import { dropEffectFor, readWallDrop, startTileDrag, type WallDrop } from './wall-drag';

export type TileCell = readonly [column: number, row: number, columnSpan: number, rowSpan: number];

interface WallTileProps {
  index: number;
  cell: TileCell;
  /** The camera put on this tile (a tour's cameras take turns instead). */
  cameraId: string | null;
  tour: Tour | null;
  cameras: ReadonlyMap<string, CameraView>;
  /** Which of a camera's streams this tile should show (tile-stream.ts). */
  streamFor(cameraId: string): StreamVariant;
  maximised: boolean;
  selected: boolean;
  onSelect(index: number): void;
  /** Another tile is maximised: this one keeps playing, out of sight, so restoring is instant. */
  hidden: boolean;
  onDrop(index: number, drop: WallDrop): void;
  onClear(index: number): void;
  onToggleMaximise(index: number): void;
  onTour(index: number): void;
  /** Bookmark what the tile shows now: live, or the replayed moment. */
  onBookmark(cameraId: string, atMs: number): void;
}

const WHOLE_WALL: CSSProperties = { gridColumn: '1 / -1', gridRow: '1 / -1' };
/** R goes back this far; pressed again while replaying, as far again. */
const REPLAY_KEY_SECONDS = 10;
/** How long a picture is kept while the next one cannot play. */
const HOLD_PICTURE_MS = 3_000;

function placement([column, row, columnSpan, rowSpan]: TileCell): CSSProperties {
  return { gridColumn: `${column} / span ${columnSpan}`, gridRow: `${row} / span ${rowSpan}` };
}

interface Feed {
  cameraId: string;
  stream: StreamVariant;
}
const feedKey = (f: Feed) => streamKey(f.cameraId, f.stream);

export function WallTile(props: WallTileProps) {
  const { index, tour, maximised, hidden, selected } = props;
  const [dropping, setDropping] = useState(false);
  const [linkLost, setLinkLost] = useState(false);
  /** Pointer or focus on the tile: its tour waits. */
  const [held, setHeld] = useState(false);
  /** Instant replay: the wall-clock time the tile went back to, or null while live. */
  const [replayFrom, setReplayFrom] = useState<number | null>(null);
  const position = useTour(tour, tour?.cameraIds.length ?? 0, held);
  const cameraId = tour && position ? tour.cameraIds[position.stop]! : props.cameraId;
  const wanted: Feed | null = cameraId === null ? null : { cameraId, stream: props.streamFor(cameraId) };
  /** The feed whose picture is on screen; an empty tile, or one becoming empty, needs no hold. */
  const [onScreen, setOnScreen] = useState<Feed | null>(wanted);
  if ((wanted === null) !== (onScreen === null)) setOnScreen(wanted);
  const shown = wanted === null ? null : (onScreen ?? wanted);
  const switching = shown !== null && wanted !== null && feedKey(shown) !== feedKey(wanted);
  const wantedKey = wanted ? feedKey(wanted) : '';
  useEffect(() => {
    if (!switching) return;
    const timer = setTimeout(() => setOnScreen(wanted), HOLD_PICTURE_MS);
    return () => clearTimeout(timer);
    // Keyed by the wanted feed: a new one restarts the wait.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [switching, wantedKey]);

  const camera = shown ? props.cameras.get(shown.cameraId) : undefined;
  const status = useStreamStatus(shown?.cameraId, shown?.stream);
  const recording = useStreamStatus(shown?.cameraId, 'main')?.recording;
  const onStatus = useReportStreamStatus();
  const name = camera?.name ?? shown?.cameraId ?? '';
  // Before the core reports on a newly shown camera, it is on its way; a "live" camera whose socket to
  // this display dropped is, for the operator looking at a frozen picture, reconnecting.
  const reported = status?.state ?? 'connecting';
  const streamState = linkLost && reported === 'live' ? 'reconnecting' : reported;
  const state = shown === null ? 'empty' : streamState;

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
  /** The selected (focused) tile's own keys: Enter maximise, B bookmark, R replay 10 s back, L live. */
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || event.ctrlKey || event.altKey || event.metaKey) return;
    const key = event.key.toLowerCase();
    if (key === 'enter') props.onToggleMaximise(index);
    if (shown === null) return;
    if (key === 'b') props.onBookmark(shown.cameraId, shownAt(event.currentTarget));
    if (key === 'r') setReplayFrom((from) => (from ?? Date.now()) - REPLAY_KEY_SECONDS * 1000);
    if (key === 'l') setReplayFrom(null);
  };

  const classes = ['tile', selected && 'tile-selected', dropping && 'tile-drop-target', maximised && 'tile-maximised', hidden && 'tile-hidden'].filter(Boolean).join(' ');
  return (
    <div
      className={classes}
      style={maximised ? WHOLE_WALL : placement(props.cell)}
      data-testid={`tile-${index}`}
      data-tile-index={index}
      data-camera-id={shown?.cameraId ?? ''}
      data-state={state}
      data-maximised={maximised ? 'true' : undefined}
      data-selected={selected ? 'true' : undefined}
      data-mode={replayFrom === null ? 'live' : 'replay'}
      data-stream={shown?.stream}
      role="group"
      aria-label={shown === null ? `Tile ${index + 1}, empty` : `Tile ${index + 1}, ${name}, ${state}`}
      tabIndex={hidden ? -1 : 0}
      draggable={shown !== null}
      onDragStart={(event) => startTileDrag(event.dataTransfer, index)}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
      onDoubleClick={() => props.onToggleMaximise(index)}
      onKeyDown={onKeyDown}
      onMouseEnter={() => setHeld(true)}
      onMouseLeave={() => setHeld(false)}
      onFocus={() => (setHeld(true), props.onSelect(index))}
      onBlur={(event) => !event.currentTarget.contains(event.relatedTarget) && setHeld(false)}
    >
      {shown === null || wanted === null ? (
        <p className="tile-empty" data-testid="tile-empty">
          Drop a camera here
        </p>
      ) : (
        <>
          {replayFrom === null ? (
            (switching ? [shown, wanted] : [shown]).map((feed) => (
              <LiveVideo
                key={feedKey(feed)}
                cameraId={feed.cameraId}
                stream={feed.stream}
                pending={feed !== shown}
                onStatus={onStatus}
                onLinkLost={feed === shown ? setLinkLost : undefined}
                onPlaying={() => feed !== shown && setOnScreen(feed)}
              />
            ))
          ) : (
            <RecordedVideo key={`${shown.cameraId}@${replayFrom}`} cameraId={shown.cameraId} startAtMs={replayFrom} open />
          )}
          <TileOverlay
            name={name}
            state={streamState}
            status={status}
            clockDrift={recording?.clockDrift}
            replaying={replayFrom !== null}
            tour={tour && position ? <TourBadge position={position} stops={tour.cameraIds.length} paused={held} testId="tile-tour-badge" /> : null}
            onReplay={(seconds) => setReplayFrom(Date.now() - seconds * 1000)}
            onLive={() => setReplayFrom(null)}
            onBookmark={() => props.onBookmark(shown.cameraId, shownAt(document.querySelector(`[data-tile-index="${index}"]`) as HTMLElement))}
            onTour={() => props.onTour(index)}
            onClear={() => props.onClear(index)}
          />
        </>
      )}
    </div>
  );
}
