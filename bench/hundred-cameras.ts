/**
 * One recorder, a hundred cameras: a watchroom-host process recording N replayed 720p25 cameras
 * (tests/fixtures/replay-camera-server.ts, in a process of its own so its CPU is its own), measured
 * first with nobody watching, then with W of the cameras watched over the live WebSocket. Prints
 * JSON; never fails on the figures.
 *
 *   npm run bench:hundred-cameras [-- --cameras 100 --watched 16 --seconds 60 --warmup 15 --node-arg=--cpu-prof
 *                                 --baseline /path/to/other/checkout]
 *
 * Per phase: Node (the host process alone) and ffmpeg (its children) CPU per camera, the replay
 * server's CPU, the machine's busy share (/proc/stat, every process on it); over both phases, ledger
 * bytes per camera-day (its growth extrapolated: a window shorter than a minute catches all of a
 * minute's capture entries or none, so only the span of both counts) and the frames in the
 * segments recorded against the frames the cameras sent.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { replayClipFile } from '../tests/fixtures/replay-camera-server.js';
import { HOST_CLI, startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../tests/fixtures/host-process.js';
import { LiveClient } from '../tests/fixtures/live-client.js';
import { segmentFiles } from '../tests/fixtures/recording-checks.js';
import { waitFor } from '../tests/fixtures/wait-for.js';
import { TS_PACKET, videoPid } from '../electron/core/recording/ts-stream-type.js';
import { threadCpuSeconds, treeCpuSeconds } from './process-cpu.js';

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: '100' },
    watched: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '15' },
    // Options for the host's Node, e.g. --node-arg=--cpu-prof --node-arg=--cpu-prof-dir=/tmp/p (read with bench/cpuprofile-top.ts).
    'node-arg': { type: 'string', multiple: true, default: [] },
    // Another checkout, built (e.g. the previous commit in a worktree): measured too, first.
    baseline: { type: 'string' },
  },
});
const count = Number(values.cameras);
const watchedCount = Math.min(Number(values.watched), count);
const seconds = Number(values.seconds);
const warmupMs = Number(values.warmup) * 1000;
const FPS = 25;
const DAY_SECONDS = 86_400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The replay server as a child process; it quits by itself when our end of its stdin closes. */
async function startReplayServer(mounts: number): Promise<{ pid: number; port: number; stop(): void }> {
  const script = join(import.meta.dirname, '..', 'tests', 'fixtures', 'replay-camera-server.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--mounts', String(mounts)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`replay camera server exited ${code}`)));
  });
  const port = Number(/^READY (\d+)$/.exec(line)?.[1]);
  if (!port) throw new Error(`replay camera server said: ${line}`);
  return {
    pid: child.pid!,
    port,
    stop: () => {
      child.stdin!.end();
      child.kill('SIGTERM');
    },
  };
}

/** Busy and total jiffies of the whole machine, all cores (the first line of /proc/stat). */
function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3]! + fields[4]!; // idle + iowait
  return { busy: total - idle, total };
}

function childCount(pid: number): number {
  try {
    return execFileSync('ps', ['--ppid', String(pid), '-o', 'pid='], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).length;
  } catch {
    return 0; // ps exits 1 when there are none
  }
}

interface Window {
  hostTree: number;
  hostNode: number;
  hostThreads: ReturnType<typeof threadCpuSeconds>;
  server: number;
  machine: { busy: number; total: number };
  restarts: number;
  recording: number;
  at: number;
}

async function snapshot(host: HostProcess, serverPid: number): Promise<Window> {
  const streams = await host.call('listStreams');
  const restarts = streams.reduce((n, s) => n + s.health.restarts, 0);
  const tree = treeCpuSeconds(host.child.pid!);
  return {
    hostTree: tree.tree,
    hostNode: tree.root,
    hostThreads: threadCpuSeconds(host.child.pid!),
    server: treeCpuSeconds(serverPid).root,
    machine: machineTicks(),
    restarts,
    recording: streams.filter((s) => s.state === 'live' && s.recording?.state === 'recording').length,
    at: performance.now(),
  };
}

