/**
 * Host CPU of recording + relay against relay alone, for the same 4 cameras in the same host process,
 * one viewer each. Prints JSON; never fails on the figures.
 *
 *   npm run bench:recording-cpu [-- --cameras 4 --seconds 15]
 */
import { parseArgs } from 'node:util';
import { startTestCamera, stopAllTestCameras } from '../tests/fixtures/camera-server.js';
import { startHostProcess, tempDataDir, writeCameraFile } from '../tests/fixtures/host-process.js';
import { LiveClient } from '../tests/fixtures/live-client.js';
import { waitFor } from '../tests/fixtures/wait-for.js';
import { measureTreeCpu } from './process-cpu.js';

const { values } = parseArgs({ options: { cameras: { type: 'string', default: '4' }, seconds: { type: 'string', default: '15' } } });
const count = Number(values.cameras);
const seconds = Number(values.seconds);

const cams = await Promise.all(Array.from({ length: count }, (_, i) => startTestCamera({ codec: 'h264', width: 1280, height: 720, fps: 25, label: `Rec ${i + 1}` })));
const host = await startHostProcess(['--data', tempDataDir(), '--cameras', writeCameraFile(cams.map((c, i) => ({ name: `Rec ${i + 1}`, url: c.url })))]);
const call = async (method: string, arg?: unknown) => {
  const res = await fetch(new URL(`/api/${method}`, host.url.origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `watchroom_token_${host.url.port}=${host.token}` },
    body: JSON.stringify({ arg }),
  });
  return ((await res.json()) as { result: unknown }).result;
};
try {
  const cameras = (await call('listCameras')) as Array<{ id: string }>;
  const viewers = cameras.map((c) => new LiveClient(host.url.origin, c.id, host.token));
  const measure = async () => {
    await waitFor('every viewer receiving', () => viewers.every((v) => v.fragmentsSinceInit().length > 25), 30_000);
    await new Promise((r) => setTimeout(r, 3_000));
    return measureTreeCpu(host.child.pid!, seconds);
  };
  const withRecording = await measure();
  for (const c of cameras) await call('updateCamera', { id: c.id, changes: { recording: false } });
  const relayOnly = await measure();
  const round = (n: number) => Math.round(n * 100) / 100;
  console.log(
    JSON.stringify(
      {
        bench: 'recording-cpu',
        cameras: count,
        source: '1280x720 25 fps H.264 (GStreamer rtsp-server)',
        seconds,
        relayOnlyPercent: round(relayOnly.tree),
        recordingAndRelayPercent: round(withRecording.tree),
        extraPercentOfRelay: round(((withRecording.tree - relayOnly.tree) / relayOnly.tree) * 100),
        note: 'CPU % of one core for the host process tree (Node + ffmpeg); the test cameras are excluded.',
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
