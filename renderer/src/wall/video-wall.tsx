/** The wall: the layout's CSS grid of tiles, with one tile maximised over the others on demand. */
import { useEffect, useRef, useState } from 'react';
import type { CameraView, WallState } from '../../../shared/api.js';
import { LAYOUTS, type LayoutId } from '../../../shared/layouts.js';
import { visibleTiles, swapTiles, withTile } from './wall-edits';
import type { WallDrop } from './wall-drag';
import { WallTile } from './wall-tile';
import type { WallTour } from './use-wall-tour';
import { useWallKeys } from './use-wall-keys';
import { tileStream } from './tile-stream';
import './video-wall.css';

interface VideoWallProps {
  wall: WallState;
  cameras: ReadonlyMap<string, CameraView>;
  /** The selected tile (framed; the one keys and a camera's double-click act on). */
  selected: number | null;
  onSelect(index: number): void;
  /** The whole-wall tour's page on screen (use-wall-tour.ts). */
  wallTour: WallTour;
  /** The pointer or focus came onto the wall (true) or left it: a whole-wall tour waits meanwhile. */
  onHold(held: boolean): void;
  onChange(next: WallState): void;
  onBookmark(cameraId: string, atMs: number): void;
  /** Set up the tour of a tile. */
  onTour(index: number): void;
  onLiftMasks(cameraId: string): void;
}

export function VideoWall({ wall, cameras, selected, onSelect, wallTour, onHold, onChange, onBookmark, onTour, onLiftMasks }: VideoWallProps) {
  const layout = LAYOUTS[wall.layout];
  const tiles = visibleTiles(wall);
  // Remembered with its layout: switching layouts shows the whole new wall.
  const [maximisedTile, setMaximisedTile] = useState<{ layout: LayoutId; index: number } | null>(null);
  const maximised = maximisedTile?.layout === wall.layout && maximisedTile.index < tiles.length ? maximisedTile.index : null;
  const element = useRef<HTMLDivElement>(null);
  useWallKeys(element, layout);
  /** A whole-wall tour sets the tiles aside and shows its page. */
  const shownTiles = wall.tour ? tiles.map((_, i) => wallTour.pages[wallTour.position?.stop ?? 0]?.[i] ?? null) : tiles;

  useEffect(() => {
    if (maximised === null) return;
    const onKeyDown = (event: KeyboardEvent) => {
      // Escape inside a dialog belongs to the dialog.
      if (event.key !== 'Escape' || (event.target instanceof Element && event.target.closest('dialog'))) return;
      setMaximisedTile(null);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [maximised]);

  const onDrop = (index: number, drop: WallDrop) => {
    if (drop.kind === 'camera') onChange(withTile(wall, index, drop.cameraId));
    else if (drop.index !== index) onChange(swapTiles(wall, drop.index, index));
  };

  return (
    <div
      ref={element}
      className="video-wall"
      data-testid="wall"
      data-layout={wall.layout}
      // A whole-wall tour waits while the pointer or the keyboard focus is on the wall.
      onMouseEnter={() => onHold(true)}
      onMouseLeave={() => onHold(false)}
      onFocus={() => onHold(true)}
      onBlur={(event) => !event.currentTarget.contains(event.relatedTarget) && onHold(false)}
      style={{ gridTemplateColumns: `repeat(${layout.columns}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${layout.rows}, minmax(0, 1fr))` }}
    >
      {layout.cells.map((cell, index) => {
        const cameraId = shownTiles[index] ?? null;
        return (
          <WallTile
            key={index}
            index={index}
            cell={cell}
            cameraId={cameraId}
            tour={wall.tour ? null : (wall.tours?.[index] ?? null)}
            cameras={cameras}
            streamFor={(id) => tileStream(layout, index, maximised === index, Boolean(cameras.get(id)?.subUrl))}
            maximised={maximised === index}
            selected={selected === index}
            onSelect={onSelect}
            hidden={maximised !== null && maximised !== index}
            onDrop={onDrop}
            onClear={(i) => onChange(withTile(wall, i, null))}
            onToggleMaximise={(i) => setMaximisedTile(maximised === i ? null : { layout: wall.layout, index: i })}
            onBookmark={onBookmark}
            onTour={onTour}
            onLiftMasks={onLiftMasks}
          />
        );
      })}
    </div>
  );
}
