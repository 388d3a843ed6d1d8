/**
 * Why a camera failed is read from everything ffmpeg said, including the lines that reach us after
 * it exited: on a busy machine a process's exit can be seen before its last stderr lines are read.
 * Real ffmpeg; its stderr is handed on late by a shell wrapper, the way a loaded machine delays it.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { LiveClient } from '../fixtures/live-client.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';

let h: TestHost;
const clients: LiveClient[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'late-stderr-'));
  const wrapper = join(dir, 'ffmpeg-late-stderr');
  writeFileSync(
    wrapper,
    ['#!/bin/sh', `ffmpeg "$@" 2>"${dir}/stderr.$$"`, 'status=$?', `( sleep 0.5; cat "${dir}/stderr.$$" >&2 ) &`, 'exit $status', ''].join('\n'),
  );
  chmodSync(wrapper, 0o755);
  h = await startTestHost({ ffmpegPath: wrapper });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await h?.close();
  await stopAllTestCameras();
});

it('a closed port is unreachable from its first failure, though ffmpeg’s words come after its exit', async () => {
  const dead = await startTestCamera({ codec: 'h264' });
  await dead.stop();
  const cam = await h.api.addCamera({ name: 'Nobody home', url: dead.url });
  const mark = h.statuses.length;
  clients.push(new LiveClient(h.baseUrl, cam.id, h.token));
  const failed = await h.waitForState(cam.id, 'unreachable', mark);
  expect(failed.reason).toMatch(/refused/i);
  // Not first shown as a dropped stream that is reconnecting: the first failure already says why.
  const afterStart = h.statuses.slice(mark).filter((s) => s.cameraId === cam.id && s.state !== 'connecting');
  expect(afterStart[0]?.state).toBe('unreachable');
});
