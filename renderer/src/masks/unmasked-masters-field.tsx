/**
 * In the export dialog: which chosen cameras will have their privacy masks burned in (their masters
 * stay in this workstation's evidence store), and, for administrators, the choice to let the unmasked
 * masters into this one export, with a reason that is recorded. Nothing when no chosen camera is masked.
 */
import { usePermission } from '../session/permission-hint';
import { useAllMasks } from './masks-store';

export function UnmaskedMastersField({ cameras, value, onChange }: { cameras: Array<{ id: string; name: string }>; value: { reason: string } | null; onChange(next: { reason: string } | null): void }) {
  const allowed = usePermission('evidence.export-unmasked').allowed;
  const masks = useAllMasks();
  const masked = cameras.filter((c) => (masks.get(c.id)?.polygons.length ?? 0) > 0);
  if (masked.length === 0) return null;
  return (
    <div className="form-field" data-testid="export-masks">
      <p className="dialog-lead">
        Privacy masks will be burned into a working copy of {masked.map((c) => c.name).join(', ')}; the unmasked masters stay in this workstation’s evidence store.
      </p>
      {allowed && (
        <>
          <label className="checkbox">
            <input type="checkbox" data-testid="export-unmasked" checked={value !== null} onChange={(e) => onChange(e.target.checked ? { reason: '' } : null)} />
            Include the unmasked masters in this export (recorded with your reason)
          </label>
          {value && <textarea aria-label="Why this export carries unmasked footage" data-testid="export-unmasked-reason" rows={2} value={value.reason} onChange={(e) => onChange({ reason: e.target.value })} />}
        </>
      )}
    </div>
  );
}
