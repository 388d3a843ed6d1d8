/**
 * Start-up with a month of footage in the index: 31 days × 16 cameras of 4-second segments (about
 * 10.7 million rows). Measures, in a fresh process, how soon the core answers its API, how soon a
 * camera's live stream delivers video and records, when reconciliation has finished, and the peak
 * RSS and event-loop stall meanwhile. Prints JSON.
 *
 *   npm run bench:startup [-- --days 31 --cameras 16 --file-days 1]
 *
 * Ten million files cannot be made here, so only the last `--file-days` days of every camera have
 * their files on disk (empty files: reconciliation compares names, it does not read them). The rows
 * of the other days are stored already marked missing, as an earlier start would have left them
 * for folders that are gone: every row is still read and compared, which is what costs memory, but
 * the bench does not time marking ten million rows missing, which only happens once after a loss.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createCore } from '../electron/core/core.js';
import { SegmentIndex } from '../electron/core/recording/segment-index.js';
import { closedSegmentPath } from '../electron/core/recording/recording-store.js';
import { startTestCamera, stopAllTestCameras } from '../tests/fixtures/camera-server.js';

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '31' },
    cameras: { type: 'string', default: '16' },
    'file-days': { type: 'string', default: '1' },
    measure: { type: 'string' },
  },
});
const SEGMENT_MS = 4_000;
const DAY = 86_400_000;
const since = (t0: number) => Math.round(performance.now() - t0);

if (values.measure) await measure(values.measure);
else await prepareAndRun();

/** The child: starts a core on the prepared data folder and prints what it saw as one JSON line. */
async function measure(dataDir: string): Promise<void> {
  let peakRss = process.memoryUsage.rss();
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const t0 = performance.now();
  const core = createCore({ dataDir, appVersion: 'bench', shell: 'browser', retentionIntervalMs: 3_600_000 });
  const api = core.system;
  const [camera] = await api.listCameras();
  const apiMs = since(t0);
  lag.reset(); // stalls from here on: what a live wall would feel
  /** When the event loop stalled over half a second, and for how long: to tell which phase it was. */
  const stalls: Array<{ atMs: number; ms: number }> = [];
  let tick = performance.now();
  const stallTimer = setInterval(() => {
    const now = performance.now();
    if (now - tick > 500) stalls.push({ atMs: since(t0), ms: Math.round(now - tick) });
    tick = now;
  }, 10);
  const liveMs = new Promise<number>((resolve) => {
    core.openLive('bench', camera!.id, { init: () => undefined, fragment: () => resolve(since(t0)), backlog: () => 0, end: () => undefined });
  });
  const recordingMs = new Promise<number>((resolve) => {
    const poll = setInterval(async () => {
      const status = (await api.listStreams()).find((s) => s.cameraId === camera!.id);
      if (status?.recording?.state === 'recording') {
        clearInterval(poll);
        resolve(since(t0));
      }
    }, 20);
  });
  const report = await core.ready;
  const reconciledMs = since(t0);
  const result = { apiMs, liveMs: await liveMs, recordingMs: await recordingMs, reconciledMs, report, stalls };
  clearInterval(rssTimer);
  clearInterval(stallTimer);
  lag.disable();
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) * 1024;
  await core.close();
  console.log(JSON.stringify({ ...result, peakRssMB: Math.round(Math.max(peakRss, hwm) / 1e6), maxEventLoopStallMs: Math.round(lag.max / 1e6) }));
}

async function prepareAndRun(): Promise<void> {
  const days = Number(values.days);
  const cameras = Number(values.cameras);
  const fileDays = Number(values['file-days']);
  const camera = await startTestCamera({ codec: 'h264', label: 'Startup' });
  const dataDir = mkdtempSync(join(tmpdir(), 'watchroom-startup-bench-'));
  try {
    // A first start registers one real camera (recording on) and makes the index with its real schema.
    const first = createCore({ dataDir, appVersion: 'bench', shell: 'browser' });
    await first.ready;
    await first.system.addCamera({ name: 'Startup', url: camera.url });
    await first.close();
    new SegmentIndex(join(dataDir, 'recordings.sqlite')).close();

    const t0 = performance.now();
    const today = Math.floor(Date.now() / DAY) * DAY;
    const start = today - (days - 1) * DAY;
    const perDay = DAY / SEGMENT_MS;
    const db = new Database(join(dataDir, 'recordings.sqlite'));
    // Raw inserts for speed, gap_before as SegmentIndex.insert would set it (a gap every hour).
    const insert = db.prepare('INSERT INTO segments (camera_id, run_id, path, start_ms, end_ms, bytes, sha256, missing, gap_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    let rows = 0;
    let files = 0;
    const fillDay = db.transaction((cameraId: string, day: number, withFiles: boolean) => {
      for (let i = 0; i < perDay; i++) {
        if (i % 900 === 899) continue;
        const s = start + day * DAY + i * SEGMENT_MS;
        const path = closedSegmentPath(cameraId, s, s + SEGMENT_MS);
        insert.run(cameraId, 'bench', path, s, s + SEGMENT_MS, 500_000, 'f'.repeat(64), withFiles ? 0 : 1, i % 900 === 0 ? 1 : 0);
        rows++;
        if (withFiles) {
          writeFileSync(join(dataDir, 'recordings', path), '');
          files++;
        }
      }
    });
    for (let c = 0; c < cameras; c++) {
      const cameraId = `cam-${c.toString().padStart(4, '0')}`;
      for (let d = 0; d < days; d++) {
        const withFiles = d >= days - fileDays;
        if (withFiles) mkdirSync(join(dataDir, 'recordings', cameraId, new Date(start + d * DAY).toISOString().slice(0, 10)), { recursive: true });
        fillDay(cameraId, d, withFiles);
      }
    }
    db.close();
    const fillSeconds = Math.round((performance.now() - t0) / 1000);

    const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--measure', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b));
    child.stderr.on('data', (b: Buffer) => (stderr += b));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const measured = code === 0 ? (JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>) : { failed: `exit ${code}`, stderrTail: stderr.trim().split('\n').slice(-6) };
    console.log(
      JSON.stringify(
        {
          bench: 'startup',
          rows,
          cameras,
          days,
          filesOnDisk: files,
          fillSeconds,
          note: 'ms from createCore in a fresh process: apiMs = first API answer; liveMs = first live fragment of a real camera opened at once; recordingMs = that camera recording; reconciledMs = core.ready (reconciliation and first retention pass); maxEventLoopStallMs = longest event-loop delay after the first API answer. peakRssMB = whole process.',
          ...measured,
        },
        null,
        2,
      ),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await stopAllTestCameras();
  }
}
