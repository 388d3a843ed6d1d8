/**
 * Checks a run of another process's ledger, as it streams in, from some of its entries to a
 * checkpoint: the first line is the first of those entries, each next one links to the one before,
 * each of the entries is in it as given, and the run ends at the checkpoint's entry with its hash.
 * A recorder's capture entries are then part of the chain its signed checkpoint fixes, not entries
 * made up for an answer (docs/design/site-exports.md §4 (e)).
 */
import type { AuditEntry } from '../../../shared/api.js';
import { entryHash, parseEntry } from './audit-ledger.js';

/**
 * Null when the run holds; otherwise why not, in words. `entries`: at least one, each at or before `to`.
 * `fixed`: hashes other signed checkpoints fixed (by seq); every entry of the run they name must have it,
 * so a ledger edited and re-anchored by a fresh checkpoint is caught by the older ones in between.
 */
export async function checkChainRun(lines: AsyncIterable<string>, entries: ReadonlyArray<Pick<AuditEntry, 'seq' | 'hash'>>, to: { seq: number; hash: string }, fixed: ReadonlyMap<number, string> = new Map()): Promise<string | null> {
  const wanted = new Map(entries.map((e) => [e.seq, e.hash]));
  const from = [...entries].sort((a, b) => a.seq - b.seq)[0]!;
  let prev: { seq: number; hash: string } | null = null;
  for await (const line of lines) {
    if (!line.trim()) continue;
    const e = parseEntry(line);
    if (!e) return `a line after entry ${prev?.seq ?? '(none)'} is not an entry`;
    if (prev === null) {
      if (e.seq !== from.seq || e.hash !== from.hash) return `the run does not start at entry ${from.seq} as it was answered`;
    } else {
      if (e.seq !== prev.seq + 1) return `entry ${e.seq} follows entry ${prev.seq}: entries are missing or out of order`;
      if (e.prev !== prev.hash) return `entry ${e.seq} does not link to the entry before it`;
    }
    const { hash } = e;
    if (entryHash(e) !== hash) return `entry ${e.seq} was changed after it was written`;
    if (wanted.has(e.seq) && wanted.get(e.seq) !== hash) return `entry ${e.seq} is not the one that was answered`;
    if (fixed.has(e.seq) && fixed.get(e.seq) !== hash) return `entry ${e.seq} is not the one an earlier checkpoint signed`;
    prev = { seq: e.seq, hash };
    if (e.seq === to.seq) return hash === to.hash ? null : `entry ${to.seq} is not the one its checkpoint signed`;
    if (e.seq > to.seq) break;
  }
  return `the run ends before entry ${to.seq}, its checkpoint`;
}
