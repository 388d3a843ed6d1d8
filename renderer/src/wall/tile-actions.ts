/**
 * Everything a tile with a camera can do, in one list: the header's buttons (where it has room) and
 * the tile's menu are both drawn from it, so they cannot disagree.
 */
import { useCameraMasks } from '../masks/masks-store';
import { usePermission } from '../session/permission-hint';
import type { TileMenuItem } from './tile-menu';

export interface TileAction extends TileMenuItem {
  /** Shown as a header button, with this label, when the tile is wide enough. */
  button?: string;
}

interface TileActionsInput {
  replaying: boolean;
  maximised: boolean;
  onReplay(seconds: number): void;
  onLive(): void;
  onBookmark(): void;
  onMaximise(): void;
  onClear(): void;
  onTour(): void;
  // Privacy masks (issue 12, point 1)
  cameraId: string | null;
  onLiftMasks(): void;
}

export function useTileActions(tile: TileActionsInput): TileAction[] {
  const bookmarks = usePermission('bookmarks.write');
  const recordings = usePermission('recordings.view');
  const arrange = usePermission('wall.arrange');
  const lift = usePermission('masks.lift');
  const masks = useCameraMasks(tile.cameraId ?? '');
  const replay = (seconds: number): TileAction => ({
    id: `replay-${seconds}`,
    label: `Replay −${seconds} s`,
    ...(seconds === 10 ? { shortcut: 'R' } : {}),
    button: `−${seconds}s`,
    refusal: recordings.refusal,
    run: () => tile.onReplay(seconds),
  });
  return [
    { id: 'bookmark', label: 'Bookmark this moment…', shortcut: 'B', button: '★', refusal: bookmarks.refusal, run: tile.onBookmark },
    replay(10),
    replay(30),
    { id: 'live', label: 'Back to live', shortcut: 'L', button: 'LIVE', refusal: tile.replaying ? undefined : 'The tile is live.', run: tile.onLive },
    { id: 'maximise', label: tile.maximised ? 'Restore the wall' : 'Maximise', shortcut: tile.maximised ? 'Esc' : 'Enter', run: tile.onMaximise },
    { id: 'tour', label: 'Tour…', button: '⟳', refusal: arrange.refusal, run: tile.onTour },
    { id: 'clear', label: 'Remove from tile', button: '×', refusal: arrange.refusal, run: tile.onClear },
    ...(masks && masks.polygons.length > 0 ? [{ id: 'masks', label: masks.lift ? 'Restore privacy masks…' : 'Lift privacy masks…', refusal: lift.refusal, run: tile.onLiftMasks }] : []),
  ];
}
