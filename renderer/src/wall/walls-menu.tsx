/** The workstation's walls: open a further one on another screen, show or close the others (a closed wall's window closes too). */
import { useState } from 'react';
import { api, closeWallWindow, showWall } from '../api/client';
import { useCoreResource } from '../api/use-core-resource';
import { errorMessage } from '../lib/error-message';
import { DropMenu } from '../ui/drop-menu';
import { MAIN_WALL, THIS_WALL } from './this-wall';

const listWalls = () => api.listWalls();

export function WallsMenu() {
  const { data: walls } = useCoreResource(listWalls, 'wall.changed');
  const [problem, setProblem] = useState<string | null>(null);
  /** Runs an action; the menu closes when it is done and stays open with the reason when it fails. */
  const run = (work: () => Promise<unknown>, close: () => void) => () => {
    setProblem(null);
    work().then(close, (error) => setProblem(errorMessage(error)));
  };
  return (
    <DropMenu testId="walls-menu" title="Walls on other screens" label={walls?.find((w) => w.id === THIS_WALL)?.name ?? 'Walls'}>
      {(close) => (
        <>
          <button type="button" data-testid="wall-open-new" onClick={run(async () => showWall((await api.addWall()).id), close)}>
            Open a wall on another screen
          </button>
          <ul>
            {(walls ?? []).map((w) => (
              <li key={w.id} data-testid="wall-item" data-wall-id={w.id}>
                <span>
                  {w.name}
                  {w.id === THIS_WALL && ' (this window)'}
                </span>
                {w.id !== THIS_WALL && <button type="button" onClick={run(() => showWall(w.id), close)}>Show</button>}
                {w.id !== MAIN_WALL && (
                  <button type="button" data-testid="wall-remove" onClick={run(async () => (await api.removeWall({ wallId: w.id }), closeWallWindow(w.id)), close)}>
                    Close
                  </button>
                )}
              </li>
            ))}
          </ul>
          {problem && <p className="field-error" role="alert">{problem}</p>}
        </>
      )}
    </DropMenu>
  );
}
