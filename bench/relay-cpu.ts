/**
 * Host CPU per 720p25 camera: Watchroom's relay (ffmpeg copy + our Node process) against the
 * node-rtsp-stream package (ffmpeg MPEG-1 transcode + its Node process) on the same cameras, in the
 * same run, each with one WebSocket viewer per camera. Watchroom records every camera, so it is also
 * measured with nobody watching (its streams run on for the recording). Node and ffmpeg are given
 * apart. Prints JSON; never fails on the figures.
 *
 *   npm run bench:relay-cpu [-- --cameras 4 --seconds 15 --scene easy|busy --watched 4 --rounds 1
 *                              --baseline /path/to/other/checkout --cpu-prof DIR --against node-rtsp-stream|none]
 *
 * easy: a ball on black, which MPEG-1 encodes almost for free; busy: bars panning across the whole
 * frame, nearer the work a real street scene gives an encoder. --baseline: the build of another
 * checkout (e.g. the previous commit) runs beside this one on the same cameras and is measured in the
 * same windows, so a busy machine weighs on both alike. --cpu-prof: each host's Node writes a CPU
 * profile there (read it with bench/cpuprofile-top.ts, cut to the printed profileWindows).
 * --watched: how many cameras get a viewer in the watched windows (default all). --relay-only: a last
 * window with recording switched off, viewers on the watched cameras: the live relay alone.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { startTestCamera, stopAllTestCameras } from '../tests/fixtures/camera-server.js';
import { HOST_CLI, startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../tests/fixtures/host-process.js';
import { LiveClient } from '../tests/fixtures/live-client.js';
import { freePort } from '../tests/fixtures/camera-server.js';
import { waitFor } from '../tests/fixtures/wait-for.js';
import { measureTreeCpu } from './process-cpu.js';

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '15' },
    scene: { type: 'string', default: 'easy' },
    watched: { type: 'string' },
    rounds: { type: 'string', default: '1' },
    baseline: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'relay-only': { type: 'boolean', default: false },
    against: { type: 'string', default: 'node-rtsp-stream' },
  },
});
if (values.scene !== 'easy' && values.scene !== 'busy') throw new Error('--scene is easy or busy');
if (values.against !== 'node-rtsp-stream' && values.against !== 'none') throw new Error('--against is node-rtsp-stream or none');
const scene = values.scene;
const count = Number(values.cameras);
const seconds = Number(values.seconds);
const watchedCount = Math.min(count, Number(values.watched ?? count));
const rounds = Number(values.rounds);
const WARMUP_MS = 3_000;

type Cpu = { tree: number; root: number };
type Phase = 'unwatched' | 'watched' | 'relayOnly';
interface Measured {
  cpu: Cpu;
  bytesReceived: number;
}

/** One watchroom-host build under test. */
interface Build {
  name: string;
  cli: string;
  host?: HostProcess;
  startedAt?: number;
  cameraIds?: string[];
  /** Seconds since the host's start, to cut its CPU profile to the measured windows. */
  profileWindows: Array<{ kind: Phase; from: number; to: number }>;
  unwatched: Cpu[];
  watched: Array<Cpu & { bytesReceived: number }>;
  relayOnly: Array<Cpu & { bytesReceived: number }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every camera's main stream live and recording, nobody watching. */
async function recordingEverywhere(host: HostProcess): Promise<void> {
  await waitFor(
    'every camera live and recording',
    async () => {
      const main = (await host.call('listStreams')).filter((s) => s.stream === 'main');
      const waiting = main.filter((s) => !(s.state === 'live' && s.recording?.state === 'recording' && s.health.subscribers === 0));
      // Thrown, so a timeout says which streams it waited for.
      if (main.length !== count || waiting.length) throw new Error(JSON.stringify(waiting.map((s) => [s.state, s.recording?.state, s.health.subscribers])));
      return true;
    },
    120_000,
    250,
  );
}

/** When a process started (ms since the epoch), from /proc: its CPU profile counts from then. */
function processStartMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  const uptimeSeconds = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Date.now() - (uptimeSeconds - startTicks / 100) * 1000;
}

