/**
 * The Electron shell's wiring, with only the `electron` module replaced (its binary cannot exist
 * here): the security checklist settings, IPC sender checks, and the exact preload surface.
 * The real binary is exercised by tests/electron where it exists.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { API_METHODS } from '../../shared/schemas.js';
import { IPC_CALL, IPC_HAND_OVER_PACKAGE, IPC_LIVE_SERVER } from '../../shared/bridge.js';

const fake = vi.hoisted(() => {
  const appHandlers = new Map<string, (...a: unknown[]) => void>();
  const ipcHandlers = new Map<string, (...a: unknown[]) => unknown>();
  const windows: Array<{ options: Record<string, unknown>; loaded?: string; query?: Record<string, string> }> = [];
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
  /** electron-store instances by name, for what main.ts stores. */
  const stores = new Map<string, { get(key: string): unknown }>();
  return { appHandlers, ipcHandlers, windows, displays, exposed, invoked, whenReady, ready: () => ready(), session, userData: '', stores };
});

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { send: vi.fn() };
    constructor(public options: Record<string, unknown>) {
      fake.windows.push(this as unknown as { options: Record<string, unknown> });
    }
    on() {}
    isDestroyed() {
      return false;
    }
    maximize() {}
    setBounds() {}
    close() {}
    async loadFile(file: string, options?: { query?: Record<string, string> }) {
      Object.assign(this, { loaded: file, query: options?.query });
    }
  }
  return {
    app: {
      on: (name: string, fn: (...a: unknown[]) => void) => fake.appHandlers.set(name, fn),
      whenReady: () => fake.whenReady,
      getPath: () => fake.userData,
      quit: vi.fn(),
      exit: vi.fn(),
      requestSingleInstanceLock: () => true,
    },
    BrowserWindow,
    screen: { getAllDisplays: () => fake.displays, getPrimaryDisplay: () => fake.displays[0], on: vi.fn() },
    ipcMain: { handle: (channel: string, fn: (...a: unknown[]) => unknown) => fake.ipcHandlers.set(channel, fn) },
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
});

// electron-store needs a real Electron app; an in-memory store with its get/set/path stands in.
vi.mock('electron-store', () => ({
  default: class {
    private data = new Map<string, unknown>();
    path = '/memory/store.json';
    constructor(private readonly options: { name?: string; defaults?: Record<string, unknown> } = {}) {
      if (options.name) fake.stores.set(options.name, this);
    }
    get(key: string) {
      return this.data.has(key) ? this.data.get(key) : this.options.defaults?.[key];
    }
    set(key: string, value: unknown) {
      this.data.set(key, value);
    }
  },
}));

// main.ts finds the renderer beside its own folder: renderer/ from source, dist/renderer/ when built.
const rendererUrl = pathToFileURL(join(import.meta.dirname, '..', '..', 'renderer', 'index.html')).href;

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

  it('opens every wall window with context isolation, sandbox and no Node integration', () => {
    for (const w of fake.windows) expect(w.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String((win!.options.webPreferences as { preload: string }).preload)).toMatch(/\/preload\/electron\/preload\.js$/);
  });

  it('denies new windows, navigation, webviews and every permission request', () => {
    const handlers = new Map<string, (e: { preventDefault: () => void }) => void>();
    let openHandler: (() => { action: string }) | undefined;
    fake.appHandlers.get('web-contents-created')!({}, {
      setWindowOpenHandler: (fn: () => { action: string }) => (openHandler = fn),
      on: (name: string, fn: (e: { preventDefault: () => void }) => void) => handlers.set(name, fn),
    });
    expect(openHandler!()).toEqual({ action: 'deny' });
    for (const name of ['will-navigate', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      handlers.get(name)!({ preventDefault });
      expect(preventDefault).toHaveBeenCalled();
    }
    const callback = vi.fn();
    fake.session.permissionRequest!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(fake.session.permissionCheck!()).toBe(false);
  });

  it('answers API calls only from its own renderer, with validated arguments', async () => {
    const call = fake.ipcHandlers.get(IPC_CALL)!;
    const from = (url: string) => ({ senderFrame: { url } });
    expect(await call(from('https://evil.example/'), 'listCameras')).toMatchObject({ ok: false, error: { code: 'ipc.refused' } });
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
    const sealed = (fake.stores.get('credentials')!.get('sealed') as Record<string, string>)[added.result.id]!;
    expect(JSON.stringify(fake.stores.get('credentials')!.get('passwords') ?? {})).not.toContain('Sup3r-Secret');
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
    const report = (await call(from(rendererUrl), 'verifyPackage', { path: folder })) as { ok: boolean; result: { outcome: string; failures: Array<{ code: string }> } };
    expect(report).toMatchObject({ ok: true, result: { outcome: 'failed', failures: [{ code: 'not-a-package' }] } });
  });

  it('serves live video on loopback to the file:// renderer with its token, and to nobody without it', async () => {
    const live = fake.ipcHandlers.get(IPC_LIVE_SERVER)!;
    expect(live({ senderFrame: { url: 'https://evil.example/' } })).toBeNull();
    const { baseUrl, token } = live({ senderFrame: { url: rendererUrl } }) as { baseUrl: string; token: string };
    expect(baseUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const open = (url: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url, { headers: { Origin: 'file://' } });
        ws.once('open', () => (ws.close(), resolve('open')));
        ws.once('error', (e) => resolve(String(e.message)));
      });
    expect(await open(`${baseUrl}/events?token=${token}`)).toBe('open');
    expect(await open(`${baseUrl}/events?token=wrong`)).toMatch(/401/);
  });
});

describe('Electron preload', () => {
  it('exposes exactly the API methods plus the event feed, live server and dropped-file paths, each through one IPC channel', async () => {
    await import('../../electron/preload.js');
    const bridge = fake.exposed.watchroom as Record<string, (arg?: unknown) => unknown>;
    expect(Object.keys(bridge).sort()).toEqual([...API_METHODS, 'handOverPackage', 'liveServer', 'onEvent'].sort());
    await bridge.removeCamera!({ id: 'cam-1' });
    expect(fake.invoked.at(-1)).toEqual([IPC_CALL, 'removeCamera', { id: 'cam-1' }]);
    await bridge.liveServer!();
    expect(fake.invoked.at(-1)).toEqual([IPC_LIVE_SERVER]);
    // The folder a dropped file lies in: its disk path less its path inside the dropped folder.
    await (bridge.handOverPackage as unknown as (f: unknown, p: string) => Promise<unknown>)({}, 'WR-CASE-1/manifest.json');
    expect(fake.invoked.at(-1)).toEqual([IPC_HAND_OVER_PACKAGE, '/media/usb/WR-CASE-1']);
  });
});
