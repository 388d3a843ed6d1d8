/**
 * A wall window whose wall was closed (from its own Walls menu, another window's, or a preset with
 * fewer walls) closes; one the browser will not let the page close stops showing video and says
 * so, with a way back to the main wall. The main wall is never closed, so its window does not ask.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { api, closeWallWindow } from '../api/client';
import { useCoreResource } from '../api/use-core-resource';
import { MAIN_WALL, THIS_WALL } from './this-wall';
import './wall-closed.css';
const listWalls = () => api.listWalls();

export function WallWindowGuard({ children }: { children: ReactNode }) {
  return THIS_WALL === MAIN_WALL ? children : <WhileWallOpen>{children}</WhileWallOpen>;
}

function WhileWallOpen({ children }: { children: ReactNode }) {
  const { data: walls } = useCoreResource(listWalls, 'wall.changed');
  const name = useRef(THIS_WALL);
  const shown = walls?.find((w) => w.id === THIS_WALL);
  if (shown) name.current = shown.name;
  const closed = walls !== null && !shown;
  useEffect(() => {
    if (closed) closeWallWindow(THIS_WALL);
  }, [closed]);

  if (!closed) return children;
  // Unmounting the wall stops its players and lets go of its live streams.
  return (
    <div className="wall-closed" data-testid="wall-closed" role="alert">
      <p>{name.current} was closed, so this window shows nothing more. You can close it.</p>
      <button type="button" className="primary" data-testid="wall-closed-main" onClick={() => location.assign(location.pathname)}>
        Show the main wall here
      </button>
    </div>
  );
}
