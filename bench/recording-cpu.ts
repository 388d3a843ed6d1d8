/**
 * Host CPU of recording + relay against relay alone, for the same 4 cameras in the same host process,
 * one viewer each. Prints JSON; never fails on the figures.
 *
 *   npm run bench:recording-cpu [-- --cameras 4 --seconds 10 --rounds 3]
 */
import { parseArgs } from 'node:util';
import { startTestCamera, stopAllTestCameras } from '../tests/fixtures/camera-server.js';
import { startHostProcess, tempDataDir, writeCameraFile } from '../tests/fixtures/host-process.js';
import { LiveClient } from '../tests/fixtures/live-client.js';
import { waitFor } from '../tests/fixtures/wait-for.js';
import { measureTreeCpu } from './process-cpu.js';

const { values } = parseArgs({ options: { cameras: { type: 'string', default: '4' }, seconds: { type: 'string', default: '10' }, rounds: { type: 'string', default: '3' } } });
const count = Number(values.cameras);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);

const cams = await Promise.all(Array.from({ length: count }, (_, i) => startTestCamera({ codec: 'h264', width: 1280, height: 720, fps: 25, label: `Rec ${i + 1}` })));
const host = await startHostProcess(['--data', tempDataDir(), '--cameras', writeCameraFile(cams.map((c, i) => ({ name: `Rec ${i + 1}`, url: c.url })))]);
const call = host.call;
try {
  const cameras = await call('listCameras');
  const viewers = cameras.map((c) => new LiveClient(host.url.origin, c.id, host.token));
  const measure = async () => {
    await waitFor('every viewer receiving', () => viewers.every((v) => v.fragmentsSinceInit().length > 25), 30_000);
    await new Promise((r) => setTimeout(r, 3_000));
    return measureTreeCpu(host.child.pid!, seconds);
  };
  // Alternate the two modes so a noisy window (another process, the page cache) cannot decide the result.
  const setRecording = async (on: boolean) => {
    for (const c of cameras) await call('updateCamera', { id: c.id, changes: { recording: on } });
  };
  const rec: Array<{ tree: number; root: number }> = [];
  const relay: Array<{ tree: number; root: number }> = [];
  for (let round = 0; round < rounds; round++) {
    await setRecording(true);
    rec.push(await measure());
    await setRecording(false);
    relay.push(await measure());
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const round2 = (n: number) => Math.round(n * 100) / 100;
  const summary = (runs: Array<{ tree: number; root: number }>) => ({
    tree: median(runs.map((r) => r.tree)),
    node: median(runs.map((r) => r.root)),
    ffmpeg: median(runs.map((r) => r.tree - r.root)),
  });
  const withRecording = summary(rec);
  const relayOnly = summary(relay);
  console.log(
    JSON.stringify(
      {
        bench: 'recording-cpu',
        cameras: count,
        source: '1280x720 25 fps H.264 (GStreamer rtsp-server)',
        secondsPerWindow: seconds,
        rounds,
        relayOnlyPercent: round2(relayOnly.tree),
        recordingAndRelayPercent: round2(withRecording.tree),
        extraPercentOfRelay: round2(((withRecording.tree - relayOnly.tree) / relayOnly.tree) * 100),
        extraPercentOfCorePerCamera: round2((withRecording.tree - relayOnly.tree) / count),
        byProcess: {
          node: { relayOnly: round2(relayOnly.node), recordingAndRelay: round2(withRecording.node) },
          ffmpeg: { relayOnly: round2(relayOnly.ffmpeg), recordingAndRelay: round2(withRecording.ffmpeg) },
        },
        perWindow: { recordingAndRelay: rec.map((r) => round2(r.tree)), relayOnly: relay.map((r) => round2(r.tree)) },
        note: 'CPU % of one core for the host process tree (Node + ffmpeg), medians over alternating windows; the test cameras are excluded.',
      },
      null,
      2,
    ),
  );
  await Promise.all(viewers.map((v) => v.close()));
} finally {
  await host.stop();
  await stopAllTestCameras();
}
