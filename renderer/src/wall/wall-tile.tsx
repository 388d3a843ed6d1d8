/**
 * One tile of the wall: a drop target, a drag source when it shows a camera, and the live picture or
 * an instant replay. A tile may run a tour; either way, a change of camera or stream keeps the picture
 * on screen until the new one plays (use-tile-feed.ts).
 */
import { useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import type { CameraView, Tour } from '../../../shared/api.js';
import type { StreamVariant } from '../../../shared/events.js';
import { LiveVideo } from '../player/live-video';
import { RecordedVideo } from '../playback/recorded-video';
import type { TileState } from './state-badge';
import { useTileActions } from './tile-actions';
import { TileDetails } from './tile-details';
import { useTileDrop } from './tile-drop';
import { TileMenu, useTileMenu } from './tile-menu';
import { TileOverlay } from './tile-overlay';
import { TileReplayBadge } from './tile-replay-badge';
import { TourBadge } from './tour-badge';
import { useReportStreamStatus, useStreamStatus } from './stream-status-store';
import { useReplay, type Replay } from './use-replay';
import { feedKey, useTileFeed, type Feed, type TileFeed } from './use-tile-feed';
import { useTour } from './use-tour';
import { startTileDrag, type WallDrop } from './wall-drag';

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
  /** Opens the lift (or restore) dialog of the camera's privacy masks. */
  onLiftMasks(cameraId: string): void;
}

const WHOLE_WALL: CSSProperties = { gridColumn: '1 / -1', gridRow: '1 / -1' };
/** R goes back this far; pressed again while replaying, as far again from what is on screen. */
const REPLAY_KEY_SECONDS = 10;

function placement([column, row, columnSpan, rowSpan]: TileCell): CSSProperties {
  return { gridColumn: `${column} / span ${columnSpan}`, gridRow: `${row} / span ${rowSpan}` };
}

export function WallTile(props: WallTileProps) {
  const { index, tour, maximised, hidden, selected } = props;
  const element = useRef<HTMLDivElement>(null);
  const [linkLost, setLinkLost] = useState(false);
  /** Pointer or focus on the tile: its tour waits. */
  const [held, setHeld] = useState(false);
  const position = useTour(tour, tour?.cameraIds.length ?? 0, held);
  const cameraId = tour && position ? tour.cameraIds[position.stop]! : props.cameraId;
  const feed = useTileFeed(cameraId === null ? null : { cameraId, stream: props.streamFor(cameraId) });
  const { shown } = feed;
  const replay = useReplay(shown?.cameraId);
  const drop = useTileDrop((d) => props.onDrop(index, d));

  const camera = shown ? props.cameras.get(shown.cameraId) : undefined;
  const status = useStreamStatus(shown?.cameraId, shown?.stream);
  const recording = useStreamStatus(shown?.cameraId, 'main')?.recording;
  const name = camera?.name ?? shown?.cameraId ?? '';
  // Before the core reports on a newly shown camera, it is on its way; a "live" camera whose socket to
  // this display dropped is, for the operator looking at a frozen picture, reconnecting.
  const reported = status?.state ?? 'connecting';
  const state: TileState = replay.from !== null ? 'replay' : linkLost && reported === 'live' ? 'reconnecting' : reported;

  const menu = useTileMenu(element, shown !== null);
  const actions = useTileActions({
    replaying: replay.from !== null,
    maximised,
    onReplay: (seconds) => replay.back(seconds),
    onLive: replay.live,
    onBookmark: () => shown && props.onBookmark(shown.cameraId, replay.shownAt()),
    onMaximise: () => props.onToggleMaximise(index),
    onClear: () => props.onClear(index),
    onTour: () => props.onTour(index),
    cameraId: shown?.cameraId ?? null,
    onLiftMasks: () => shown && props.onLiftMasks(shown.cameraId),
  });
  const run = (id: string) => actions.find((a) => a.id === id && !a.refusal)?.run();
  const onKeyDown = tileKeys(shown !== null, { enter: () => run('maximise'), b: () => run('bookmark'), r: () => replay.back(REPLAY_KEY_SECONDS), l: replay.live, menu: menu.openBelowHeader });

  const classes = ['tile', selected && 'tile-selected', drop.dropping && 'tile-drop-target', maximised && 'tile-maximised', hidden && 'tile-hidden'].filter(Boolean).join(' ');
  return (
    <div
      ref={element}
      className={classes}
      style={maximised ? WHOLE_WALL : placement(props.cell)}
      {...tileData(index, shown, state, { replaying: replay.from !== null, maximised, selected })}
      role="group"
      aria-label={shown === null ? `Tile ${index + 1}, empty` : `Tile ${index + 1}, ${name}, ${state}`}
      tabIndex={hidden ? -1 : 0}
      draggable={shown !== null}
      onDragStart={(event) => startTileDrag(event.dataTransfer, index)}
      {...drop.handlers}
      onDoubleClick={() => props.onToggleMaximise(index)}
      onKeyDown={onKeyDown}
      onContextMenu={menu.onContextMenu}
      onMouseEnter={() => setHeld(true)}
      onMouseLeave={() => setHeld(false)}
      onFocus={() => (setHeld(true), props.onSelect(index))}
      onBlur={(event) => !event.currentTarget.contains(event.relatedTarget) && setHeld(false)}
    >
      {shown === null || feed.wanted === null ? (
        <p className="tile-empty" data-testid="tile-empty">
          Drop a camera here
        </p>
      ) : (
        <>
          <TileVideo feed={feed} replay={replay} onLinkLost={setLinkLost} />
          <TileOverlay
            name={name}
            state={state}
            status={replay.from === null ? status : undefined}
            recording={recording}
            tour={tour && position ? <TourBadge position={position} stops={tour.cameraIds.length} paused={held} testId="tile-tour-badge" compact /> : null}
            replay={replay.from !== null && <TileReplayBadge player={replay.player} from={replay.from} />}
            actions={actions}
            onMenu={menu.open}
          />
          {menu.at && (
            <TileMenu at={menu.at} title={name} info={replay.from === null && <TileDetails status={status} clockDrift={recording?.clockDrift} testIds={false} />} items={actions} onClose={menu.close} />
          )}
        </>
      )}
    </div>
  );
}

