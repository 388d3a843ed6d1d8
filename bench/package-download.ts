/**
 * The browser shell's package download (core/evidence/package-download.ts) on a package of a given
 * size: how fast the zip streams over loopback and how much the host's memory grows meanwhile (the
 * zip is streamed as it is read, so the growth should stay far below the package's size). The
 * package is random bytes (incompressible, like video) in a real exports folder, served by a real
 * core and host. Prints JSON; never fails on the figures.
 *
 *   npm run bench:package-download [-- --mb 1024 --files 8]
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../electron/core/core.js';
import { startHost } from '../electron/host/http-host.js';
import { packageDownloadPath } from '../shared/evidence.js';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '1024' }, files: { type: 'string', default: '8' } } });
const totalMb = Number(values.mb);
const fileCount = Number(values.files);

const work = mkdtempSync(join(tmpdir(), 'watchroom-bench-download-'));
const name = 'WR-BENCH-20260101T000000Z';
const folder = join(work, 'exports', name);
mkdirSync(join(folder, 'master'), { recursive: true });
const chunk = randomBytes(1 << 20);
for (let f = 0; f < fileCount; f++) {
  const file = join(folder, 'master', `cam-${f}.mp4`);
  writeFileSync(file, '');
  for (let mb = 0; mb < totalMb / fileCount; mb++) writeFileSync(file, chunk, { flag: 'a' });
}
writeFileSync(join(folder, 'SHA256SUMS'), '');

const core = createCore({ dataDir: join(work, 'data'), exportsDir: join(work, 'exports'), appVersion: 'bench', shell: 'browser' });
const host = await startHost({ core, rendererDir: join(work, 'no-renderer'), port: 0 });
try {
  await core.ready;
  const { token } = await core.system.createFirstAdmin({ name: 'bench', displayName: 'Bench', password: 'correct-horse-battery' });
  const link = await core.api(token).mediaLink({ path: packageDownloadPath(name) });

  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${host.port}${link}`);
  let bytes = 0;
  for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) bytes += part.length;
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);

  console.log(JSON.stringify({
    packageMb: totalMb,
    files: fileCount,
    status: res.status,
    zipBytes: bytes,
    contentLength: Number(res.headers.get('content-length')),
    seconds: Number(seconds.toFixed(2)),
    mbPerSecond: Number((bytes / 2 ** 20 / seconds).toFixed(1)),
    // Host and client share this process: the growth bounds what either buffered.
    rssGrowthMb: Number(((rssPeak - rssBefore) / 2 ** 20).toFixed(1)),
  }, null, 2));
} finally {
  await host.close();
  await core.close();
  rmSync(work, { recursive: true, force: true });
}
