/**
 * Host CPU per 720p25 camera: Watchroom's relay (ffmpeg copy + our Node process) against the
 * node-rtsp-stream package (ffmpeg MPEG-1 transcode + its Node process) on the same cameras, in the
 * same run, each with one WebSocket viewer per camera. Prints JSON; never fails on the figures.
 *
 *   npm run bench:relay-cpu [-- --cameras 4 --seconds 15 --scene easy|busy]
 *
 * easy: a ball on black, which MPEG-1 encodes almost for free; busy: bars panning across the whole
 * frame, nearer the work a real street scene gives an encoder.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { startTestCamera, stopAllTestCameras } from '../tests/fixtures/camera-server.js';
import { startHostProcess, tempDataDir, writeCameraFile } from '../tests/fixtures/host-process.js';
import { LiveClient } from '../tests/fixtures/live-client.js';
import { freePort } from '../tests/fixtures/camera-server.js';
import { waitFor } from '../tests/fixtures/wait-for.js';
import { measureTreeCpu } from './process-cpu.js';

const { values } = parseArgs({
  options: { cameras: { type: 'string', default: '4' }, seconds: { type: 'string', default: '15' }, scene: { type: 'string', default: 'easy' } },
});
if (values.scene !== 'easy' && values.scene !== 'busy') throw new Error('--scene is easy or busy');
const scene = values.scene;
const count = Number(values.cameras);
const seconds = Number(values.seconds);
const WARMUP_MS = 3_000;

async function measureWatchroom(urls: string[]): Promise<{ cpu: { tree: number; root: number }; bytesReceived: number }> {
  const host = await startHostProcess(['--data', tempDataDir(), '--cameras', writeCameraFile(urls.map((url, i) => ({ name: `Bench ${i + 1}`, url })))]);
  const cameras = await host.call('listCameras');
  const viewers = cameras.map((c) => new LiveClient(host.url.origin, c.id, host.token));
  await waitFor('all cameras streaming', () => viewers.every((v) => v.fragments.length > 10), 30_000);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const bytesBefore = viewers.reduce((n, v) => n + v.fragments.reduce((m, f) => m + f.bytes, 0), 0);
  const cpu = await measureTreeCpu(host.child.pid!, seconds);
  const bytesReceived = viewers.reduce((n, v) => n + v.fragments.reduce((m, f) => m + f.bytes, 0), 0) - bytesBefore;
  await Promise.all(viewers.map((v) => v.close()));
  await host.stop();
  return { cpu, bytesReceived };
}

async function measureNodeRtspStream(urls: string[]): Promise<{ cpu: { tree: number; root: number }; bytesReceived: number }> {
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
  const watchroom = await measureWatchroom(urls);
  const nodeRtspStream = await measureNodeRtspStream(urls);
  const round = (p: number) => Math.round(p * 100) / 100;
  const report = (r: { cpu: { tree: number; root: number }; bytesReceived: number }) => ({
    cpuPercentTotal: round(r.cpu.tree),
    cpuPercentPerCamera: round(r.cpu.tree / count),
    nodeProcessPercent: round(r.cpu.root),
    ffmpegPercent: round(r.cpu.tree - r.cpu.root),
    kbitPerSecondOut: Math.round((r.bytesReceived * 8) / 1000 / seconds),
  });
  console.log(
    JSON.stringify(
      {
        bench: 'relay-cpu',
        cameras: count,
        source: `1280x720 25 fps H.264, ${scene} scene (GStreamer rtsp-server, x264 ~800 kbit/s)`,
        seconds,
        watchroom: report(watchroom),
        nodeRtspStream: report(nodeRtspStream),
        ratio: Math.round((nodeRtspStream.cpu.tree / watchroom.cpu.tree) * 10) / 10,
        note: 'CPU % of one core for the relay process tree only (Node + its ffmpeg children); the test cameras are excluded.',
      },
      null,
      2,
    ),
  );
} finally {
  await stopAllTestCameras();
}
