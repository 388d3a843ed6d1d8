/**
 * The Electron shell's wiring, with only the `electron` module replaced (its binary cannot exist
 * here): the security checklist settings, the app:// renderer protocol, IPC sender checks, the
 * loopback live server, start-up failures, and the exact preload surface. Settings files are real.
 * The real binary is exercised by tests/electron where it exists.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { IPC_CALL, IPC_EVENT, IPC_HAND_OVER_PACKAGE, IPC_LIVE_SERVER } from '../../shared/bridge.js';
import { LIVE_CLOSE_UNKNOWN_CAMERA } from '../../shared/events.js';
import { lockDataDir } from '../../electron/core/data-lock.js';
import { sessionProtocols } from '../../shared/session-transport.js';
import { RENDERER_ORIGIN } from '../../electron/renderer-protocol.js';

const fake = vi.hoisted(() => {
  const appHandlers = new Map<string, (...a: unknown[]) => void>();
  const ipcHandlers = new Map<string, (...a: unknown[]) => unknown>();
  const windows: Array<{ options: Record<string, unknown>; loaded?: string; query?: Record<string, string>; closed: boolean }> = [];
  // Two monitors: the primary on the left, a second one to its right.
  const displays = [
    { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } },
    { id: 2, workArea: { x: 1920, y: 0, width: 2560, height: 1400 } },
  ];
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  let ready: () => void = () => undefined;
  const whenReady = new Promise<void>((r) => (ready = r));
  const session = { permissionRequest: undefined as undefined | ((...a: unknown[]) => void), permissionCheck: undefined as undefined | ((...a: unknown[]) => boolean) };
  const protocols = { privileged: [] as unknown[], handlers: new Map<string, (request: Request) => Promise<Response>>() };
  const errorBoxes: Array<[string, string]> = [];
  const exits: number[] = [];
  return { appHandlers, ipcHandlers, windows, displays, exposed, invoked, whenReady, ready: () => ready(), session, protocols, errorBoxes, exits, userData: '' };
});

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { send: vi.fn() };
    closed = false;
    private readonly handlers = new Map<string, () => void>();
    constructor(public options: Record<string, unknown>) {
      fake.windows.push(this as unknown as (typeof fake.windows)[number]);
    }
    on(name: string, fn: () => void) {
      this.handlers.set(name, fn);
      return this;
    }
    isDestroyed() {
      return this.closed;
    }
    maximize() {}
    setBounds() {}
    close() {
      this.closed = true;
      this.handlers.get('closed')?.();
    }
    async loadURL(url: string) {
      Object.assign(this, { loaded: url, query: Object.fromEntries(new URL(url).searchParams) });
    }
  }
  const electron = {
    app: {
      on: (name: string, fn: (...a: unknown[]) => void) => fake.appHandlers.set(name, fn),
      whenReady: () => fake.whenReady,
      getPath: () => fake.userData,
      // No --directory: the single-machine app.
      commandLine: { getSwitchValue: () => '' },
      getVersion: () => '0.0.0-test',
      quit: vi.fn(),
      exit: (code: number) => fake.exits.push(code),
      requestSingleInstanceLock: () => true,
    },
    BrowserWindow,
    dialog: { showErrorBox: (title: string, content: string) => fake.errorBoxes.push([title, content]) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => fake.protocols.privileged.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => fake.protocols.handlers.set(scheme, handler),
    },
    screen: { getAllDisplays: () => fake.displays, getPrimaryDisplay: () => fake.displays[0], on: vi.fn() },
    ipcMain: { handle: (channel: string, fn: (...a: unknown[]) => unknown) => fake.ipcHandlers.set(channel, fn), on: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: (...a: unknown[]) => void) => (fake.session.permissionRequest = fn),
        setPermissionCheckHandler: (fn: (...a: unknown[]) => boolean) => (fake.session.permissionCheck = fn),
      },
    },
    // The OS keyring: what it seals is opaque bytes; reversing them stands in for its encryption.
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (plain: string) => Buffer.from(`keyring:${plain}`).reverse(),
      decryptString: (sealed: Buffer) => Buffer.from(sealed).reverse().toString().replace(/^keyring:/, ''),
    },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (fake.exposed[key] = api) },
    webUtils: { getPathForFile: () => '/media/usb/WR-CASE-1/manifest.json' },
    ipcRenderer: { invoke: (...args: unknown[]) => (fake.invoked.push(args), Promise.resolve(null)), on: vi.fn(), removeListener: vi.fn() },
  };
  // electron-store, real here, reads the default export (app.getPath, ipcMain).
  return { ...electron, default: electron };
});

// The renderer's own origin; main.ts serves it from renderer/ beside its folder (dist/renderer when built).
const rendererUrl = 'app://watchroom/index.html?wall=wall-1';

describe('Electron main process', async () => {
  fake.userData = mkdtempSync(join(tmpdir(), 'watchroom-electron-unit-'));
  await import('../../electron/main.js');
  fake.ready();
  await vi.waitFor(() => expect(fake.windows).toHaveLength(2), { timeout: 10_000 });
  const [win] = fake.windows;

  afterAll(async () => {
    fake.appHandlers.get('before-quit')?.({ preventDefault: () => undefined });
  });

  it('opens one wall window per display, the main wall on the primary, each with its own wall', () => {
    expect(fake.windows.map((w) => [w.query?.wall, w.options.x, w.options.width])).toEqual([
      ['wall-1', 0, 1920],
      ['wall-2', 1920, 2560],
    ]);
  });

  it('keeps its settings and which display each wall is on in files of its own under userData (electron-store)', async () => {
    const file = (name: string) => JSON.parse(readFileSync(join(fake.userData, `${name}.json`), 'utf8')) as Record<string, unknown>;
    expect(file('settings')).toMatchObject({ demoOffered: true });
    await vi.waitFor(() => expect(file('displays')).toEqual({ displays: { 'wall-1': 1, 'wall-2': 2 } }), { timeout: 30_000 });
    expect(statSync(join(fake.userData, 'settings.json')).mode & 0o777).toBe(0o600);
  });

  it('opens every wall window with context isolation, sandbox and no Node integration', () => {
    for (const w of fake.windows) expect(w.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String((win!.options.webPreferences as { preload: string }).preload)).toMatch(/\/preload\/electron\/preload\.js$/);
  });

  it('loads every wall from its own app://watchroom origin, registered before ready as standard and secure, not from file://', () => {
    expect(fake.windows.map((w) => w.loaded)).toEqual(['app://watchroom/index.html?wall=wall-1', 'app://watchroom/index.html?wall=wall-2']);
    expect(fake.protocols.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
    expect([...fake.protocols.handlers.keys()]).toEqual(['app']);
  });

  it('serves the renderer folder over app:// with a CSP naming only its loopback server, and nothing outside that folder', async () => {
    const serve = fake.protocols.handlers.get('app')!;
    const { baseUrl } = fake.ipcHandlers.get(IPC_LIVE_SERVER)!({ senderFrame: { url: rendererUrl } }) as { baseUrl: string };
    const loopback = baseUrl.replace(/^ws:\/\//, '');
    const page = await serve(new Request(rendererUrl));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toBe(readFileSync(join(import.meta.dirname, '..', '..', 'renderer', 'index.html'), 'utf8'));
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain(`connect-src 'self' ws://${loopback} http://${loopback};`);
    expect(csp).toContain("object-src 'none'");
    expect((await serve(new Request('app://watchroom/'))).status).toBe(200);
    // Climbing out, however spelt (Request normalises plain ../ itself; the encoded forms reach the handler).
    for (const url of [
      // renderer/../package.json exists: every one of these would reach it without the check.
      'app://watchroom/..%2fpackage.json',
      'app://watchroom/%2e%2e%2fpackage.json',
      'app://watchroom/src/..%2f..%2fpackage.json',
      `app://watchroom/${encodeURIComponent(join(import.meta.dirname, '..', '..', 'package.json'))}`,
      'app://watchroom/%E0%A4%A',
      'app://other/index.html',
      'app://watchroom.evil/index.html',
      'app://watchroom/src',
      'app://watchroom/no-such-file.js',
    ]) {
      const refused = await serve(new Request(url));
      expect(refused.status, url).toBe(404);
      expect(await refused.text(), url).toBe('Not found.');
    }
    expect((await serve(new Request(rendererUrl, { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('denies new windows, navigation of any frame, webviews and every permission request but full screen for its own pages', () => {
    const handlers = new Map<string, (e: { preventDefault: () => void }) => void>();
    let openHandler: (() => { action: string }) | undefined;
    fake.appHandlers.get('web-contents-created')!({}, {
      setWindowOpenHandler: (fn: () => { action: string }) => (openHandler = fn),
      on: (name: string, fn: (e: { preventDefault: () => void }) => void) => handlers.set(name, fn),
    });
    expect(openHandler!()).toEqual({ action: 'deny' });
    for (const name of ['will-frame-navigate', 'will-navigate', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      handlers.get(name)!({ preventDefault });
      expect(preventDefault).toHaveBeenCalled();
    }
    const answer = (permission: string, requestingUrl: string) => {
      const callback = vi.fn();
      fake.session.permissionRequest!({}, permission, callback, { requestingUrl });
      return callback.mock.calls[0]![0];
    };
    expect(answer('media', `${RENDERER_ORIGIN}/index.html`)).toBe(false);
    expect(answer('notifications', `${RENDERER_ORIGIN}/index.html`)).toBe(false);
    expect(answer('fullscreen', 'https://example.com/')).toBe(false);
    expect(answer('fullscreen', 'app://watchroom.evil/')).toBe(false);
    // Lookalikes of our own origin: another host, port, user, scheme or case.
    for (const url of ['app://watchroom@evil.example/', 'app://evil.example@watchroom.evil/', 'app://watchroom:1/', 'app://watchroomx/', 'https://watchroom/', 'APP://WATCHROOM.evil/', 'app://watchroom', '']) expect(answer('fullscreen', url), url).toBe(false);
    for (const origin of ['app://watchroom.evil', 'app://watchroom:1', 'https://watchroom', 'null', '']) expect(fake.session.permissionCheck!({}, 'fullscreen', origin), origin).toBe(false);
    expect(answer('fullscreen', `${RENDERER_ORIGIN}/index.html`)).toBe(true);
    expect(fake.session.permissionCheck!({}, 'media', RENDERER_ORIGIN)).toBe(false);
    expect(fake.session.permissionCheck!({}, 'fullscreen', 'https://example.com')).toBe(false);
    expect(fake.session.permissionCheck!({}, 'fullscreen', RENDERER_ORIGIN)).toBe(true);
  });

  it('keeps the workstation’s session in the main process: nothing before a sign-in, then every wall window acts as that person', async () => {
    const call = fake.ipcHandlers.get(IPC_CALL)!;
    const live = fake.ipcHandlers.get(IPC_LIVE_SERVER)!;
    const from = (url: string) => ({ senderFrame: { url } });
    const sent = () => fake.windows.flatMap((w) => (w as unknown as { webContents: { send: ReturnType<typeof vi.fn> } }).webContents.send.mock.calls.filter(([channel]) => channel === IPC_EVENT));
    // The demo cameras have been reporting since the start: none of it reached a window signed out.
    expect(sent()).toEqual([]);
    expect(await call(from(rendererUrl), 'listCameras')).toMatchObject({ ok: false, error: { code: 'auth.required' } });
    expect(live(from(rendererUrl))).toMatchObject({ token: null });
    expect(await call(from(rendererUrl), 'getSession')).toMatchObject({ ok: true, result: { person: null, needsFirstAdmin: true, shell: 'electron' } });
    const made = (await call(from(rendererUrl), 'createFirstAdmin', { name: 'ada', displayName: 'Ada Admin', password: 'correct-horse-battery' })) as { ok: boolean; result: { token: string } };
    expect(made.ok).toBe(true);
    // The second display's window, which signed in nowhere, acts in the same session.
    expect(await call(from('app://watchroom/index.html?wall=wall-2'), 'getSession')).toMatchObject({ ok: true, result: { person: { name: 'ada', role: 'admin' } } });
    expect(live(from(rendererUrl))).toMatchObject({ token: made.result.token });
    await vi.waitFor(() => expect(sent().length).toBeGreaterThan(0), { timeout: 30_000 }); // a status event, however slow a busy machine makes it
    const entries = readFileSync(join(fake.userData, 'audit.jsonl'), 'utf8');
    expect(entries).toContain('"actor":"ada","role":"admin","action":"people.first-admin"');
    expect(entries).not.toContain('correct-horse-battery');
  });

  it('answers API calls only from its own renderer, with validated arguments', async () => {
    const call = fake.ipcHandlers.get(IPC_CALL)!;
    const from = (url: string) => ({ senderFrame: { url } });
    for (const url of ['https://evil.example/', 'app://watchroom.evil/index.html', 'file:///tmp/index.html', 'file:///']) {
      expect(await call(from(url), 'listCameras'), url).toMatchObject({ ok: false, error: { code: 'ipc.refused' } });
    }
    const demo = (await call(from(rendererUrl), 'listCameras')) as { ok: boolean; result: Array<{ demo: boolean }> };
    expect(demo.ok).toBe(true);
    expect(demo.result.length).toBe(4);
    expect(demo.result.every((c) => c.demo)).toBe(true);
    expect(await call(from(rendererUrl), 'setWall', { layout: 'nope' })).toMatchObject({ ok: false, error: { code: 'api.invalid-argument' } });
  });

  it('stores camera passwords sealed by the OS keyring (safeStorage), never as typed', async () => {
    const call = fake.ipcHandlers.get(IPC_CALL)!;
    const added = (await call({ senderFrame: { url: rendererUrl } }, 'addCamera', { name: 'Door', url: 'rtsp://10.0.0.9/stream', username: 'operator', password: 'Sup3r-Secret' })) as { ok: boolean; result: { id: string } };
    expect(added.ok).toBe(true);
    const stored = readFileSync(join(fake.userData, 'credentials.json'), 'utf8');
    expect(stored).not.toContain('Sup3r-Secret');
    const sealed = (JSON.parse(stored) as { sealed: Record<string, string> }).sealed[added.result.id]!;
    expect(sealed).not.toContain('Sup3r-Secret');
    expect(Buffer.from(sealed, 'base64').reverse().toString()).toBe('keyring:Sup3r-Secret');
    await call({ senderFrame: { url: rendererUrl } }, 'removeCamera', { id: added.result.id });
  });

  it('verifies in place only a folder handed over by its own renderer, never any path a call names', async () => {
    const call = fake.ipcHandlers.get(IPC_CALL)!;
    const handOver = fake.ipcHandlers.get(IPC_HAND_OVER_PACKAGE)!;
    const from = (url: string) => ({ senderFrame: { url } });
    const folder = mkdtempSync(join(tmpdir(), 'watchroom-usb-'));
    expect(await call(from(rendererUrl), 'verifyPackage', { path: folder })).toMatchObject({ ok: false, error: { code: 'evidence.path-not-allowed' } });
    expect(handOver(from('https://evil.example/'), folder)).toBeNull();
    expect(handOver(from(rendererUrl), join(folder, 'missing'))).toBeNull();
    expect(handOver(from(rendererUrl), 42)).toBeNull();
    expect(handOver(from(rendererUrl), folder)).toBe(folder);
    // Handed over, it is looked at: an empty folder is no package, and the answer says so.
    expect(await call(from(rendererUrl), 'verifyPackage', { path: folder })).toMatchObject({ ok: false, error: { code: 'evidence.not-a-package', message: `“${folder}” is not an evidence package: it has no manifest.json.` } });
  });

  it('carries live video on loopback for its own renderer in the signed-in session, and to nobody without it', async () => {
    const live = fake.ipcHandlers.get(IPC_LIVE_SERVER)!;
    expect(live({ senderFrame: { url: 'https://evil.example/' } })).toBeNull();
    const { baseUrl, token } = live({ senderFrame: { url: rendererUrl } }) as { baseUrl: string; token: string };
    expect(baseUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(await openSocket(`${baseUrl}/live/no-such-camera`, token)).toBe(`closed ${LIVE_CLOSE_UNKNOWN_CAMERA}`);
    expect(await openSocket(`${baseUrl}/live/no-such-camera`, 'wrong-token-0123456789')).toMatch(/401/);
    expect(await openSocket(`${baseUrl}/live/no-such-camera`, null)).toMatch(/401/);
    expect(await openSocket(`${baseUrl}/live/no-such-camera`, token, 'https://evil.example')).toMatch(/401/);
  });

  it('carries nothing on that loopback server but live video and media: no API, no event feed, no pages, no uploads', async () => {
    const { baseUrl, token } = fake.ipcHandlers.get(IPC_LIVE_SERVER)!({ senderFrame: { url: rendererUrl } }) as { baseUrl: string; token: string };
    const http = baseUrl.replace(/^ws/, 'http');
    expect(await openSocket(`${baseUrl}/events`, token)).toMatch(/404/);
    const headers = { Origin: 'app://watchroom', 'Content-Type': 'application/json', Authorization: `Bearer ${token}` };
    expect((await fetch(`${http}/api/listCameras`, { method: 'POST', headers, body: '{}' })).status).toBe(404);
    expect((await fetch(`${http}/api/signIn`, { method: 'POST', headers, body: '{"arg":{"name":"ada","password":"correct-horse-battery"}}' })).status).toBe(404);
    expect((await fetch(`${http}/index.html`, { headers })).status).toBe(404);
    expect((await fetch(`${http}/received/u1/a.txt`, { method: 'PUT', headers, body: 'x' })).status).toBe(404);
    // Media is carried, to the renderer's origin as a cross-origin read, through links signed for the session.
    const call = fake.ipcHandlers.get(IPC_CALL)!;
    const path = '/media/cam-none/recording.m3u8?fromMs=1000&toMs=2000';
    const link = (await call({ senderFrame: { url: rendererUrl } }, 'mediaLink', { path })) as { ok: boolean; result: string };
    const playlist = await fetch(`${http}${link.result}`, { headers: { Origin: 'app://watchroom' } });
    expect([playlist.status, await playlist.text(), playlist.headers.get('access-control-allow-origin')]).toEqual([404, 'There is no camera with id cam-none.', 'app://watchroom']);
    const elsewhere = await fetch(`${http}${link.result}`, { headers: { Origin: 'https://evil.example' } });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${http}${path}`, { headers })).status).toBe(401);
  });

  it('closes the window of a wall someone closes and leaves its display empty, until a wall is opened again', async () => {
    const call = fake.ipcHandlers.get(IPC_CALL)!;
    const from = (url: string) => ({ senderFrame: { url } });
    const second = fake.windows.find((w) => w.query?.wall === 'wall-2')!;
    // Closed from its own window's Walls menu.
    expect(await call(from('app://watchroom/index.html?wall=wall-2'), 'removeWall', { wallId: 'wall-2' })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(second.closed).toBe(true), { timeout: 30_000 });
    expect(await call(from(rendererUrl), 'listWalls')).toMatchObject({ ok: true, result: [{ id: 'wall-1' }] });
    // "Open a wall on another screen": the empty display shows the new wall, in a window of its own.
    expect(await call(from(rendererUrl), 'addWall')).toMatchObject({ ok: true, result: { id: 'wall-2' } });
    await vi.waitFor(() => expect(fake.windows.filter((w) => !w.closed).map((w) => [w.query?.wall, w.options.x])).toEqual([['wall-1', 0], ['wall-2', 1920]]), { timeout: 30_000 });
    expect(fake.windows).toHaveLength(3);
    // Closed from the main window: its window closes too.
    const third = fake.windows[2]!;
    expect(await call(from(rendererUrl), 'removeWall', { wallId: 'wall-2' })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(third.closed).toBe(true), { timeout: 30_000 });
    expect(fake.windows.filter((w) => !w.closed).map((w) => w.query?.wall)).toEqual(['wall-1']);
  });
});

/** Opens a WebSocket the way the renderer does (session as a sub-protocol); says how it ended. */
function openSocket(url: string, token: string | null, origin = 'app://watchroom'): Promise<string> {
  return new Promise<string>((resolve) => {
    const ws = new WebSocket(url, sessionProtocols(token), { headers: { Origin: origin } });
    // Upgraded, then closed by the server for the camera that does not exist: the route is carried.
    ws.once('open', () => ws.protocol === 'watchroom' || resolve(`answered ${ws.protocol}`));
    ws.once('close', (code) => resolve(`closed ${code}`));
    ws.once('error', (e) => resolve(String(e.message)));
  });
}

