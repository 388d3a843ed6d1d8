/**
 * Proves the replay camera server (tests/fixtures/replay-camera-server.ts) with real ffprobe and
 * ffmpeg, and that Watchroom's own core records one of its cameras.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayCameraServer, type ReplayCameraServer } from '../fixtures/replay-camera-server.js';
import { startTestHost } from '../fixtures/test-host.js';
import { probeSeconds, sha256 } from '../fixtures/recording-checks.js';
import { waitFor } from '../fixtures/wait-for.js';

const FPS = 25;
const LOOP_FRAMES = 10 * FPS;
const RTP_TICKS_PER_FRAME = 90_000 / FPS;

interface Probe {
  code: number;
  stderr: string;
  ms: number;
  packets: Array<{ pts?: number; size: string; flags: string }>;
  frames: Array<{ pts?: number; key_frame: number }>;
}

/** ffprobe reads `packets` packets of a mount over RTSP/TCP, decoding each (so decoder errors reach stderr). */
function probe(url: string, packets: number, decode = true): Promise<Probe> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      'ffprobe',
      [
        '-v', 'error',
        '-rtsp_transport', 'tcp',
        '-timeout', '10000000',
        '-read_intervals', `%+#${packets}`,
        '-show_entries', `packet=pts,size,flags${decode ? ':frame=pts,key_frame' : ''}`,
        ...(decode ? ['-show_frames'] : []),
        '-show_packets',
        '-of', 'json',
        url,
      ],
      { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        // With frames shown too, ffprobe lists packets and frames in one array, in reading order.
        type Entry = (Probe['packets'][number] & { type: 'packet' }) | (Probe['frames'][number] & { type: 'frame' });
        const parsed = code === 0 ? (JSON.parse(stdout) as { packets?: Probe['packets']; packets_and_frames?: Entry[] }) : {};
        const both = parsed.packets_and_frames ?? [];
        resolve({
          code,
          stderr,
          ms: Date.now() - started,
          packets: parsed.packets ?? both.filter((e) => e.type === 'packet'),
          frames: both.filter((e) => e.type === 'frame'),
        });
      },
    );
  });
}

/** Packet timestamps after the first: ffmpeg's RTSP demuxer gives the very first none (a GStreamer camera's alike). */
function timestampsAfterFirst(p: Probe): number[] {
  return p.packets.slice(1).map((x) => x.pts!);
}

let server: ReplayCameraServer;

beforeAll(async () => {
  server = await startReplayCameraServer({
    mounts: [...Array.from({ length: 20 }, (_, i) => ({ path: `cam${i + 1}` })), { path: 'locked', username: 'viewer', password: 'p@ss word' }],
  });
}, 300_000); // the first run of a machine encodes the clip
afterAll(async () => server?.close());

