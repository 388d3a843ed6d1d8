import { describe, expect, it } from 'vitest';
import { classifyFailure, parseInputVideoCodec } from '../../electron/core/streams/ffmpeg-stderr.js';

// Lines captured from ffmpeg 5.1 against GStreamer's rtsp-server on these machines.
const CAPTURED = {
  wrongPassword: [
    '[rtsp @ 0x5606bf683940] method DESCRIBE failed: 401 Unauthorized',
    'rtsp://127.0.0.1:18610/stream: Server returned 401 Unauthorized (authorization failed)',
  ],
  closedPort: [
    '[tcp @ 0x563a5215b5c0] Connection to tcp://127.0.0.1:18610?timeout=5000000 failed: Connection refused',
    'rtsp://127.0.0.1:18610/stream: Connection refused',
  ],
  hungServer: ['rtsp://127.0.0.1:18601/stream: Connection timed out'],
  // A camera killed mid-stream: ffmpeg prints nothing wrong and exits 0.
  serverKilled: ['No more output streams to write to, finishing.', 'frame=  250 fps= 25 q=-1.0 Lsize=    1234kB time=00:00:10.00 bitrate=1000.0kbits/s speed=   1x'],
  notFound: ['[rtsp @ 0x55d] method DESCRIBE failed: 404 Not Found', 'rtsp://10.0.0.5/nope: Server returned 404 Not Found'],
  noVideo: ["Stream map '0:v:0' matches no streams.", 'To ignore this, add a trailing \'?\' to the map.'],
  dns: ['[tcp @ 0x5] Failed to resolve hostname camera.invalid: Name or service not known'],
};

describe('classifyFailure', () => {
  it('maps captured ffmpeg output to the state an operator can act on', () => {
    expect(classifyFailure(CAPTURED.wrongPassword)).toEqual({ kind: 'unauthorized', reason: 'The camera refused the user name or password.' });
    expect(classifyFailure(CAPTURED.closedPort).kind).toBe('unreachable');
    expect(classifyFailure(CAPTURED.closedPort).reason).toMatch(/refused/);
    expect(classifyFailure(CAPTURED.hungServer)).toEqual({ kind: 'unreachable', reason: 'The camera did not answer in time.' });
    expect(classifyFailure(CAPTURED.notFound).reason).toMatch(/404/);
    expect(classifyFailure(CAPTURED.dns).reason).toMatch(/host name/);
    expect(classifyFailure(CAPTURED.noVideo)).toEqual({ kind: 'unsupported', reason: 'The stream has no video track.' });
  });
  it('treats a silent end as a dropped stream', () => {
    expect(classifyFailure(CAPTURED.serverKilled)).toEqual({ kind: 'dropped', reason: 'The stream stopped.' });
    expect(classifyFailure([])).toEqual({ kind: 'dropped', reason: 'The stream stopped.' });
  });
});

describe('parseInputVideoCodec', () => {
  it('reads the codec of the input video stream', () => {
    expect(parseInputVideoCodec('  Stream #0:0: Video: h264 (High), yuv420p(progressive), 1280x720, 25 fps, 25 tbr, 90k tbn')).toBe('h264');
    expect(parseInputVideoCodec('  Stream #0:0: Video: hevc (Main), yuv420p(tv), 640x360, 15 fps, 15 tbr, 90k tbn')).toBe('hevc');
    expect(parseInputVideoCodec('  Stream #0:1[0x101](und): Video: mjpeg (Baseline), yuvj420p(pc, bt470bg/unknown/unknown), 640x360')).toBe('mjpeg');
    expect(parseInputVideoCodec('  Stream #0:0: Audio: aac (LC), 48000 Hz, mono, fltp')).toBeNull();
    expect(parseInputVideoCodec('Output #0, mp4, to \'pipe:1\':')).toBeNull();
  });
});
