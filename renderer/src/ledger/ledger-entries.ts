/**
 * The ledger as its view shows it: newest first, narrowed by person or action, and each entry's
 * details in one short line (the full entry stays in the ledger file; this is for reading at a glance).
 */
import type { AuditEntry } from '../../../shared/api.js';
import { ROLE_NAMES } from '../../../shared/roles.js';
import { formatLocalTime, formatUtcTime } from '../lib/format-time.js';

export const SUMMARY_MAX_CHARS = 140;
const VALUE_MAX_CHARS = 40;
/** A `…Ms` number from 2001 on is a moment (startMs), not a duration (beforeMs). */
const EARLIEST_MOMENT_MS = 1e12;
/** A moment written as ISO text in UTC (a package's requested span): shown as UTC, the package's own terms. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export function newestFirst(entries: readonly AuditEntry[]): AuditEntry[] {
  return [...entries].sort((a, b) => b.seq - a.seq);
}

/** Every word of the filter appears in who acted (account name or role) or in the action. */
export function matchesFilter(entry: AuditEntry, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const text = [entry.actor, entry.role ?? '', entry.role ? ROLE_NAMES[entry.role] : '', entry.action].join(' ').toLowerCase();
  return words.every((word) => text.includes(word));
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value in a few characters: moments in local time (ISO ones in UTC), short lists spelled out, longer ones and objects counted. */
function brief(value: unknown, key = ''): string {
  if (key.endsWith('Ms') && typeof value === 'number' && value >= EARLIEST_MOMENT_MS) return formatLocalTime(value);
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' && ISO_UTC.test(value)) return formatUtcTime(Date.parse(value));
  if (typeof value === 'string') return value.length > VALUE_MAX_CHARS ? `${value.slice(0, VALUE_MAX_CHARS - 1)}…` : value;
  if (Array.isArray(value) && value.length === 0) return 'none';
  if (Array.isArray(value)) return value.length <= 3 && value.every((v) => typeof v !== 'object') ? value.map((v) => brief(v)).join(', ') : `${value.length} items`;
  if (isRecord(value)) return `${Object.keys(value).length} fields`;
  return String(value);
}

/** Only what differs between `before` and `after`: "role operator → admin". */
function changes(before: unknown, after: unknown): string[] {
  if (!isRecord(before) || !isRecord(after)) return [`${brief(before)} → ${brief(after)}`];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key])).map((key) => `${key} ${brief(before[key], key)} → ${brief(after[key], key)}`);
}

export function summarizeDetails(details: AuditEntry['details']): string {
  if (!details) return '';
  const { before, after, ...rest } = details;
  const paired = before !== undefined && after !== undefined;
  const parts = [
    ...(paired ? changes(before, after) : []),
    ...Object.entries(paired ? rest : details).map(([key, value]) => `${key}: ${brief(value, key)}`),
  ];
  const line = parts.join(' · ');
  return line.length > SUMMARY_MAX_CHARS ? `${line.slice(0, SUMMARY_MAX_CHARS - 1)}…` : line;
}
