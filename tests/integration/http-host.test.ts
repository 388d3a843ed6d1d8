/**
 * The browser shell's boundary: sessions in a header and a WebSocket sub-protocol (never a cookie),
 * signed media links, Host/Origin checks, request validation, and camera field errors through the
 * real HTTP API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import WebSocket from 'ws';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { API_METHODS, CONTRACT } from '../../shared/contract.js';
import { sessionProtocol, WS_PROTOCOL } from '../../shared/session-transport.js';
import { TEST_PASSWORD } from '../fixtures/people.js';

let h: TestHost;
let authorization: string;

beforeAll(async () => {
  h = await startTestHost();
  authorization = `Bearer ${h.token}`;
});
afterAll(async () => h?.close());

function post(method: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${h.baseUrl}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Opens a WebSocket offering `protocols`; says `open <accepted protocol>` or why not. */
function upgrade(path: string, protocols: string[], headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${h.host.port}${path}`, protocols, { headers });
    ws.once('open', () => (ws.close(), resolve(`open ${ws.protocol}`)));
    ws.once('error', (e) => resolve(e.message));
  });
}
const signedIn = () => [WS_PROTOCOL, sessionProtocol(h.token)];

describe('browser shell access', () => {
  it('listens on loopback only, and prints an address that carries no secret', () => {
    expect(h.host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves the page to anyone on the machine, but sets no cookie and answers no call without a session', async () => {
    const page = await fetch(`${h.baseUrl}/`);
    expect(page.headers.get('set-cookie')).toBeNull();
    for (const method of API_METHODS) {
      const res = await fetch(`${h.baseUrl}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      if (CONTRACT[method].access === 'public') expect(res.status, method).not.toBe(401);
      else expect([method, res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([method, 401, 'auth.required']);
    }
    expect((await post('listCameras', {}, { authorization: 'Bearer not-a-session-0123456789' })).status).toBe(401);
    expect((await post('listCameras', {}, { authorization: '' , cookie: `watchroom_token_${h.host.port}=${h.token}` })).status).toBe(401);
    expect((await post('listCameras', {}, { authorization: h.token })).status).toBe(401);
  });

  it('signs a person in and out; a signed-out session answers nothing more', async () => {
    const signIn = await post('signIn', { arg: { name: 'tester', password: TEST_PASSWORD } }, { authorization: '' });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get('set-cookie')).toBeNull();
    const { token } = ((await signIn.json()) as { result: { token: string } }).result;
    expect((await post('listCameras', {}, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await post('signOut', {}, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await post('listCameras', {}, { authorization: `Bearer ${token}` })).status).toBe(401);
    const wrong = await post('signIn', { arg: { name: 'tester', password: 'not the password' } }, { authorization: '' });
    expect([wrong.status, ((await wrong.json()) as { error: { code: string } }).error.code]).toEqual([401, 'auth.bad-credentials']);
  });

  it('refuses a foreign Host (DNS rebinding)', async () => {
    // An attacker's name pointing at 127.0.0.1 carries its own Host header
    // (fetch will not send a custom Host, so this one goes through node:http).
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: h.host.port, path: '/api/listCameras', method: 'POST', headers: { host: `evil.example:${h.host.port}`, authorization, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.once('error', reject);
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('refuses cross-origin API calls, wrong content types and malformed JSON', async () => {
    expect((await post('listCameras', {}, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post('listCameras', {}, { 'content-type': 'text/plain' })).status).toBe(415);
    const bad = await post('listCameras', '{oops');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('api.malformed-json');
    expect((await fetch(`${h.baseUrl}/api/listCameras`, { headers: { authorization } })).status).toBe(405);
  });

  it('sends a strict Content-Security-Policy and no-sniff on every response', async () => {
    const res = await fetch(`${h.baseUrl}/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('opens WebSockets only for a session offered as a sub-protocol, never echoing it, and never from another origin', async () => {
    expect(await upgrade('/events', signedIn())).toBe(`open ${WS_PROTOCOL}`);
    expect(await upgrade('/events', [WS_PROTOCOL])).toMatch(/401/);
    expect(await upgrade('/events', [WS_PROTOCOL, sessionProtocol('not-a-session-0123456789')])).toMatch(/401/);
    expect(await upgrade(`/events?token=${h.token}`, [WS_PROTOCOL])).toMatch(/401/);
    expect(await upgrade('/events', [WS_PROTOCOL], { cookie: `watchroom_token_${h.host.port}=${h.token}` })).toMatch(/401/);
    expect(await upgrade('/events', signedIn(), { origin: 'https://evil.example' })).toMatch(/401/);
    expect(await upgrade('/events', signedIn(), { origin: 'http://127.0.0.1:1' })).toMatch(/401/);
  });

  it('closes a live socket for an unknown or malformed camera id or stream with a reason', async () => {
    const closeOf = (path: string) =>
      new Promise<[number, string]>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${h.host.port}${path}`, signedIn());
        ws.once('close', (code, reason) => resolve([code, reason.toString()]));
      });
    expect(await closeOf('/live/cam-doesnotexist')).toEqual([4404, 'There is no camera with id cam-doesnotexist.']);
    expect((await closeOf('/live/..%2Fetc'))[0]).toBe(4400);
    expect(await closeOf('/live/cam-doesnotexist?stream=fourk')).toEqual([4400, 'stream is main or sub.']);
  });
});

describe('camera API errors', () => {
  it('returns one clear error per invalid field, and adds nothing', async () => {
    const res = await post('addCamera', { arg: { name: ' ', url: 'rtsp://127.0.0.5:0/x', subUrl: 'rtsps://bad host/', username: 'a:b', password: 'x' } });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; fields: Array<{ field: string; code: string; message: string }> } };
    expect(error.code).toBe('camera.invalid');
    expect(error.fields.map((f) => [f.field, f.code])).toEqual([
      ['name', 'camera.name.required'],
      ['url', 'camera.url.port'],
      ['subUrl', 'camera.subUrl.malformed'],
      ['username', 'camera.username.invalid'],
    ]);
    for (const f of error.fields) expect(f.message).toMatch(/^[A-Z“].{10,}\.$/);
    expect(((await (await post('listCameras', {})).json()) as { result: unknown[] }).result).toEqual([]);
  });

  it('rejects a whole CSV import with one error per bad row, each naming its line in the file', async () => {
    const text = 'name,url\nGate,rtsp://127.0.0.1/a\nYard,ftp://127.0.0.2/b\n,rtsp://127.0.0.3/c\nGate,rtsp://127.0.0.4/d\n';
    const res = await post('importCameras', { arg: { text, format: 'csv' } });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string; fields: Array<{ field: string; message: string }> } };
    expect(error.code).toBe('import.invalid');
    expect(error.message).toBe('Nothing was imported: 3 lines of the file need fixing.');
    expect(error.fields.map((f) => f.field)).toEqual(['rows[1].url', 'rows[2].name', 'rows[3].name']);
    // Numbered as the file's lines: the header is line 1, so the second camera is on line 3.
    expect(error.fields.map((f) => f.message.split(':')[0])).toEqual(['Line 3', 'Line 4', 'Line 5']);
    expect(((await (await post('listCameras', {})).json()) as { result: unknown[] }).result).toEqual([]);
  });

  it('imports a valid list, fills the empty wall tiles in order, and never echoes a password', async () => {
    const text = JSON.stringify([
      { name: 'North gate', url: 'rtsp://admin:S3cr3t!@127.0.0.1:9/a' },
      { name: 'South gate', url: 'rtsp://127.0.0.1:9/b', subUrl: 'rtsp://127.0.0.1:9/b-sub' },
    ]);
    const res = await post('importCameras', { arg: { text, format: 'json' } });
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).not.toContain('S3cr3t');
    const { result } = JSON.parse(body) as { result: { added: Array<{ id: string; url: string; hasPassword: boolean }>; skipped: string[] } };
    expect(result.added.map((c) => [c.url, c.hasPassword])).toEqual([['rtsp://127.0.0.1:9/a', true], ['rtsp://127.0.0.1:9/b', false]]);
    expect(result.skipped).toEqual([]);
    const wall = ((await (await post('getWall', { arg: { wallId: 'wall-1' } })).json()) as { result: { tiles: Array<string | null> } }).result;
    expect(wall.tiles.slice(0, 4)).toEqual([result.added[0]!.id, result.added[1]!.id, null, null]);
    const again = ((await (await post('importCameras', { arg: { text, format: 'json' } })).json()) as { result: { added: unknown[]; skipped: string[] } }).result;
    expect(again).toEqual({ added: [], skipped: ['North gate', 'South gate'] });
  });
});

