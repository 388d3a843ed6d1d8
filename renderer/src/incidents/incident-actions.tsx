/** What can be done with one bookmarked incident; what the person's role may not do is greyed out, with who may as its title. */
import type { Bookmark } from '../../../shared/incidents.js';
import type { Permission } from '../../../shared/roles.js';
import { usePermission } from '../session/permission-hint';

export type IncidentConfirm = 'lock' | 'unlock' | 'delete';
/** The permissions these actions need, for the panel's hints. */
export const INCIDENT_PERMISSIONS: readonly Permission[] = ['evidence.export', 'evidence.lock', 'bookmarks.write'];

interface IncidentActionsProps {
  bookmark: Bookmark;
  onPlay(): void;
  onEdit(): void;
  onExport(): void;
  /** Locking, unlocking and deleting ask first. */
  onConfirm(action: IncidentConfirm): void;
}

export function IncidentActions({ bookmark: b, onPlay, onEdit, onExport, onConfirm }: IncidentActionsProps) {
  const write = usePermission('bookmarks.write');
  const exporting = usePermission('evidence.export');
  const locking = usePermission('evidence.lock');
  return (
    <div className="incident-actions">
      <button type="button" data-testid="incident-play" onClick={onPlay}>Play</button>
      <button type="button" data-testid="incident-edit" disabled={!write.allowed} title={write.refusal} onClick={onEdit}>Edit…</button>
      <button type="button" data-testid="incident-export" disabled={!exporting.allowed} title={exporting.refusal} onClick={onExport}>Export…</button>
      <button type="button" data-testid="incident-lock" disabled={!locking.allowed} title={locking.refusal} onClick={() => onConfirm(b.locked ? 'unlock' : 'lock')}>
        {b.locked ? 'Unlock' : 'Lock'}
      </button>
      <button
        type="button"
        data-testid="incident-delete"
        disabled={b.locked || !write.allowed}
        title={write.refusal ?? (b.locked ? 'Lift the lock first' : 'Delete this bookmark')}
        onClick={() => onConfirm('delete')}
      >
        Delete
      </button>
    </div>
  );
}