async function measureAll(builds: Build[], kind: Phase): Promise<Cpu[]> {
  const from = Date.now();
  const cpu = await Promise.all(builds.map((b) => measureTreeCpu(b.host!.child.pid!, seconds)));
  for (const b of builds) b.profileWindows.push({ kind, from: (from - b.startedAt!) / 1000, to: (Date.now() - b.startedAt!) / 1000 });
  return cpu;
}

/** Opens a viewer on each watched camera of every build, measures, closes them. */
async function watchedPhase(builds: Build[], kind: 'watched' | 'relayOnly'): Promise<void> {
  const viewers = builds.map((b) => b.cameraIds!.slice(0, watchedCount).map((id) => new LiveClient(b.host!.url.origin, id, b.host!.token)));
  const all = viewers.flat();
  await waitFor('every viewer receiving', () => all.every((v) => v.fragmentsSinceInit().length > 10), 120_000);
  await sleep(WARMUP_MS);
  const received = () => viewers.map((vs) => vs.reduce((n, v) => n + v.fragments.reduce((m, f) => m + f.bytes, 0), 0));
  const before = received();
  const busy = await measureAll(builds, kind);
  const after = received();
  builds.forEach((b, i) => b[kind].push({ ...busy[i]!, bytesReceived: after[i]! - before[i]! }));
  await Promise.all(all.map((v) => v.close()));
}

/** Runs the builds side by side on the same cameras and measures them in the same windows. */
async function measureWatchroom(urls: string[], builds: Build[]): Promise<void> {
  const cameraFile = writeCameraFile(urls.map((url, i) => ({ name: `Bench ${i + 1}`, url })));
  for (const build of builds) {
    const nodeArgs = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', join(values['cpu-prof'], build.name)] : [];
    build.host = await startHostProcess(['--data', tempDataDir(), '--cameras', cameraFile], { cli: build.cli, nodeArgs });
    build.startedAt = processStartMs(build.host.child.pid!);
    build.cameraIds = (await build.host.call('listCameras')).map((c) => c.id);
  }
  try {
    for (let round = 0; round < rounds; round++) {
      for (const b of builds) await recordingEverywhere(b.host!);
      await sleep(WARMUP_MS);
      const idle = await measureAll(builds, 'unwatched');
      builds.forEach((b, i) => b.unwatched.push(idle[i]!));

      await watchedPhase(builds, 'watched');
    }
    if (values['relay-only']) {
      // The same cameras with recording switched off: what the live relay alone costs, viewers on every watched camera.
      for (const b of builds) for (const id of b.cameraIds!) await b.host!.call('updateCamera', { id, changes: { recording: false } });
      for (const b of builds) {
        await waitFor('recording off everywhere', async () => (await b.host!.call('listStreams')).every((s) => s.recording?.state !== 'recording'), 60_000, 250);
      }
      await watchedPhase(builds, 'relayOnly');
    }
  } finally {
    for (const b of builds) await b.host?.stop();
  }
}

async function measureNodeRtspStream(urls: string[]): Promise<Measured> {
  const ports = await Promise.all(urls.map(() => freePort()));
  // node-rtsp-stream as its README shows it, in a process of its own so its CPU can be measured alone.
  const script = `
    const Stream = require('node-rtsp-stream');
    const cams = ${JSON.stringify(urls.map((url, i) => ({ url, port: ports[i] })))};
    for (const [i, c] of cams.entries()) new Stream({ name: 'cam' + i, streamUrl: c.url, wsPort: c.port, ffmpegOptions: { '-stats': '', '-r': 25 } });
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'ignore'] });
  let bytes = 0;
  const sockets: WebSocket[] = [];
  await waitFor(
    'node-rtsp-stream servers',
    async () => {
      for (let i = sockets.length; i < ports.length; i++) {
        const ws = new WebSocket(`ws://127.0.0.1:${ports[i]}`);
        await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
        ws.on('message', (d: Buffer) => (bytes += d.length));
        sockets.push(ws);
      }
      return true;
    },
    20_000,
    250,
  );
  await waitFor('MPEG-1 data on every socket', () => bytes > 100_000, 30_000);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const before = bytes;
  const cpu = await measureTreeCpu(child.pid!, seconds);
  const bytesReceived = bytes - before;
  for (const ws of sockets) ws.close();
  child.kill('SIGKILL');
  // node-rtsp-stream does not stop its ffmpeg children when it dies.
  spawn('pkill', ['-KILL', '-f', 'mpeg1video']);
  return { cpu, bytesReceived };
}

