import { describe, expect, it } from 'vitest';
import { formatRtspUrl, parseRtspUrl, redactSecrets } from '../../electron/core/cameras/rtsp-url.js';

function ok(raw: string) {
  const r = parseRtspUrl(raw);
  if (!r.ok) throw new Error(`expected ${raw} to parse: ${r.errors[0]?.message}`);
  return r.url;
}
function errorCode(raw: string, field = 'url') {
  const r = parseRtspUrl(raw, field);
  if (r.ok) throw new Error(`expected ${raw} to be rejected`);
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0]!.field).toBe(field);
  expect(r.errors[0]!.message.length).toBeGreaterThan(10);
  return r.errors[0]!.code;
}

describe('parseRtspUrl', () => {
  it('parses host, port, path and credentials', () => {
    expect(ok('rtsp://admin:s3cret@192.168.1.20:8554/Streaming/Channels/101?transportmode=unicast')).toEqual({
      scheme: 'rtsp', host: '192.168.1.20', port: 8554, path: '/Streaming/Channels/101?transportmode=unicast', username: 'admin', password: 's3cret',
    });
    expect(ok('RTSPS://Cam-1.example.org/live')).toMatchObject({ scheme: 'rtsps', host: 'cam-1.example.org', port: 322, path: '/live' });
    expect(ok('rtsp://[fe80::1]:554')).toMatchObject({ host: '[fe80::1]', port: 554, path: '/' });
  });

  it('accepts passwords with @ and %-escapes', () => {
    expect(ok('rtsp://user:p@ss:w%2Frd@10.0.0.5/s')).toMatchObject({ username: 'user', password: 'p@ss:w/rd', host: '10.0.0.5' });
  });

  it('gives one clear error per faulty part', () => {
    expect(errorCode('')).toBe('camera.url.required');
    expect(errorCode('http://10.0.0.5/stream')).toBe('camera.url.scheme');
    expect(errorCode('10.0.0.5/stream')).toBe('camera.url.malformed');
    expect(errorCode('rtsp://10.0.0.5/has space')).toBe('camera.url.malformed');
    expect(errorCode('rtsp:///stream')).toBe('camera.url.host');
    expect(errorCode('rtsp://300.1.1.1/stream')).toBe('camera.url.host');
    expect(errorCode('rtsp://cam_1!/stream')).toBe('camera.url.host');
    expect(errorCode('rtsp://10.0.0.5:99999/stream')).toBe('camera.url.port');
    expect(errorCode('rtsp://10.0.0.5:0/stream')).toBe('camera.url.port');
    expect(errorCode('rtsp://10.0.0.5:abc/stream')).toBe('camera.url.port');
    expect(errorCode('rtsp://10.0.0.5/a<b>')).toBe('camera.url.path');
    expect(errorCode('rtsp://10.0.0.5/bad%zz')).toBe('camera.url.path');
    expect(errorCode('rtsp://u:%E0%A4%A@10.0.0.5/')).toBe('camera.url.credentials');
    expect(errorCode('ftp://x/y', 'subUrl')).toBe('camera.subUrl.scheme');
  });
});

describe('formatRtspUrl and redaction', () => {
  it('formats without credentials unless asked, omitting default ports', () => {
    const url = ok('rtsp://admin:s3cret@cam.local:554/live');
    expect(formatRtspUrl(url)).toBe('rtsp://cam.local/live');
    expect(formatRtspUrl(url, { username: 'admin', password: 'p@ss word' })).toBe('rtsp://admin:p%40ss%20word@cam.local/live');
    expect(formatRtspUrl(ok('rtsp://cam.local:8554/x'))).toBe('rtsp://cam.local:8554/x');
  });

  it('removes user info from every URL in free text and every known secret', () => {
    const line = "Input #0, rtsp, from 'rtsp://admin:hunter2@10.0.0.5:554/live': and rtsps://x@h/ also hunter2 and p%40ss";
    const out = redactSecrets(line, ['hunter2', 'p@ss']);
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('admin:');
    expect(out).not.toContain('p%40ss');
    expect(out).toContain("'rtsp://10.0.0.5:554/live'");
    expect(out).toContain('rtsps://h/');
  });
});