/** One measured window: CPU in % of one core, per camera where it scales with cameras. */
async function measure(host: HostProcess, serverPid: number) {
  const before = await snapshot(host, serverPid);
  await sleep(seconds * 1000);
  const after = await snapshot(host, serverPid);
  const elapsed = (after.at - before.at) / 1000;
  const pct = (cpuSeconds: number) => (cpuSeconds / elapsed) * 100;
  const node = pct(after.hostNode - before.hostNode);
  const ffmpeg = pct(after.hostTree - after.hostNode - (before.hostTree - before.hostNode));
  const server = pct(after.server - before.server);
  return {
    seconds: round(elapsed, 1),
    nodePercent: round(node),
    nodePercentPerCamera: round(node / count, 3),
    // The same Node CPU split by thread and by user/kernel: where to look first.
    nodeSplitPercent: Object.fromEntries((['main', 'others', 'user', 'system'] as const).map((k) => [k === 'main' ? 'mainThread' : k === 'others' ? 'otherThreads' : k, round(pct(after.hostThreads[k] - before.hostThreads[k]))])),
    ffmpegPercent: round(ffmpeg),
    ffmpegPercentPerCamera: round(ffmpeg / count, 3),
    // Only ffmpeg processes alive at both ends are counted above: a restart in the window would lose one's CPU.
    ffmpegProcessesAtEnd: childCount(host.child.pid!),
    streamRestartsInWindow: after.restarts - before.restarts,
    camerasLiveAndRecording: { atStart: before.recording, atEnd: after.recording },
    replayServerPercent: round(server),
    replayServerPercentPerCamera: round(server / count, 3),
    machineBusyPercentOfAllCores: round(((after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total)) * 100, 1),
  };
}

/** Video frames in an MPEG-TS segment: the PES packets begun on its video PID (one per frame from ffmpeg's muxer). */
function framesInSegment(file: string): number {
  const bytes = readFileSync(file);
  const pid = videoPid(bytes);
  let frames = 0;
  for (let at = 0; at + TS_PACKET <= bytes.length; at += TS_PACKET) {
    if (bytes[at] === 0x47 && bytes[at + 1]! & 0x40 && (((bytes[at + 1]! & 0x1f) << 8) | bytes[at + 2]!) === pid) frames++;
  }
  return frames;
}

/**
 * Frames in the closed segments lying wholly in [fromMs, toMs], against the frames each camera sent
 * between its first such segment's start and its last one's end (a gap between segments counts as loss).
 */
function recordedFrames(root: string, fromMs: number, toMs: number) {
  const byCamera = new Map<string, Array<{ file: string; start: number; end: number }>>();
  for (const path of segmentFiles(root)) {
    const m = /(\d{13})-(\d{13})\.ts$/.exec(path);
    if (!m || path.includes('/incoming/')) continue;
    const start = Number(m[1]);
    const end = Number(m[2]);
    if (start < fromMs || end > toMs) continue;
    const camera = path.split('/')[0]!;
    byCamera.set(camera, [...(byCamera.get(camera) ?? []), { file: join(root, path), start, end }]);
  }
  let recorded = 0;
  let expected = 0;
  let worst = Infinity;
  let segments = 0;
  for (const list of byCamera.values()) {
    const frames = list.reduce((n, s) => n + framesInSegment(s.file), 0);
    const sent = ((Math.max(...list.map((s) => s.end)) - Math.min(...list.map((s) => s.start))) / 1000) * FPS;
    recorded += frames;
    expected += sent;
    worst = Math.min(worst, frames / sent);
    segments += list.length;
  }
  return {
    camerasWithSegments: byCamera.size,
    segments,
    framesRecorded: recorded,
    framesExpected: Math.round(expected),
    ratio: round(recorded / expected, 4),
    worstCameraRatio: round(worst, 4),
  };
}