describe('replay camera server', () => {
  it('plays a mount past its loop point: every frame decodes, timestamps rise one frame at a time across the loop, at 25 fps pace', async () => {
    const packets = LOOP_FRAMES + 3 * FPS; // 13 s: a loop and then some
    const p = await probe(server.url('cam1'), packets);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    expect(p.packets).toHaveLength(packets);
    expect(p.frames).toHaveLength(packets);
    const pts = timestampsAfterFirst(p);
    for (let i = 1; i < pts.length; i++) expect(pts[i]! - pts[i - 1]!, `packet ${i + 1}`).toBe(RTP_TICKS_PER_FRAME);
    // The second loop is the first one again, byte for byte, keyframes (every 2 s) included.
    for (let i = 0; i < packets - LOOP_FRAMES; i++) expect(p.packets[i + LOOP_FRAMES]!.size).toBe(p.packets[i]!.size);
    expect(p.packets.map((x, i) => (x.flags.startsWith('K') ? i : -1)).filter((i) => i >= 0)).toEqual([0, 50, 100, 150, 200, 250, 300]);
    // Sent in real time, not as fast as the socket takes it: 13 s of video cannot arrive sooner.
    expect(p.ms).toBeGreaterThanOrEqual(((packets - 1) / FPS) * 1000 - 200);
  });

  it('plays two clients on one mount and 20 mounts at once', async () => {
    const urls = [server.url('cam1'), ...Array.from({ length: 20 }, (_, i) => server.url(`cam${i + 1}`))];
    const packets = 2 * FPS;
    // Copy only (no decode): 21 decoders of 720p would measure this machine, not the server.
    const probes = await Promise.all(urls.map((url) => probe(url, packets, false)));
    for (const [i, p] of probes.entries()) {
      expect(p.stderr, urls[i]).toBe('');
      expect(p.packets, urls[i]).toHaveLength(packets);
      const pts = timestampsAfterFirst(p);
      for (let k = 1; k < pts.length; k++) expect(pts[k]! - pts[k - 1]!, urls[i]).toBe(RTP_TICKS_PER_FRAME);
      expect(p.packets[0]!.flags.startsWith('K'), `${urls[i]} begins on a keyframe`).toBe(true);
    }
    // Mounts begin at different keyframes of the clip, so a wall of them does not show one picture.
    expect(new Set(probes.slice(1).map((p) => p.packets[0]!.size)).size).toBeGreaterThan(1);
  });

  it('asks for the password of a protected mount, refuses a wrong one and plays with the right one', async () => {
    const none = await probe(server.url('locked'), 5, false);
    expect(none.stderr).toContain('401 Unauthorized');
    const wrong = await probe(server.url('locked').replace('rtsp://', 'rtsp://viewer:wrong@'), 5, false);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('401 Unauthorized');
    const right = await probe(server.url('locked', true), 5, false);
    expect(right.stderr).toBe('');
    expect(right.packets).toHaveLength(5);
  });

  it('answers 404 for a mount it does not have', async () => {
    const p = await probe(server.url('cam21'), 5, false);
    expect(p.code).not.toBe(0);
    expect(p.stderr).toContain('404 Not Found');
  });

  it('answers a keep-alive amid the video, and drops a client that stops reading instead of buffering for it', async () => {
    const small = await startReplayCameraServer({ mounts: 1, maxBufferedBytes: 256 * 1024 });
    try {
      const socket = connect(small.port, '127.0.0.1');
      await once(socket, 'connect');
      let received = '';
      const onData = (d: Buffer) => (received += d.toString('latin1'));
      socket.on('data', onData);
      const request = async (method: string, uri: string, headers: string) => {
        received = '';
        socket.write(`${method} ${uri} RTSP/1.0\r\nCSeq: 1\r\n${headers}\r\n`);
        return waitFor(`the answer to ${method}`, () => received.includes('\r\n\r\n') && received.split('\r\n\r\n')[0]);
      };
      const setup = await request('SETUP', `${small.url('cam1')}/track1`, 'Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n');
      const session = /Session: (\w+)/.exec(setup)![1]!;
      expect(await request('PLAY', small.url('cam1'), `Session: ${session}\r\n`)).toMatch(/^RTSP\/1\.0 200 OK/);
      await waitFor('the session playing', () => small.stats().playing === 1);
      // Mid-stream: the client's RTCP (interleaved like the RTP) is skipped, and a keep-alive answered.
      socket.write(Buffer.from([0x24, 1, 0, 4, 0x81, 0xc9, 0, 0]));
      socket.write(`GET_PARAMETER ${small.url('cam1')} RTSP/1.0\r\nCSeq: 7\r\nSession: ${session}\r\n\r\n`);
      await waitFor('the keep-alive answered', () => received.includes('RTSP/1.0 200 OK\r\nCSeq: 7'));
      // Stops reading: the kernel's buffers fill, then the server's own 256 KiB, then it is dropped.
      socket.off('data', onData);
      socket.pause();
      await waitFor('the stalled client dropped', () => small.stats().dropped === 1, 60_000);
      expect(small.stats().playing).toBe(0);
      const after = await probe(small.url('cam1'), 10, false);
      expect(after.packets).toHaveLength(10);
      socket.destroy();
    } finally {
      await small.close();
    }
  }, 180_000);

  it('is recorded by Watchroom’s core like a camera: contiguous, whole-frame, hashed segments', async () => {
    const h = await startTestHost();
    try {
      await h.core.ready;
      const { id } = await h.api.addCamera({ name: 'Replay 1', url: server.url('cam2') });
      const index = h.core.recordings.index;
      await waitFor('two closed segments', () => index.segments(id, 0, Date.now() + 60_000).length >= 2, 60_000);
      const segments = index.segments(id, 0, Date.now() + 60_000);
      expect(segments[1]!.startMs - segments[0]!.endMs).toBeLessThanOrEqual(100);
      for (const s of segments) {
        const file = join(h.core.recordings.root, s.path);
        expect(sha256(file)).toBe(s.sha256);
        // Its length on disk is the time it covers: 25 frames a second went in.
        expect(Math.abs(probeSeconds(file) - (s.endMs - s.startMs) / 1000)).toBeLessThan(0.5);
      }
    } finally {
      await h.close();
    }
  }, 180_000);
});