describe('recorded media access', () => {
  it('serves media only through links signed for a signed-in session, and validates the time range', async () => {
    // Signed links alone here: the reason asked before looking back is looking-back.test.ts's.
    await h.api.setViewingPolicy({ reasonRequired: false });
    const cam = ((await (await post('listCameras', {})).json()) as { result: Array<{ id: string }> }).result[0]!;
    const path = `/media/${cam.id}/recording.m3u8?fromMs=1000&toMs=2000`;
    expect((await fetch(`${h.baseUrl}${path}`)).status).toBe(401);
    expect((await fetch(`${h.baseUrl}${path}`, { headers: { authorization } })).status).toBe(401);
    const link = await h.api.mediaLink({ path });
    expect(link).toMatch(/[?&]sig=/);
    expect(link).not.toContain(h.token);
    const signed = await fetch(`${h.baseUrl}${link}`);
    expect(signed.status).toBe(200);
    expect(await signed.text()).toMatch(/^#EXTM3U\n[\s\S]*#EXT-X-ENDLIST\n$/);
    // A signed link is for that path and range only.
    expect((await fetch(`${h.baseUrl}${link.replace('toMs=2000', 'toMs=99999999')}`)).status).toBe(401);
    expect((await fetch(`${h.baseUrl}${link.replace(`/media/${cam.id}/`, '/media/cam-other/')}`)).status).toBe(401);
    expect((await fetch(`${h.baseUrl}${await h.api.mediaLink({ path: `/media/${cam.id}/recording.m3u8?fromMs=2000&toMs=1000` })}`)).status).toBe(400);
    // A segment's link comes only from the playlist listing it (whose serving is in the ledger).
    await expect(h.api.mediaLink({ path: '/media/segments/999999.ts' })).rejects.toMatchObject({ code: 'api.invalid-argument', fields: [expect.objectContaining({ message: 'Recorded segments are reached through their playlist.' })] });
    expect((await fetch(`${h.baseUrl}/media/segments/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    // Signing out ends the links of that session.
    const other = await h.as('media-viewer', 'operator');
    const theirs = await other.api.mediaLink({ path });
    expect((await fetch(`${h.baseUrl}${theirs}`)).status).toBe(200);
    await other.api.signOut();
    expect((await fetch(`${h.baseUrl}${theirs}`)).status).toBe(401);
  });
});