/** One build's host, started on the replay server's cameras, measured unwatched then watched. */
async function measureBuild(serverInfo: { pid: number; port: number }, cli: string) {
  const dataDir = tempDataDir();
  const ledger = join(dataDir, 'audit.jsonl');
  const startedAt = performance.now();
  const cameraFile = writeCameraFile(Array.from({ length: count }, (_, i) => ({ name: `Replay ${i + 1}`, url: `rtsp://127.0.0.1:${serverInfo.port}/cam${i + 1}` })));
  const host = await startHostProcess(['--data', dataDir, '--cameras', cameraFile], { cli, nodeArgs: values['node-arg'] });
  const viewers: LiveClient[] = [];
  try {
    // A saturated host may never have every camera up at once: the bench then measures what it has.
    let lastProgress = 0;
    const recordingNow = async () => {
      const streams = await host.call('listStreams');
      if (performance.now() - lastProgress > 10_000) {
        lastProgress = performance.now();
        const states = streams.map((s) => `${s.state}/${s.recording?.state ?? 'none'}${s.state === 'live' ? '' : ` (${s.reason ?? ''})`}`);
        process.stderr.write(`${JSON.stringify(Object.fromEntries([...new Set(states)].map((k) => [k, states.filter((x) => x === k).length])))}\n`);
      }
      return streams.filter((s) => s.state === 'live' && s.recording?.state === 'recording').length;
    };
    const allRecordingAfterSeconds = await waitFor(`all ${count} cameras live and recording`, async () => (await recordingNow()) === count && round((performance.now() - startedAt) / 1000, 1), 180_000, 1_000).catch(() => null);
    await sleep(warmupMs);
    const firstWindowAt = Date.now();
    const ledgerAtStart = statSync(ledger).size;
    const unwatched = await measure(host, serverInfo.pid);

    const cameras = (await host.call('listCameras')).slice(0, watchedCount);
    viewers.push(...cameras.map((c) => new LiveClient(host.url.origin, c.id, host.token)));
    await waitFor('every viewer receiving', () => viewers.every((v) => v.fragmentsSinceInit().length > FPS), 120_000).catch(() => undefined);
    await sleep(Math.min(warmupMs, 5_000));
    const fragmentsBefore = viewers.reduce((n, v) => n + v.fragments.length, 0);
    const watched = await measure(host, serverInfo.pid);
    const viewerFrames = viewers.reduce((n, v) => n + v.fragments.length, 0) - fragmentsBefore;
    const lastWindowEnd = Date.now();
    const ledgerBytes = statSync(ledger).size - ledgerAtStart;

    // Let the segments open at the end close, then count what the windows hold.
    await sleep(8_000);
    return {
      cli,
      allRecordingAfterSeconds,
      unwatched,
      watched: {
        ...watched,
        nodeExtraPercentPerWatchedCamera: watchedCount ? round((watched.nodePercent - unwatched.nodePercent) / watchedCount, 3) : null,
        viewerFramesReceived: viewerFrames,
        viewerFramesExpected: Math.round(watched.seconds * FPS * watchedCount),
      },
      ledger: { bytes: ledgerBytes, seconds: round((lastWindowEnd - firstWindowAt) / 1000, 1), bytesPerCameraDay: Math.round((ledgerBytes / count) * ((DAY_SECONDS * 1000) / (lastWindowEnd - firstWindowAt))) },
      recording: recordedFrames(join(dataDir, 'recordings'), firstWindowAt, lastWindowEnd),
    };
  } finally {
    await Promise.all(viewers.map((v) => v.close()));
    await host.stop();
    // A hundred cameras write about 20 MB a second.
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await replayClipFile(); // encoded once per machine, before anything is timed
const server = await startReplayServer(count);
const cpuAtStart = process.cpuUsage();
const startedAt = performance.now();
try {
  // The baseline first, then this build, one after the other on the same cameras: a hundred cameras twice at once would weigh on both.
  const baseline = values.baseline ? await measureBuild(server, join(values.baseline, 'dist', 'electron', 'cli', 'watchroom-host.js')) : null;
  const build = await measureBuild(server, HOST_CLI);
  const benchCpu = process.cpuUsage(cpuAtStart);
  console.log(
    JSON.stringify(
      {
        bench: 'hundred-cameras',
        cameras: count,
        watchedCameras: watchedCount,
        source: '1280x720 25 fps H.264 (libx264 main, GOP 50, ~1.8 Mbit/s), replayed without encoding by tests/fixtures/replay-camera-server.ts',
        ...build,
        ...(baseline ? { baseline } : {}),
        benchProcessPercent: round(((benchCpu.user + benchCpu.system) / 1e6 / ((performance.now() - startedAt) / 1000)) * 100),
        note: 'CPU in % of one core (machine busy: % of all cores, every process on the machine). Node = the watchroom-host process alone; ffmpeg = its children (one per camera, recording and live in one). Watched viewers are WebSocket clients in the bench process. baseline: the build of --baseline, measured just before this one on the same replayed cameras.',
      },
      null,
      2,
    ),
  );
} finally {
  server.stop();
}
