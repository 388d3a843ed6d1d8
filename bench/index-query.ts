/**
 * Recording index query time: one camera's recorded ranges for one day, with 30 days × 16 cameras of
 * 4-second segments in SQLite (about 10 million rows). Prints JSON.
 *
 *   npm run bench:index-query [-- --days 30 --cameras 16]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { SegmentIndex } from '../electron/core/recording/segment-index.js';

const { values } = parseArgs({ options: { days: { type: 'string', default: '30' }, cameras: { type: 'string', default: '16' } } });
const days = Number(values.days);
const cameras = Number(values.cameras);
const SEGMENT_MS = 4_000;
const DAY = 86_400_000;

const dir = mkdtempSync(join(tmpdir(), 'watchroom-index-bench-'));
const file = join(dir, 'recordings.sqlite');
new SegmentIndex(file).close(); // the real schema and indexes

const start = Date.UTC(2026, 9, 1);
const perCamera = (days * DAY) / SEGMENT_MS;
const t0 = performance.now();
const db = new Database(file);
// Raw inserts for speed, with gap_before as SegmentIndex.insert would set it (tested in tests/unit).
const insert = db.prepare('INSERT INTO segments (camera_id, run_id, path, start_ms, end_ms, bytes, sha256, gap_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
const fill = db.transaction((camera: string) => {
  for (let i = 0; i < perCamera; i++) {
    // A gap of one segment every 900 (an hour): ranges, not one block.
    if (i % 900 === 899) continue;
    const s = start + i * SEGMENT_MS;
    insert.run(camera, 'bench', `${camera}/${i}.ts`, s, s + SEGMENT_MS, 2_000_000, 'f'.repeat(64), i === 0 || i % 900 === 0 ? 1 : 0);
  }
});
for (let c = 0; c < cameras; c++) fill(`cam-${c.toString().padStart(4, '0')}`);
db.close();
const fillSeconds = (performance.now() - t0) / 1000;

const index = new SegmentIndex(file);
const times: number[] = [];
let rangesFound = 0;
for (let i = 0; i < 50; i++) {
  const camera = `cam-${(i % cameras).toString().padStart(4, '0')}`;
  const dayStart = start + (i % days) * DAY;
  const q0 = performance.now();
  rangesFound = index.ranges(camera, dayStart, dayStart + DAY).length;
  times.push(performance.now() - q0);
}
index.close();
rmSync(dir, { recursive: true, force: true });
times.sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      bench: 'index-query',
      rows: Math.round(cameras * perCamera * (899 / 900)),
      cameras,
      days,
      fillSeconds: Math.round(fillSeconds),
      query: 'one camera, one day: merged recorded ranges',
      rangesPerDay: rangesFound,
      ms: { median: +times[25]!.toFixed(2), p95: +times[47]!.toFixed(2), max: +times[49]!.toFixed(2) },
    },
    null,
    2,
  ),
);
