/** A recorded segment's file, found by its index row: the one lookup the media routes and a recorder's footage door share. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SegmentIndex, SegmentRow } from './segment-index.js';

/** The row and its file, or null when there is no such row, it is marked missing, or its file is gone. */
export function segmentFile(index: Pick<SegmentIndex, 'byId'>, root: string, id: number): { row: SegmentRow; file: string } | null {
  const row = index.byId(id);
  if (!row || row.missing) return null;
  const file = join(root, row.path);
  return existsSync(file) ? { row, file } : null;
}
