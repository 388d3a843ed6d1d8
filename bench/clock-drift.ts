/**
 * How recorded time tracks real time: a camera with a steady clock and one whose timestamps run slow
 * (`--rate` stream seconds per real second), recorded by a real core. For each: the clock offsets
 * measured as segments closed, how often the run was re-anchored, and how long after its recorded end
 * each segment appeared in the index. Prints JSON; never fails on the figures.
 *
 *   npm run bench:clock-drift [-- --segments 10 --rate 0.8]
 */
import { parseArgs } from 'node:util';
import { startTestCamera, stopAllTestCameras } from '../tests/fixtures/camera-server.js';
import { startTestHost } from '../tests/fixtures/test-host.js';
import { waitFor } from '../tests/fixtures/wait-for.js';
import { MAX_CLOCK_OFFSET_MS } from '../electron/core/recording/segment-recorder.js';

const { values } = parseArgs({ options: { segments: { type: 'string', default: '10' }, rate: { type: 'string', default: '0.8' } } });
const segments = Number(values.segments);
const rate = Number(values.rate);

const [steady, slow] = await Promise.all([startTestCamera({ label: 'Steady' }), startTestCamera({ label: 'Slow', clockRate: rate })]);
const h = await startTestHost();
try {
  await h.core.ready;
  const ids = { steady: (await h.api.addCamera({ name: 'Steady', url: steady.url })).id, slow: (await h.api.addCamera({ name: 'Slow', url: slow.url })).id };
  const index = h.core.recordings.index;
  const seenAt = new Map<string, number>();
  const rows = (id: string) => index.segments(id, 0, Date.now() + 3_600_000);
  await waitFor(
    `${segments} segments of each camera`,
    () => {
      const now = Date.now();
      for (const id of Object.values(ids)) for (const s of rows(id)) if (!seenAt.has(s.path)) seenAt.set(s.path, now);
      return Object.values(ids).every((id) => rows(id).length >= segments);
    },
    segments * 10_000,
  );
  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { min: sorted[0] ?? null, median: sorted[Math.floor(sorted.length / 2)] ?? null, max: sorted.at(-1) ?? null };
  };
  const report = (id: string) => {
    const all = rows(id).slice(0, segments);
    const offsets = all.map((s) => s.clockOffsetMs).filter((o): o is number => o !== null);
    return {
      segments: all.length,
      clockOffsetMs: stats(offsets),
      reanchored: offsets.filter((o) => Math.abs(o) > MAX_CLOCK_OFFSET_MS).length,
      // When a segment was first seen in the index (polled every 100 ms) less its recorded end.
      indexLagMs: stats(all.slice(1).map((s) => seenAt.get(s.path)! - s.endMs)),
      recordedMs: all.at(-1)!.endMs - all[0]!.startMs,
    };
  };
  console.log(JSON.stringify({ rate, thresholdMs: MAX_CLOCK_OFFSET_MS, steady: report(ids.steady), slow: report(ids.slow) }, null, 2));
} finally {
  await h.close();
  await stopAllTestCameras();
}
