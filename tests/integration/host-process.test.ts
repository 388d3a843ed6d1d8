/**
 * The watchroom-host CLI as a real process: its ready line, its camera import, and that it leaves no
 * ffmpeg behind on SIGINT, SIGTERM, or even when it is SIGKILLed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { LiveClient } from '../fixtures/live-client.js';
import { ffmpegFor } from '../fixtures/process-table.js';
import { waitFor } from '../fixtures/wait-for.js';
import { HOST_CLI, startHostProcess, tempDataDir, writeCameraFile, type HostProcess } from '../fixtures/host-process.js';

let cams: TestCamera[] = [];

beforeAll(async () => {
  cams = await Promise.all([1, 2].map((n) => startTestCamera({ codec: 'h264', label: `Host ${n}` })));
});
afterAll(async () => stopAllTestCameras());

const camerasFile = (format: 'json' | 'csv') => writeCameraFile(cams.map((c, i) => ({ name: `Host ${i + 1}`, url: c.url })), format);

async function watchAll(host: HostProcess): Promise<LiveClient[]> {
  const token = host.token;
  const result = await host.call('listCameras');
  expect(result.map((c) => c.name)).toEqual(['Host 1', 'Host 2']);
  const viewers = result.map((c) => new LiveClient(host.url.origin, c.id, token));
  await waitFor('both cameras streaming', () => viewers.every((v) => v.fragments.length > 5));
  expect(cams.map((c) => ffmpegFor(c.port).length)).toEqual([1, 1]);
  return viewers;
}

describe('watchroom-host process', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`exits cleanly on ${signal} with no ffmpeg left in the process table`, async () => {
      const host = await startHostProcess(['--data', tempDataDir(), '--cameras', camerasFile(signal === 'SIGINT' ? 'json' : 'csv')]);
      const viewers = await watchAll(host);
      expect(await host.stop(signal)).toBe(0);
      expect(cams.map((c) => ffmpegFor(c.port).length)).toEqual([0, 0]);
      await Promise.all(viewers.map((v) => v.close()));
    });
  }

  it('takes its ffmpeg children with it even when SIGKILLed', async () => {
    const host = await startHostProcess(['--data', tempDataDir(), '--cameras', camerasFile('json')]);
    const viewers = await watchAll(host);
    host.child.kill('SIGKILL');
    await waitFor('ffmpeg to die with its parent', () => cams.every((c) => ffmpegFor(c.port).length === 0), 5_000);
    await Promise.all(viewers.map((v) => v.close()));
  });

  it('imports the same camera file again on restart without duplicating cameras', async () => {
    const data = tempDataDir();
    const file = camerasFile('json');
    for (let run = 0; run < 2; run++) {
      const host = await startHostProcess(['--data', data, '--cameras', file]);
      await Promise.all((await watchAll(host)).map((v) => v.close()));
      await host.stop();
      expect(host.stderr()).toContain(run === 0 ? 'Imported 2 camera(s)' : 'Imported 0 camera(s)');
    }
  });

  it('refuses a camera file with a bad row, naming the row, and imports nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wr-bad-'));
    const file = join(dir, 'cameras.json');
    writeFileSync(file, JSON.stringify([{ name: 'Good', url: cams[0]!.url }, { name: 'Bad', url: 'http://127.0.0.1/x' }]));
    const child = spawn(process.execPath, [HOST_CLI, '--port', '0', '--data', join(dir, 'data'), '--cameras', file]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(2);
    expect(stderr).toMatch(/Entry 2: Only rtsp:\/\/ and rtsps:\/\/ addresses are supported/);
    const settings = join(dir, 'data', 'settings.json');
    expect(existsSync(settings) ? readFileSync(settings, 'utf8') : '').not.toContain('Good');
  });
});