describe('Electron start-up that fails', () => {
  /** main.ts afresh (its start-up runs on import), on a data folder of its own. */
  async function startMain(userData: string): Promise<void> {
    fake.userData = userData;
    fake.errorBoxes.length = 0;
    fake.exits.length = 0;
    fake.windows.length = 0;
    vi.resetModules();
    await import('../../electron/main.js');
  }

  it('shows a damaged settings file in a dialog and exits non-zero, with no window and the file left as it was', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'watchroom-electron-damaged-'));
    const damaged = '{"retention": {"maxAgeDays": 30}, "cameras": [';
    writeFileSync(join(userData, 'settings.json'), damaged);
    await startMain(userData);
    await vi.waitFor(() => expect(fake.exits).toEqual([1]), { timeout: 30_000 });
    expect(fake.errorBoxes).toHaveLength(1);
    const [title, message] = fake.errorBoxes[0]!;
    expect(title).toBe('Watchroom could not start');
    expect(message).toContain(`The settings file ${userData}/settings.json cannot be read`);
    expect(message).toContain('Repair or move it');
    expect(fake.windows).toEqual([]);
    expect(readFileSync(join(userData, 'settings.json'), 'utf8')).toBe(damaged);
  });

  it('shows a data folder held by another Watchroom in a dialog and exits non-zero, with no window', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'watchroom-electron-locked-'));
    const release = lockDataDir(userData);
    try {
      await startMain(userData);
      await vi.waitFor(() => expect(fake.exits).toEqual([1]), { timeout: 30_000 });
    } finally {
      release();
    }
    expect(fake.errorBoxes).toEqual([['Watchroom could not start', expect.stringContaining(`is using the data folder ${userData}`)]]);
    expect(fake.windows).toEqual([]);
  });
});

describe('Electron preload', () => {
  it('exposes one call for every contract method (the main process checks the name), the event feed, the live server and dropped-file paths', async () => {
    await import('../../electron/preload.js');
    const bridge = fake.exposed.watchroom as Record<string, (...args: unknown[]) => unknown>;
    expect(Object.keys(bridge).sort()).toEqual(['call', 'handOverPackage', 'liveServer', 'onEvent']);
    await bridge.call!('removeCamera', { id: 'cam-1' });
    expect(fake.invoked.at(-1)).toEqual([IPC_CALL, 'removeCamera', { id: 'cam-1' }]);
    await bridge.liveServer!();
    expect(fake.invoked.at(-1)).toEqual([IPC_LIVE_SERVER]);
    // The folder a dropped file lies in: its disk path less its path inside the dropped folder.
    await (bridge.handOverPackage as unknown as (f: unknown, p: string) => Promise<unknown>)({}, 'WR-CASE-1/manifest.json');
    expect(fake.invoked.at(-1)).toEqual([IPC_HAND_OVER_PACKAGE, '/media/usb/WR-CASE-1']);
  });
});
