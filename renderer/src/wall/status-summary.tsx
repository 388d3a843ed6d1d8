/** How the cameras are doing, always in view: how many are live, on their way, failed, or idle. */
import type { CameraView } from '../../../shared/api.js';
import { stateTone, type StateTone } from './stream-state-tone';
import { streamKey } from '../../../shared/events.js';
import { useStreamStatuses } from './stream-status-store';

const LABELS: ReadonlyArray<readonly [StateTone, string]> = [
  ['ok', 'live'],
  ['busy', 'connecting'],
  ['failed', 'failed'],
  ['idle', 'idle'],
];

export function StatusSummary({ cameras }: { cameras: readonly CameraView[] }) {
  const statuses = useStreamStatuses();
  const counts: Record<StateTone, number> = { ok: 0, busy: 0, failed: 0, idle: 0 };
  for (const camera of cameras) counts[stateTone(statuses.get(streamKey(camera.id))?.state ?? 'stopped')]++;
  return (
    <p className="status-summary" data-testid="status-summary" data-live={counts.ok} data-busy={counts.busy} data-failed={counts.failed} aria-live="polite">
      {LABELS.filter(([tone]) => counts[tone] > 0 || tone === 'ok').map(([tone, label]) => (
        <span key={tone} className={`summary-${tone}`} data-testid={`summary-${tone}`}>
          <span className={`state-dot tone-${tone}`} aria-hidden="true" /> {counts[tone]} {label}
        </span>
      ))}
    </p>
  );
}
