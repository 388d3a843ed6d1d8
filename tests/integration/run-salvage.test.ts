/**
 * What a run leaves when its ffmpeg ends before its first segment closed (a camera switched to
 * transcoding, a crash): the partial segment is salvaged and filed by the run's clock. Real ffmpeg
 * output, real files, a real SQLite index.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { RecordingStore, type Audit } from '../../electron/core/recording/recording-store.js';
import { SegmentIndex } from '../../electron/core/recording/segment-index.js';

const dir = mkdtempSync(join(tmpdir(), 'wr-salvage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('files a partial first segment on whole milliseconds, though the run’s clock is a fraction of one (playlists ask in whole ones)', async () => {
  const index = new SegmentIndex(join(dir, 'index.sqlite'));
  const audit = (() => ({ offset: 0 })) as unknown as Audit;
  const store = new RecordingStore({ root: join(dir, 'recordings'), index, audit, logger: { log: () => undefined } });
  const incoming = store.incomingDir('cam-a');
  mkdirSync(incoming, { recursive: true });
  // 1.5 s of footage, cut off before the segment muxer listed it.
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', '1.5', '-c:v', 'libx264', '-f', 'mpegts', join(incoming, 'rrun1-00000.ts')]);
  const clockMs = Date.UTC(2026, 11, 1, 12) + 123.456;
  await store.writeRunClock('cam-a', 'run1', clockMs);

  expect(await store.completeRun('cam-a', 'run1')).toMatchObject({ repaired: 1, removed: 0 });
  const [row] = index.segments('cam-a', 0, Number.MAX_SAFE_INTEGER);
  expect(row).toMatchObject({ repaired: true, startMs: Math.round(clockMs) });
  expect(Number.isInteger(row!.endMs)).toBe(true);
  expect(row!.endMs - row!.startMs).toBeGreaterThan(1_000);
  index.close();
});
