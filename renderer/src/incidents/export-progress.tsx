/** An export under way or ended: a progress bar with time left and Cancel, then the package, or why not. */
import type { ExportJob } from '../../../shared/evidence.js';
import { api } from '../api/client';
import { PackageReady } from './package-ready';

function timeLeft(ms: number | null): string {
  if (ms === null) return 'estimating…';
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `${s} s left` : `${Math.floor(s / 60)} min ${s % 60} s left`;
}

export function ExportProgress({ job, onClose, onVerify }: { job: ExportJob; onClose(): void; onVerify(path: string): void }) {
  const running = job.state === 'running';
  return (
    <div className="export-progress" data-testid="export-progress" data-state={job.state}>
      <progress max={1} value={job.fraction} data-testid="export-progress-bar" />
      <p>
        <strong>{Math.round(job.fraction * 100)} %</strong> · {job.stage}
        {running && <> · {timeLeft(job.etaMs)}</>}
      </p>
      {job.state === 'done' && <PackageReady path={job.packagePath!} />}
      {job.state === 'failed' && <p className="form-error" role="alert" data-testid="export-failed">{job.error?.message}</p>}
      {job.state === 'cancelled' && <p>Cancelled. Nothing was kept.</p>}
      <div className="dialog-actions">
        {running ? (
          <button type="button" data-testid="export-cancel" onClick={() => void api.cancelExport({ id: job.id })}>Cancel export</button>
        ) : (
          <>
            {job.state === 'done' && (
              <button type="button" data-testid="export-verify" onClick={() => onVerify(job.packagePath!)}>Verify package</button>
            )}
            <button type="button" className="primary" onClick={onClose}>Close</button>
          </>
        )}
      </div>
    </div>
  );
}
