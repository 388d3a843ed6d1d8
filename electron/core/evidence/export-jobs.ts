/** Running exports: one job each, with progress and time left for the UI, cancellable. */
import { randomUUID } from 'node:crypto';
import type { ExportJob, ExportRequest } from '../../../shared/evidence.js';
import { WatchroomError } from '../../../shared/errors.js';
import { buildPackage, type ExportContext } from './evidence-export.js';
import { ExportCancelled } from './ffmpeg-job.js';

/** Progress events at most this often per job. */
const EMIT_EVERY_MS = 250;

/** Failures whose message is a tool's own words (ffmpeg's last stderr line, a system error). */
const TECHNICAL = new Set(['export.ffmpeg-failed', 'export.failed']);

/**
 * What the person who asked for the export reads. A tool's own words do not help them; the ledger's
 * export-failed entry keeps those for whoever looks into it.
 */
export function failureForPeople(error: WatchroomError, caseReference: string): { code: string; message: string } {
  if (!TECHNICAL.has(error.code)) return { code: error.code, message: error.message };
  return {
    code: error.code,
    message: `The package could not be built, so nothing was kept. Try again; if it fails again, an administrator finds the cause in the audit ledger (the failed export of case ${caseReference}).`,
  };
}

export class ExportJobs {
  private readonly jobs = new Map<string, { job: ExportJob; abort: AbortController; done: Promise<void> }>();

  constructor(private readonly onChange: (job: ExportJob) => void) {}

  /**
   * Builds in the background; `onEnd` hears how it ended. The caller checks the request first
   * (checkExportRequest), so that its mistakes are thrown to it rather than failing a job. `id`: one
   * the caller recorded before starting (a disclosure's claim to build).
   */
  start(ctx: ExportContext, req: ExportRequest, onEnd?: (job: ExportJob) => void, id: string = randomUUID()): ExportJob {
    const abort = new AbortController();
    const job: ExportJob = { id, state: 'running', fraction: 0, etaMs: null, stage: 'Starting', caseReference: req.caseReference };
    const startedAt = Date.now();
    let lastEmit = 0;
    const update = (changes: Partial<ExportJob>, force = false) => {
      Object.assign(job, changes);
      if (job.state !== 'running') onEnd?.({ ...job });
      if (force || Date.now() - lastEmit >= EMIT_EVERY_MS) {
        lastEmit = Date.now();
        this.onChange({ ...job });
      }
    };
    const done = buildPackage(ctx, req, abort.signal, (fraction, stage) => {
      const elapsed = Date.now() - startedAt;
      update({ fraction, stage, etaMs: fraction > 0.02 ? Math.round((elapsed / fraction) * (1 - fraction)) : null });
    }).then(
      (packagePath) => update({ state: 'done', fraction: 1, etaMs: 0, stage: 'Done', packagePath }, true),
      (error: unknown) => {
        if (error instanceof ExportCancelled) return update({ state: 'cancelled', etaMs: null, stage: 'Cancelled' }, true);
        const e = error instanceof WatchroomError ? error : new WatchroomError('export.failed', String(error));
        update({ state: 'failed', etaMs: null, stage: 'Failed', error: failureForPeople(e, req.caseReference) }, true);
      },
    );
    this.jobs.set(job.id, { job, abort, done });
    this.onChange({ ...job });
    return { ...job };
  }

  get(id: string): ExportJob {
    const entry = this.jobs.get(id);
    if (!entry) throw new WatchroomError('export.not-found', 'There is no export with that id.');
    return { ...entry.job };
  }

  cancel(id: string): ExportJob {
    const entry = this.jobs.get(id);
    if (!entry) throw new WatchroomError('export.not-found', 'There is no export with that id.');
    entry.abort.abort();
    return { ...entry.job };
  }

  /** Cancels what is running and waits until each has cleaned up. */
  async close(): Promise<void> {
    for (const { abort } of this.jobs.values()) abort.abort();
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }
}
