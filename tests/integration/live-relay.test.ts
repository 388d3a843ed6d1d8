/**
 * The live relay against real RTSP cameras (GStreamer rtsp-server), real ffmpeg and real WebSockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { LiveClient } from '../fixtures/live-client.js';
import { cameraServerProcesses, ffmpegFor } from '../fixtures/process-table.js';
import { waitFor } from '../fixtures/wait-for.js';

const PASSWORD = 'Zq9-secret-pw!';
let h: TestHost;
let cams: TestCamera[] = [];
let locked: TestCamera;
const ids: string[] = [];
const clients: LiveClient[] = [];

function client(cameraId: string, stream: 'main' | 'sub' = 'main'): LiveClient {
  const c = new LiveClient(h.baseUrl, cameraId, h.token, stream);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  cams = await Promise.all([1, 2, 3, 4].map((n) => startTestCamera({ codec: 'h264', label: `Camera ${n}` })));
  locked = await startTestCamera({ codec: 'h264', username: 'viewer', password: PASSWORD, label: 'Locked' });
  h = await startTestHost();
  for (const [i, cam] of cams.entries()) ids.push((await h.api.addCamera({ name: `Camera ${i + 1}`, url: cam.url })).id);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await h?.close();
  await stopAllTestCameras();
});

describe('live relay with real cameras', () => {
  it('relays 4 cameras to WebSocket clients: init segment, then fragments starting at a keyframe', async () => {
    const viewers = ids.map((id) => client(id));
    await waitFor('fragments from all 4 cameras', () => viewers.every((v) => v.fragments.length >= 25));
    for (const v of viewers) {
      expect(v.inits).toHaveLength(1);
      expect(v.inits[0]!.codec).toMatch(/^avc1\.[0-9a-f]{6}$/);
      expect(v.inits[0]!.path).toBe('copy');
      expect(v.inits[0]!.bytes).toBeGreaterThan(300);
      expect(v.fragments[0]!.keyframe).toBe(true);
    }
    const statuses = await h.api.listStreams();
    expect(statuses.filter((s) => ids.includes(s.cameraId)).map((s) => s.state)).toEqual(['live', 'live', 'live', 'live']);
    // The cameras send 25 fps; the meter averages over 2 s.
    const health = await waitFor('health figures near 25 fps', async () => {
      const s = (await h.api.listStreams())[0]!.health;
      return s.fps >= 20 && s.fps <= 30 ? s : undefined;
    });
    expect(health.kbps).toBeGreaterThan(50);
    expect(health.subscribers).toBe(1);
    expect(Date.now() - health.lastFrameAt!).toBeLessThan(1000);
  });

  it('gives a late joiner the cached GOP from its keyframe, sharing one ffmpeg per camera', async () => {
    // The cameras send a keyframe every 2 s; join mid-GOP.
    const late = client(ids[0]!);
    await waitFor('late joiner fragments', () => late.fragments.length >= 5);
    expect(late.fragments[0]!.keyframe).toBe(true);
    expect(late.inits).toHaveLength(1);
    expect(ffmpegFor(cams[0]!.port)).toHaveLength(1);
  });

  it('runs a camera’s sub-stream as an upstream of its own; a sub viewer of a camera without one gets the main stream', async () => {
    const [mainCam, subCam] = await Promise.all([startTestCamera({ label: 'Two streams' }), startTestCamera({ width: 320, height: 180, label: 'Two streams (sub)' })]);
    const id = (await h.api.addCamera({ name: 'Two streams', url: mainCam.url, subUrl: subCam.url })).id;
    const small = [client(id, 'sub'), client(id, 'sub')];
    await waitFor('sub-stream fragments', () => small.every((c) => c.fragments.length >= 5));
    expect(ffmpegFor(subCam.port)).toHaveLength(1); // two viewers, one session
    const subStatus = (await h.api.listStreams()).find((s) => s.cameraId === id && s.stream === 'sub');
    expect(subStatus).toMatchObject({ state: 'live', health: { subscribers: 2 } });

    const fallback = client(ids[0]!, 'sub');
    await waitFor('main-stream fragments for a sub viewer', () => fallback.fragments.length >= 5);
    expect(ffmpegFor(cams[0]!.port)).toHaveLength(1);
    expect((await h.api.listStreams()).some((s) => s.cameraId === ids[0] && s.stream === 'sub')).toBe(false);
    await h.api.removeCamera({ id });
    await waitFor('both of its ffmpegs to end', () => ffmpegFor(subCam.port).length === 0 && ffmpegFor(mainCam.port).length === 0, 10_000);
  });

  it('keeps a camera’s stream through a new name or site; a new address restarts it', async () => {
    const cam = await startTestCamera({ label: 'Renamed' });
    const id = (await h.api.addCamera({ name: 'Loading bay', url: cam.url })).id;
    const [before] = await waitFor('its ffmpeg (it records)', () => (ffmpegFor(cam.port).length === 1 ? ffmpegFor(cam.port) : undefined));
    await h.api.updateCamera({ id, changes: { name: 'Loading bay (east)', group: 'Depot North' } });
    expect((await h.api.listCameras()).find((c) => c.id === id)).toMatchObject({ name: 'Loading bay (east)', group: 'Depot North' });
    expect(ffmpegFor(cam.port).map((p) => p.pid)).toEqual([before!.pid]);
    await h.api.updateCamera({ id, changes: { url: `${cam.url}?again=1` } });
    await waitFor('a new ffmpeg for the new address', () => ffmpegFor(cam.port).some((p) => p.pid !== before!.pid), 10_000);
    await h.api.removeCamera({ id });
  });

  it('restarts a SIGKILLed ffmpeg and streams again to the same client', async () => {
    const viewer = clients[0]!;
    const [proc] = ffmpegFor(cams[0]!.port);
    expect(proc).toBeDefined();
    const mark = h.statuses.length;
    process.kill(proc!.pid, 'SIGKILL');
    await h.waitForState(ids[0]!, 'reconnecting', mark);
    await h.waitForState(ids[0]!, 'live', mark);
    await waitFor('a new init and fresh fragments', () => viewer.inits.length === 2 && viewer.fragmentsSinceInit().length >= 10);
    expect(viewer.fragmentsSinceInit()[0]!.keyframe).toBe(true);
    const [again] = ffmpegFor(cams[0]!.port);
    expect(again!.pid).not.toBe(proc!.pid);
  });

  it('shows reconnecting while a camera is gone and goes live by itself when it returns', async () => {
    const mark = h.statuses.length;
    await cams[1]!.stop();
    const down = await h.waitForState(ids[1]!, 'reconnecting', mark);
    expect(down.reason).toBeTruthy();
    expect(down.health.fps).toBe(0);
    // Once it says reconnecting, it does not claim to be live until the camera is back. (Before
    // ffmpeg notices, a status may still say live: how soon it notices depends on the machine.)
    const since = h.statuses.indexOf(down);
    expect(h.statuses.slice(since).filter((s) => s.cameraId === ids[1]).map((s) => s.state)).not.toContain('live');
    await cams[1]!.start();
    await h.waitForState(ids[1]!, 'live', mark, 30_000);
    await waitFor('fragments after the camera returned', () => clients[1]!.inits.length === 2 && clients[1]!.fragmentsSinceInit().length >= 10);
  });

  it('treats a stalled camera (connection open, no data) as a failure and recovers when it resumes', async () => {
    const [server] = cameraServerProcesses(cams[2]!.port);
    expect(server).toBeDefined();
    const mark = h.statuses.length;
    process.kill(server!.pid, 'SIGSTOP');
    try {
      await h.waitForState(ids[2]!, 'reconnecting', mark, 20_000);
    } finally {
      process.kill(server!.pid, 'SIGCONT');
    }
    await h.waitForState(ids[2]!, 'live', mark, 30_000);
  });

  it('reports a wrong password as unauthorized, and the right one goes live', async () => {
    const cam = await h.api.addCamera({ name: 'Locked', url: locked.url, username: 'viewer', password: 'wrong-password' });
    const mark = h.statuses.length;
    client(cam.id);
    const status = await h.waitForState(cam.id, 'unauthorized', mark);
    expect(status.reason).toMatch(/user name or password/);
    const mark2 = h.statuses.length;
    await h.api.updateCamera({ id: cam.id, changes: { password: PASSWORD } });
    await h.waitForState(cam.id, 'live', mark2);
  });

  it('reports a closed port as unreachable', async () => {
    const dead = await startTestCamera({ codec: 'h264' });
    await dead.stop();
    const cam = await h.api.addCamera({ name: 'Nobody home', url: dead.url });
    const mark = h.statuses.length;
    client(cam.id);
    const status = await h.waitForState(cam.id, 'unreachable', mark);
    expect(status.reason).toMatch(/refused/i);
    expect(status.nextRetryAt).toBeGreaterThan(Date.now() - 1000);
  });

  it('kills the camera’s ffmpeg when the camera is removed', async () => {
    expect(ffmpegFor(cams[3]!.port)).toHaveLength(1);
    await h.api.removeCamera({ id: ids[3]! });
    expect(ffmpegFor(cams[3]!.port)).toHaveLength(0);
    await waitFor('the viewer to be told the camera is gone', () => clients[3]!.closeCode === 4410);
  });

  it('never writes the camera password to the log, the audit log or API responses', async () => {
    const log = readFileSync(join(h.dataDir, 'watchroom.log'), 'utf8');
    expect(log).toContain('stream.spawn');
    expect(log).toContain('stream.failed');
    const audit = readFileSync(join(h.dataDir, 'audit.jsonl'), 'utf8');
    expect(audit).toContain('camera.edit');
    const responses = JSON.stringify([await h.api.listCameras(), await h.api.listStreams(), await h.api.listAudit({ limit: 1000 })]);
    for (const text of [log, audit, responses]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain('wrong-password');
      expect(text).not.toContain(encodeURIComponent(PASSWORD));
    }
  });
});
