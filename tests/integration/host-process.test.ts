/**
 * The watchroom-host CLI as a real process: its ready line, its camera import, and that it leaves no
 * ffmpeg behind on SIGINT, SIGTERM, or even when it is SIGKILLed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { LiveClient } from '../fixtures/live-client.js';
import { ffmpegFor } from '../fixtures/process-table.js';
import { waitFor } from '../fixtures/wait-for.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'electron', 'cli', 'watchroom-host.js');
let cams: TestCamera[] = [];

beforeAll(async () => {
  cams = await Promise.all([1, 2].map((n) => startTestCamera({ codec: 'h264', label: `Host ${n}` })));
});
afterAll(async () => stopAllTestCameras());

interface HostProcess {
  child: ChildProcessWithoutNullStreams;
  url: URL;
  stderr: () => string;
}

async function startHostProcess(args: string[]): Promise<HostProcess> {
  const child = spawn(process.execPath, [CLI, '--port', '0', ...args]);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout });
  const line = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`watchroom-host exited ${code}: ${stderr}`)));
  });
  const m = /^Watchroom listening at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/.exec(line);
  if (!m) throw new Error(`Unexpected ready line: ${line}`);
  return { child, url: new URL(m[1]!), stderr: () => stderr };
}

function camerasFile(format: 'json' | 'csv'): string {
  const dir = mkdtempSync(join(tmpdir(), 'watchroom-cams-'));
  const file = join(dir, `cameras.${format}`);
  writeFileSync(
    file,
    format === 'json'
      ? JSON.stringify(cams.map((c, i) => ({ name: `Host ${i + 1}`, url: c.url })))
      : `name,url,subUrl\n${cams.map((c, i) => `Host ${i + 1},${c.url},`).join('\n')}\n`,
  );
  return file;
}

async function watchAll(host: HostProcess): Promise<LiveClient[]> {
  const token = host.url.searchParams.get('token')!;
  const res = await fetch(new URL('/api/listCameras', host.url.origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `watchroom_token_${host.url.port}=${token}` },
    body: '{}',
  });
  const { result } = (await res.json()) as { result: Array<{ id: string; name: string }> };
  expect(result.map((c) => c.name)).toEqual(['Host 1', 'Host 2']);
  const viewers = result.map((c) => new LiveClient(host.url.origin, c.id, token));
  await waitFor('both cameras streaming', () => viewers.every((v) => v.fragments.length > 5));
  expect(cams.map((c) => ffmpegFor(c.port).length)).toEqual([1, 1]);
  return viewers;
}

describe('watchroom-host process', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`exits cleanly on ${signal} with no ffmpeg left in the process table`, async () => {
      const host = await startHostProcess(['--data', mkdtempSync(join(tmpdir(), 'wr-data-')), '--cameras', camerasFile(signal === 'SIGINT' ? 'json' : 'csv')]);
      const viewers = await watchAll(host);
      const exited = new Promise<number | null>((resolve) => host.child.once('exit', resolve));
      host.child.kill(signal);
      expect(await exited).toBe(0);
      expect(cams.map((c) => ffmpegFor(c.port).length)).toEqual([0, 0]);
      await Promise.all(viewers.map((v) => v.close()));
    });
  }

  it('takes its ffmpeg children with it even when SIGKILLed', async () => {
    const host = await startHostProcess(['--data', mkdtempSync(join(tmpdir(), 'wr-data-')), '--cameras', camerasFile('json')]);
    const viewers = await watchAll(host);
    host.child.kill('SIGKILL');
    await waitFor('ffmpeg to die with its parent', () => cams.every((c) => ffmpegFor(c.port).length === 0), 5_000);
    await Promise.all(viewers.map((v) => v.close()));
  });

  it('imports the same camera file again on restart without duplicating cameras', async () => {
    const data = mkdtempSync(join(tmpdir(), 'wr-data-'));
    const file = camerasFile('json');
    for (let run = 0; run < 2; run++) {
      const host = await startHostProcess(['--data', data, '--cameras', file]);
      await Promise.all((await watchAll(host)).map((v) => v.close()));
      host.child.kill('SIGTERM');
      await new Promise((r) => host.child.once('exit', r));
      expect(host.stderr()).toContain(run === 0 ? 'Imported 2 camera(s)' : 'Imported 0 camera(s)');
    }
  });

  it('refuses a camera file with a bad row, naming the row, and imports nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wr-bad-'));
    const file = join(dir, 'cameras.json');
    writeFileSync(file, JSON.stringify([{ name: 'Good', url: cams[0]!.url }, { name: 'Bad', url: 'http://10.0.0.1/x' }]));
    const child = spawn(process.execPath, [CLI, '--port', '0', '--data', join(dir, 'data'), '--cameras', file]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(2);
    expect(stderr).toMatch(/Row 2: Only rtsp:\/\/ and rtsps:\/\/ addresses are supported/);
    const settings = join(dir, 'data', 'settings.json');
    expect(existsSync(settings) ? readFileSync(settings, 'utf8') : '').not.toContain('Good');
  });
});