const cams = await Promise.all(Array.from({ length: count }, (_, i) => startTestCamera({ codec: 'h264', width: 1280, height: 720, fps: 25, scene, label: `Bench ${i + 1}` })));
try {
  const urls = cams.map((c) => c.url);
  const builds: Build[] = [{ name: 'this', cli: HOST_CLI, unwatched: [], watched: [], relayOnly: [], profileWindows: [] }];
  if (values.baseline) builds.push({ name: 'baseline', cli: join(values.baseline, 'dist', 'electron', 'cli', 'watchroom-host.js'), unwatched: [], watched: [], relayOnly: [], profileWindows: [] });
  await measureWatchroom(urls, builds);
  const nodeRtspStream = values.against === 'node-rtsp-stream' ? await measureNodeRtspStream(urls) : null;
  const round = (p: number) => Math.round(p * 100) / 100;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const medianCpu = (runs: Cpu[]): Cpu => ({ tree: median(runs.map((r) => r.tree)), root: median(runs.map((r) => r.root)) });
  const report = (r: Measured) => ({
    cpuPercentTotal: round(r.cpu.tree),
    cpuPercentPerCamera: round(r.cpu.tree / count),
    nodeProcessPercent: round(r.cpu.root),
    ffmpegPercent: round(r.cpu.tree - r.cpu.root),
    nodePercentPerCamera: round(r.cpu.root / count),
    ffmpegPercentPerCamera: round((r.cpu.tree - r.cpu.root) / count),
    kbitPerSecondOut: Math.round((r.bytesReceived * 8) / 1000 / seconds),
  });
  const reportBuild = (b: Build) => {
    const { kbitPerSecondOut: _none, ...unwatched } = report({ cpu: medianCpu(b.unwatched), bytesReceived: 0 });
    return {
      cli: b.cli,
      unwatched,
      watched: report({ cpu: medianCpu(b.watched), bytesReceived: median(b.watched.map((w) => w.bytesReceived)) }),
      ...(b.relayOnly.length ? { relayOnly: report({ cpu: medianCpu(b.relayOnly), bytesReceived: median(b.relayOnly.map((w) => w.bytesReceived)) }) } : {}),
      windows: { unwatchedNode: b.unwatched.map((c) => round(c.root)), watchedNode: b.watched.map((c) => round(c.root)) },
      ...(values['cpu-prof'] ? { profileWindows: b.profileWindows.map((w) => ({ ...w, from: Math.round(w.from), to: Math.round(w.to) })) } : {}),
    };
  };
  const watchroom = reportBuild(builds[0]!);
  console.log(
    JSON.stringify(
      {
        bench: 'relay-cpu',
        cameras: count,
        watchedCameras: watchedCount,
        source: `1280x720 25 fps H.264, ${scene} scene (GStreamer rtsp-server, x264 ~800 kbit/s)`,
        seconds,
        rounds,
        watchroom,
        ...(builds[1] ? { baseline: reportBuild(builds[1]) } : {}),
        ...(nodeRtspStream ? { nodeRtspStream: report(nodeRtspStream), ratio: Math.round((nodeRtspStream.cpu.tree / medianCpu(builds[0]!.watched).tree) * 10) / 10 } : {}),
        note:
          'CPU % of one core for the relay process tree only (Node + its ffmpeg children); the test cameras are excluded. Watchroom records every camera: ' +
          'unwatched = recording, no viewer; watched = recording and `watchedCameras` viewers; relayOnly = not recording, `watchedCameras` viewers. Per-camera figures divide by all cameras. With --baseline both builds ran at once on the same cameras.',
      },
      null,
      2,
    ),
  );
} finally {
  await stopAllTestCameras();
}
