/**
 * What an import did, in words for the operator: a summary line, one line per problem (each once, as
 * the core numbered it: a CSV file's line, a JSON list's entry), and what became of the import.
 */
import type { ImportResult } from '../../../shared/api.js';
import { WatchroomError } from '../../../shared/errors.js';
import { plainFieldMessage } from '../../../shared/field-sentences.js';
import { errorMessage } from '../lib/error-message.js';

export interface ImportReport {
  ok: boolean;
  summary: string;
  /** One sentence per problem; none when it worked. */
  problems: string[];
  /** After the problems: what was imported (nothing, as the core takes all rows or none). */
  outcome: string | null;
}

export function importSucceeded({ added, skipped }: ImportResult): ImportReport {
  const parts = [`Imported ${added.length} camera${added.length === 1 ? '' : 's'}.`];
  if (skipped.length) parts.push(`Already present, skipped: ${skipped.join(', ')}.`);
  return { ok: true, summary: parts.join(' '), problems: [], outcome: null };
}

export function importFailed(fileName: string, error: unknown): ImportReport {
  const problems = error instanceof WatchroomError ? [...new Set((error.fields ?? []).map((f) => plainFieldMessage(f.field, f.message)))] : [];
  if (problems.length === 0) return { ok: false, summary: `${fileName}: ${errorMessage(error)}`, problems, outcome: /nothing was imported/i.test(errorMessage(error)) ? null : 'Nothing was imported.' };
  const lines = fileName.toLowerCase().endsWith('.csv') ? 'lines' : 'entries';
  return {
    ok: false,
    summary: `${fileName} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:`,
    problems,
    outcome: `Nothing was imported: fix the ${lines} above and import again.`,
  };
}
