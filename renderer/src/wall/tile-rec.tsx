/** Whether the camera records: a red REC dot, a warning with the reason, or a hollow dot when it does not. */
import type { RecordingStatus } from '../../../shared/events.js';

const TITLES = { recording: 'Recording', off: 'Not recording', error: 'Recording failed' } as const;

export function TileRec({ recording }: { recording: RecordingStatus | undefined }) {
  const state = recording?.state ?? 'off';
  const title = state === 'error' && recording?.reason ? `${TITLES.error}: ${recording.reason}` : TITLES[state];
  return (
    <span className={`tile-rec rec-${state}`} data-testid="tile-rec" data-rec-state={state} role="img" aria-label={title} title={title}>
      {state === 'error' ? '⚠' : <span className="rec-dot" aria-hidden="true" />}
      {state === 'recording' && <span className="rec-word" aria-hidden="true">REC</span>}
    </span>
  );
}
