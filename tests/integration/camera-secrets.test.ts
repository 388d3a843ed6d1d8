/**
 * Camera passwords against real password-protected RTSP cameras (basic and digest), real ffmpeg and
 * the real process table: no password on any command line or in any ffmpeg's environment while the
 * cameras record, and none in plain text on disk.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { LiveClient } from '../fixtures/live-client.js';
import { ffmpegFor, ffmpegProcesses, processEnvironment } from '../fixtures/process-table.js';
import { waitFor } from '../fixtures/wait-for.js';
import { secretKeyFile } from '../../electron/core/settings/secret-box.js';

// Characters that survive encodeURIComponent, and one the ffconcat script has to quote.
const BASIC_PASSWORD = "Sup3r'Secret!(basic)";
const DIGEST_PASSWORD = 'Dig3st*Secret~pw';
const PASSWORDS = [BASIC_PASSWORD, DIGEST_PASSWORD];

let basic: TestCamera;
let basicSub: TestCamera;
let digest: TestCamera;
let h: TestHost;
const clients: LiveClient[] = [];

/** Every sighting of a password: in any process's arguments, or in an ffmpeg's environment. */
const leaks = new Set<string>();
let samples = 0;
const ffmpegsSeen = new Set<number>();

function pollProcessTable(): void {
  const table = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  for (const ffmpeg of ffmpegProcesses()) {
    ffmpegsSeen.add(ffmpeg.pid);
    const environment = processEnvironment(ffmpeg.pid);
    for (const p of PASSWORDS) if (environment.includes(p) || environment.includes(encodeURIComponent(p))) leaks.add(`environment of ffmpeg ${ffmpeg.pid}`);
  }
  for (const line of table.split('\n')) {
    // The test cameras themselves are given their password on their command line.
    if (line.includes('rtsp-camera-server.py')) continue;
    for (const p of PASSWORDS) if (line.includes(p) || line.includes(encodeURIComponent(p))) leaks.add(line);
  }
  samples++;
}

beforeAll(async () => {
  [basic, basicSub, digest] = await Promise.all([
    startTestCamera({ username: 'operator', password: BASIC_PASSWORD, label: 'Basic' }),
    startTestCamera({ username: 'operator', password: BASIC_PASSWORD, width: 320, height: 180, label: 'Basic (sub)' }),
    startTestCamera({ username: 'viewer', password: DIGEST_PASSWORD, auth: 'digest', label: 'Digest' }),
  ]);
  h = await startTestHost({ segmentSeconds: 2 });
  await h.core.ready;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await h?.close();
  await stopAllTestCameras();
});

describe('camera passwords', () => {
  let basicId: string;
  let digestId: string;

  it('keeps every password off the process table while cameras with passwords record, show live and restart', async () => {
    const poller = setInterval(pollProcessTable, 50);
    try {
      basicId = (await h.api.addCamera({ name: 'Basic', url: basic.url, subUrl: basicSub.url, username: 'operator', password: BASIC_PASSWORD })).id;
      digestId = (await h.api.addCamera({ name: 'Digest', url: digest.url, username: 'viewer', password: DIGEST_PASSWORD })).id;
      const index = h.core.recordings.index;
      const recorded = (id: string) => index.segments(id, 0, Date.now() + 60_000).length;
      await waitFor('a closed segment from each camera', () => recorded(basicId) >= 1 && recorded(digestId) >= 1, 40_000);
      const viewers = [new LiveClient(h.baseUrl, basicId, h.token, 'sub'), new LiveClient(h.baseUrl, digestId, h.token)];
      clients.push(...viewers);
      await waitFor('live fragments from the sub-stream and the digest camera', () => viewers.every((v) => v.fragments.length >= 10), 30_000);
      expect(ffmpegFor(basicSub.port)).toHaveLength(1);

      // A restarted ffmpeg is given the password again the same way.
      const [killed] = ffmpegFor(digest.port);
      const mark = h.statuses.length;
      process.kill(killed!.pid, 'SIGKILL');
      await h.waitForState(digestId, 'live', mark, 30_000);
      await waitFor('fresh fragments after the restart', () => viewers[1]!.inits.length === 2 && viewers[1]!.fragmentsSinceInit().length >= 5, 30_000);
      const [again] = ffmpegFor(digest.port);
      expect(again!.pid).not.toBe(killed!.pid);
    } finally {
      clearInterval(poller);
    }
    pollProcessTable();
    // The poll really watched the cameras' ffmpegs: main and sub of one, main (twice) of the other.
    expect(samples).toBeGreaterThan(20);
    expect(ffmpegsSeen.size).toBeGreaterThanOrEqual(4);
    expect([...leaks]).toEqual([]);
  });

  it('stores the passwords encrypted, under a key file only the app’s user can read, and logs none', () => {
    const credentials = readFileSync(join(h.dataDir, 'credentials.json'), 'utf8');
    const log = readFileSync(join(h.dataDir, 'watchroom.log'), 'utf8');
    expect(log).toContain('stream.failed'); // the SIGKILLed run, with its stderr
    for (const p of PASSWORDS) expect(log).not.toContain(p);
    expect(Object.keys((JSON.parse(credentials) as { sealed: object }).sealed).sort()).toEqual([basicId, digestId].sort());
    for (const p of PASSWORDS) {
      expect(credentials).not.toContain(p);
      expect(credentials).not.toContain(encodeURIComponent(p));
    }
    expect(statSync(secretKeyFile(h.dataDir)).mode & 0o777).toBe(0o600);
    expect(statSync(join(h.dataDir, 'keys')).mode & 0o777).toBe(0o700);
    expect(statSync(join(h.dataDir, 'credentials.json')).mode & 0o777).toBe(0o600);
  });

  it('after a restart, reads the passwords back; one that cannot be read is a camera error, and entering it again fixes it', async () => {
    const dataDir = h.dataDir;
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await h.host.close();
    await h.core.close();
    // The digest camera's stored password is damaged while Watchroom is stopped.
    const file = join(dataDir, 'credentials.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { sealed: Record<string, string> };
    stored.sealed[digestId] = `v1:${Buffer.from('not what was sealed, not at all').toString('base64')}`;
    writeFileSync(file, JSON.stringify(stored));

    h = await startTestHost({ dataDir, segmentSeconds: 2 });
    const broken = await h.waitForState(digestId, 'unauthorized', 0, 30_000);
    expect(broken.reason).toMatch(/stored password .* cannot be read.*enter it again/);
    await h.waitForState(basicId, 'live', 0, 30_000);
    expect((await h.api.listCameras()).map((c) => [c.name, c.hasPassword])).toEqual([['Basic', true], ['Digest', true]]);

    // Renaming it keeps what is stored: nothing is lost until a password is entered.
    await h.api.updateCamera({ id: digestId, changes: { name: 'Digest (door)' } });
    expect((JSON.parse(readFileSync(file, 'utf8')) as { sealed: Record<string, string> }).sealed[digestId]).toBe(stored.sealed[digestId]);

    const mark = h.statuses.length;
    await h.api.updateCamera({ id: digestId, changes: { password: DIGEST_PASSWORD } });
    await h.waitForState(digestId, 'live', mark, 30_000);
  });
});
