/**
 * Proves the RTSP test-camera fixture (tests/fixtures/camera-server.ts) with a
 * real ffprobe: codecs, sizes, Basic auth, and stop/start on the same port.
 */
import { execFile } from 'node:child_process';
import { describe, it, expect, afterAll } from 'vitest';
import { freePort, startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';

interface ProbeResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface ProbeStream {
  codec_name?: string;
  width?: number;
  height?: number;
}

function ffprobe(url: string): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(
      'ffprobe',
      [
        '-v', 'error',
        '-rtsp_transport', 'tcp',
        // 10 s socket I/O timeout (µs) so a misbehaving server fails the test instead of hanging it.
        '-timeout', '10000000',
        '-show_entries', 'stream=codec_name,width,height',
        '-of', 'json',
        url,
      ],
      { timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function firstStream(result: ProbeResult): ProbeStream {
  expect(result.code, result.stderr).toBe(0);
  const parsed = JSON.parse(result.stdout) as { streams?: ProbeStream[] };
  const stream = parsed.streams?.[0];
  expect(stream, result.stdout).toBeDefined();
  return stream ?? {};
}

const TIMEOUT = 30_000;

describe('RTSP test camera fixture', () => {
  afterAll(async () => {
    await stopAllTestCameras();
  });

  it('freePort returns a usable loopback port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
  });

  it('serves H.264 at the requested size', { timeout: TIMEOUT }, async () => {
    const cam = await startTestCamera({ codec: 'h264', width: 640, height: 360, label: 'cam-h264' });
    expect(cam.running).toBe(true);
    expect(cam.url).toBe(`rtsp://127.0.0.1:${cam.port}/stream`);
    expect(cam.urlWithCredentials).toBe(cam.url);
    const s = firstStream(await ffprobe(cam.url));
    expect(s).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    await cam.stop();
    expect(cam.running).toBe(false);
  });

  it('serves H.265 (hevc)', { timeout: TIMEOUT }, async () => {
    const cam = await startTestCamera({ codec: 'h265', width: 320, height: 240, fps: 15 });
    const s = firstStream(await ffprobe(cam.url));
    expect(s).toMatchObject({ codec_name: 'hevc', width: 320, height: 240 });
    await cam.stop();
  });

  it('serves MJPEG', { timeout: TIMEOUT }, async () => {
    const cam = await startTestCamera({ codec: 'mjpeg', width: 320, height: 240, fps: 10 });
    const s = firstStream(await ffprobe(cam.url));
    expect(s).toMatchObject({ codec_name: 'mjpeg', width: 320, height: 240 });
    await cam.stop();
  });

  it('requires credentials when configured', { timeout: TIMEOUT }, async () => {
    const cam = await startTestCamera({ codec: 'h264', username: 'admin', password: 'p@ss:w/rd 1' });
    expect(cam.urlWithCredentials).toBe(
      `rtsp://admin:${encodeURIComponent('p@ss:w/rd 1')}@127.0.0.1:${cam.port}/stream`,
    );

    const anonymous = await ffprobe(cam.url);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toMatch(/401|Unauthorized/);

    const wrong = await ffprobe(`rtsp://admin:wrong@127.0.0.1:${cam.port}/stream`);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/401|Unauthorized/);

    const s = firstStream(await ffprobe(cam.urlWithCredentials));
    expect(s.codec_name).toBe('h264');
    await cam.stop();
  });

  it('stop() closes the port and start() brings the camera back on the same port', { timeout: TIMEOUT }, async () => {
    const cam = await startTestCamera({ codec: 'h264', width: 320, height: 180 });
    const port = cam.port;
    expect(firstStream(await ffprobe(cam.url)).codec_name).toBe('h264');

    await cam.stop();
    expect(cam.running).toBe(false);
    await cam.stop(); // idempotent
    const down = await ffprobe(cam.url);
    expect(down.code).not.toBe(0);
    expect(down.stderr).toMatch(/Connection refused/);

    await cam.start();
    expect(cam.running).toBe(true);
    expect(cam.port).toBe(port);
    await cam.start(); // idempotent while running
    expect(firstStream(await ffprobe(cam.url))).toMatchObject({ codec_name: 'h264', width: 320, height: 180 });
  });

  it('serves several concurrent clients from one shared pipeline', { timeout: TIMEOUT }, async () => {
    // Regression: ffmpeg's "Range: npt=0.000-" used to make gst-rtsp-server
    // seek the shared live pipeline and abort on concurrent PLAYs.
    const cam = await startTestCamera({ codec: 'h264', width: 320, height: 180 });
    const results = await Promise.all([ffprobe(cam.url), ffprobe(cam.url), ffprobe(cam.url)]);
    for (const r of results) expect(firstStream(r).codec_name).toBe('h264');
    expect(cam.running).toBe(true);
    await cam.stop();
  });

  it('fails clearly when the port is already taken', { timeout: TIMEOUT }, async () => {
    const first = await startTestCamera({ codec: 'mjpeg', width: 160, height: 120, fps: 5 });
    await expect(startTestCamera({ codec: 'mjpeg', port: first.port })).rejects.toThrow(/cannot bind/);
    expect(first.running).toBe(true);
    await first.stop();
  });
});