/** What a tile says about itself, for tests and for the wall's keys (data-tile-index). */
function tileData(index: number, shown: Feed | null, state: TileState, flags: { replaying: boolean; maximised: boolean; selected: boolean }) {
  return {
    'data-testid': `tile-${index}`,
    'data-tile-index': index,
    'data-camera-id': shown?.cameraId ?? '',
    'data-state': shown === null ? 'empty' : state,
    'data-maximised': flags.maximised ? 'true' : undefined,
    'data-selected': flags.selected ? 'true' : undefined,
    'data-mode': flags.replaying ? 'replay' : 'live',
    // A replay plays the recording, which is of the main stream.
    'data-stream': shown ? (flags.replaying ? 'main' : shown.stream) : undefined,
  };
}

interface TileKeyActions {
  enter(): void;
  b(): void;
  r(): void;
  l(): void;
  menu(): void;
}

/**
 * The selected (focused) tile's own keys: Enter maximise, B bookmark, R replay 10 s back, L live, and
 * the ContextMenu key or Shift+F10 its menu. A key that acts is consumed: one that opens a dialog must
 * not also type itself into the dialog's first field.
 */
function tileKeys(hasCamera: boolean, act: TileKeyActions) {
  return (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || event.ctrlKey || event.altKey || event.metaKey) return;
    const key = event.key.toLowerCase();
    const menu = key === 'contextmenu' || (key === 'f10' && event.shiftKey);
    const action = key === 'enter' ? act.enter : !hasCamera ? undefined : menu ? act.menu : { b: act.b, r: act.r, l: act.l }[key];
    if (!action) return;
    event.preventDefault();
    action();
  };
}

/** The live picture (with the next one loading underneath while it switches), or the replay. */
function TileVideo({ feed, replay, onLinkLost }: { feed: TileFeed; replay: Replay; onLinkLost(lost: boolean): void }) {
  const onStatus = useReportStreamStatus();
  const { shown, wanted, switching } = feed;
  if (!shown || !wanted) return null;
  if (replay.from !== null) {
    return <RecordedVideo key={`${shown.cameraId}@${replay.from}`} cameraId={shown.cameraId} startAtMs={replay.from} open keepBehindNow onPlayer={replay.onPlayer} />;
  }
  return (switching ? [shown, wanted] : [shown]).map((f) => (
    <LiveVideo
      key={feedKey(f)}
      cameraId={f.cameraId}
      stream={f.stream}
      pending={f !== shown}
      onStatus={onStatus}
      onLinkLost={f === shown ? onLinkLost : undefined}
      onPlaying={() => feed.playing(f)}
    />
  ));
}
