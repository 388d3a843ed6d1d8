/**
 * How soon a bookmark made on one workstation reaches another through the PostgreSQL directory:
 * two real cores (own data folders) on one database of a throw-away cluster; for each of `--count`
 * bookmarks, from the call on A to B's bookmarks.changed event (what makes B's views reload), and on
 * to B's list answering with it. Bookmarks are made one after another. Prints JSON; never fails on the figures.
 *
 *   npm run bench:directory-sync [-- --count 100]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startTestPostgres } from '../tests/fixtures/postgres.js';
import { startTestHost } from '../tests/fixtures/test-host.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '100' } } });
const count = Number(values.count);

const cluster = await startTestPostgres();
const url = await cluster.createDatabase();
const a = await startTestHost({ directory: { url } });
const b = await startTestHost({ directory: { url } });
try {
  await Promise.all([a.core.directoryReady, b.core.directoryReady]);
  const cameraId = (await a.api.addCamera({ name: 'Bench', url: 'rtsp://127.0.0.1:9/stream', enabled: false })).id;
  let heard: () => void = () => undefined;
  b.core.onEvent((e) => void (e.type === 'bookmarks.changed' && heard()));
  const samples: Array<{ createMs: number; eventMs: number; listedMs: number }> = [];
  for (let i = 0; i < count; i++) {
    const event = new Promise<number>((resolve) => (heard = () => resolve(performance.now())));
    const t0 = performance.now();
    const made = await a.api.createBookmark({ cameraIds: [cameraId], atMs: Date.now(), beforeMs: 5_000, afterMs: 5_000, title: `Bench ${i}`, notes: '', tags: ['bench'], caseReference: '' });
    const created = performance.now();
    const eventAt = await event;
    const listed = await b.api.listBookmarks({ text: made.title });
    if (!listed.some((x) => x.id === made.id)) throw new Error(`B heard of bookmark ${i} but does not list it`);
    samples.push({ createMs: created - t0, eventMs: eventAt - t0, listedMs: performance.now() - t0 });
  }
  const stats = (key: keyof (typeof samples)[number]) => {
    const sorted = samples.map((s) => s[key]).sort((x, y) => x - y);
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return { median: round(sorted[Math.floor(sorted.length / 2)]!), p95: round(sorted[Math.floor(sorted.length * 0.95)]!), max: round(sorted[sorted.length - 1]!) };
  };
  console.log(
    JSON.stringify(
      {
        bookmarks: count,
        postgres: (await cluster.query<{ server_version: string }>(url, 'SHOW server_version'))[0]?.server_version,
        createMs: stats('createMs'),
        aCreateToBEventMs: stats('eventMs'),
        aCreateToBListedMs: stats('listedMs'),
        loadAverage1m: loadavg()[0],
      },
      null,
      2,
    ),
  );
} finally {
  await a.close();
  await b.close();
  await cluster.stop();
}
