/**
 * A site's evidence locks reach the recorders' retention (recorders/lock-mirror.ts), on a real
 * PostgreSQL directory (a throw-away cluster) and a recorder's real segment index: a bookmark
 * locked on a workstation keeps its footage out of the recorder's retention, a lift lets it go,
 * the read before a retention pass sees a lock whose notice has not come yet, and a directory out
 * of reach leaves the locks as they were.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bookmark } from '../../shared/incidents.js';
import type { Directory } from '../../electron/core/directory/directory.js';
import { openPostgresDirectory } from '../../electron/core/directory/postgres-directory.js';
import type { Logger } from '../../electron/core/logger.js';
import { bookmarkLockMirror } from '../../electron/core/recorders/lock-mirror.js';
import { SegmentIndex } from '../../electron/core/recording/segment-index.js';
import { startTestPostgres, type TestPostgres } from '../fixtures/postgres.js';
import { waitFor } from '../fixtures/wait-for.js';

const warnings: string[] = [];
const logger: Logger = { log: (level, msg) => void (level === 'warn' && warnings.push(msg)) };
const T0 = Date.UTC(2026, 11, 2, 9);
const SEGMENT_MS = 10_000;

let cluster: TestPostgres;
let url: string;
let directory: Directory;
let index: SegmentIndex;
let mirror: ReturnType<typeof bookmarkLockMirror>;
let folder: string;

beforeAll(async () => {
  cluster = await startTestPostgres();
  url = await cluster.createDatabase();
  directory = openPostgresDirectory(url, logger);
  await directory.ready;
  folder = mkdtempSync(join(tmpdir(), 'watchroom-locks-'));
  index = new SegmentIndex(join(folder, 'recordings.sqlite'));
  // Six back-to-back segments of the gate: T0 … T0 + 60 s.
  for (let i = 0; i < 6; i++) index.insert({ cameraId: 'gate', runId: 'run', path: `gate/${i}.ts`, startMs: T0 + i * SEGMENT_MS, endMs: T0 + (i + 1) * SEGMENT_MS, bytes: 1, sha256: 'x', repaired: false, ledgerOffset: null });
  mirror = bookmarkLockMirror({ bookmarks: directory.bookmarks, onChange: directory.onChange, index, logger });
});

afterAll(async () => {
  mirror?.dispose();
  index?.close();
  await directory?.close();
  await cluster?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** Which of the gate's segments retention may delete, by their number. */
const deletable = () => index.deletable(100, 'gate').map((s) => (s.startMs - T0) / SEGMENT_MS);

const bookmark = (atS: number, locked: boolean): Bookmark => ({
  id: randomUUID(),
  cameraIds: ['gate'],
  atMs: T0 + atS * 1000,
  beforeMs: 2_000,
  afterMs: 2_000,
  title: 'Van at the gate',
  notes: '',
  tags: [],
  caseReference: 'CASE-7',
  createdBy: 'ivy',
  createdAt: T0,
  updatedAt: T0,
  locked,
});

describe('a recorder’s copy of the site’s evidence locks', () => {
  it('keeps out of retention the footage of a bookmark locked on a workstation, and lets it go when the lock is lifted', async () => {
    expect(deletable()).toEqual([0, 1, 2, 3, 4, 5]);
    const b = bookmark(25, true); // 23 s … 27 s: segment 2
    await directory.bookmarks.insert(b);
    await waitFor('segment 2 to be kept', () => !deletable().includes(2));
    expect(deletable()).toEqual([0, 1, 3, 4, 5]);
    // Moved across a segment boundary (a lift, a move, a lock again): segments 3 and 4 are kept instead.
    await directory.bookmarks.update(b.id, { locked: false }, T0);
    await waitFor('the lock to be lifted', () => deletable().length === 6);
    await directory.bookmarks.update(b.id, { atMs: T0 + 40_000, locked: true }, T0);
    await waitFor('segments 3 and 4 to be kept', () => deletable().join() === '0,1,2,5');
    await directory.bookmarks.update(b.id, { locked: false }, T0);
    await waitFor('the lock to be lifted again', () => deletable().length === 6);
  });

  it('sees, in the read before a retention pass, a lock whose notice has not arrived', async () => {
    // Written straight into the table, with no notice: only a read finds it.
    await cluster.query(
      url,
      `INSERT INTO bookmarks (id, camera_ids, at_ms, before_ms, after_ms, title, notes, tags, case_reference, created_by, created_at, updated_at, locked)
       VALUES ($1, '["gate"]', $2, 1000, 1000, 'Quiet lock', '', '[]', '', 'ivy', $3, $3, true)`,
      [randomUUID(), T0 + 5_000, T0],
    );
    expect(deletable()).toContain(0);
    await mirror.refresh();
    expect(deletable()).not.toContain(0);
  });

  it('keeps the locks it has when the directory cannot be reached, and says so', async () => {
    const kept = deletable();
    await cluster.stop();
    await mirror.refresh();
    expect(deletable()).toEqual(kept);
    expect(warnings).toContain('site: cannot read the evidence locks; the last ones read still hold');
  });
});
