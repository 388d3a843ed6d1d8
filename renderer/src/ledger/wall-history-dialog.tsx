/**
 * What the walls showed at a chosen moment, and who made them show it: each wall's layout drawn with
 * the camera (or tour) on every tile, read back from the ledger by the core. Stepping from change to
 * change walks through a shift.
 */
import { useEffect, useState } from 'react';
import type { CameraView, WallHistory, WallHistoryChange } from '../../../shared/api.js';
import { ROLE_NAMES } from '../../../shared/roles.js';
import { api } from '../api/client';
import { parseDateTime } from '../lib/date-time-text';
import { errorMessage } from '../lib/error-message';
import { formatLocalTime } from '../lib/format-time';
import { DateTimeInput } from '../ui/date-time-input';
import { ModalDialog } from '../ui/modal-dialog';
import { HistoricWall } from './historic-wall';
import './wall-history.css';

/** Who made a change, in words. */
export function changedBy(change: WallHistoryChange): string {
  const who = change.actor === 'system' ? 'Watchroom itself (a camera was added or removed)' : `${change.actor}${change.role ? ` (${ROLE_NAMES[change.role]})` : ''}`;
  return `${who}, ${formatLocalTime(Date.parse(change.at))}`;
}

export function WallHistoryDialog({ onClose }: { onClose(): void }) {
  const [text, setText] = useState(() => formatLocalTime(Date.now()));
  const [atMs, setAtMs] = useState(() => Date.now());
  const [history, setHistory] = useState<WallHistory | null>(null);
  const [cameras, setCameras] = useState<CameraView[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    // Archived cameras too: a past wall may show a camera that has since been removed.
    void Promise.all([api.listCameras(), api.listCameras({ archived: true })]).then(([live, archived]) => setCameras([...live, ...archived]), () => undefined);
  }, []);
  useEffect(() => {
    api.getWallHistory({ atMs }).then((h) => (setHistory(h), setProblem(null)), (error: unknown) => setProblem(errorMessage(error)));
  }, [atMs]);

  const goTo = (ms: number) => (setAtMs(ms), setText(formatLocalTime(ms)));
  const show = () => {
    const parsed = parseDateTime(text);
    if (parsed.ok) goTo(parsed.ms);
    else setProblem(parsed.error);
  };
  const earlier = history?.before.at(-2); // before.at(-1) made the walls as shown
  const later = history?.after[0];

  return (
    <ModalDialog title="Wall history" testId="wall-history-dialog" className="wall-history-dialog" onCancel={onClose}>
      <form className="wall-history-tools" onSubmit={(e) => (e.preventDefault(), show())}>
        <label htmlFor="wall-history-at">The walls at</label>
        <DateTimeInput id="wall-history-at" data-testid="wall-history-at" value={text} onChange={setText} />
        <button type="submit" data-testid="wall-history-show">
          Show
        </button>
        <button type="button" data-testid="wall-history-earlier" disabled={!history?.before.length} onClick={() => goTo(Date.parse((earlier ?? history!.before[0]!).at) - (earlier ? 0 : 1))}>
          ◀ Earlier change
        </button>
        <button type="button" data-testid="wall-history-later" disabled={!later} onClick={() => later && goTo(Date.parse(later.at))}>
          Later change ▶
        </button>
      </form>
      {problem && (
        <p className="form-error" role="alert" data-testid="wall-history-error">
          {problem}
        </p>
      )}
      <div className="wall-history-walls">
        {history?.walls.length === 0 && <p className="menu-note">No wall had been set up by then, as far as the ledger goes back.</p>}
        {history?.walls.map(({ wall, since }) => (
          <section key={wall.id} className="wall-history-wall" data-testid={`wall-history-${wall.id}`}>
            <h3>
              {wall.name} <span className="menu-note">— as set by {changedBy(since)}</span>
            </h3>
            <HistoricWall wall={wall} cameras={cameras} />
          </section>
        ))}
      </div>
      <div className="dialog-actions">
        <button type="button" data-testid="wall-history-close" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
