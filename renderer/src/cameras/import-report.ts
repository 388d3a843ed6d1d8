/** What an import did, in words for the operator: a summary line and, when it failed, one line per bad row. */
import type { ImportResult } from '../../../shared/api.js';
import { WatchroomError, type FieldError } from '../../../shared/errors.js';
import { errorMessage } from '../lib/error-message';

export interface ImportReport {
  ok: boolean;
  summary: string;
  rows: FieldError[];
}

export function importSucceeded({ added, skipped }: ImportResult): ImportReport {
  const parts = [`Imported ${added.length} camera${added.length === 1 ? '' : 's'}.`];
  if (skipped.length) parts.push(`Already present, skipped: ${skipped.join(', ')}.`);
  return { ok: true, summary: parts.join(' '), rows: [] };
}

export function importFailed(error: unknown): ImportReport {
  return { ok: false, summary: errorMessage(error), rows: error instanceof WatchroomError ? (error.fields ?? []) : [] };
}
