/**
 * Electron shell: one wall window per display, bound to the core. It adapts, it does not decide:
 * every call goes through the same validated dispatch as the browser host, and which wall goes on
 * which display is core/wall/display-placement.ts. Follows Electron's security checklist: context
 * isolation, sandbox, no Node in the renderer, CSP, sender checks, no navigation or new windows,
 * permissions denied.
 */
import { app, BrowserWindow, ipcMain, safeStorage, screen, session, type IpcMainInvokeEvent } from 'electron';
import ElectronStore from 'electron-store';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { statSync } from 'node:fs';
import { IPC_CALL, IPC_EVENT, IPC_HAND_OVER_PACKAGE, IPC_LIVE_SERVER } from '../shared/bridge.js';
import { appVersion } from './core/app-version.js';
import { createCore, type Core } from './core/core.js';
import type { SettingsStore } from './core/settings/settings-store.js';
import type { SecretBox } from './core/settings/secret-box.js';
import { dispatchApiCall } from './host/api-dispatch.js';
import { startHost, type RunningHost } from './host/http-host.js';
import { placeWalls, type DisplayInfo } from './core/wall/display-placement.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '..', 'renderer');
const rendererIndex = join(rendererDir, 'index.html');
const preloadPath = join(here, '..', 'preload', 'electron', 'preload.js');

function electronStore(name: string): SettingsStore {
  const store = new ElectronStore({ name, clearInvalidConfig: false, configFileMode: 0o600 });
  return { get: (key) => store.get(key), set: (key, value) => store.set(key, value), path: store.path };
}

/**
 * Camera passwords at rest, through the OS keyring. Linux without a keyring gets `basic_text`, a key
 * built into Chromium: the core's own key file (0600) is better than that.
 */
function keyringSecretBox(): { secretBox: SecretBox } | Record<string, never> {
  if (!safeStorage.isEncryptionAvailable() || (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text')) return {};
  return {
    secretBox: {
      encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
      decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
    },
  };
}

/** Only our own renderer, loaded from disk, may call the API. */
function fromOurRenderer(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith(pathToFileURL(rendererDir).href + '/');
}

async function start(): Promise<void> {
  const actor = userInfo().username;
  const core: Core = createCore({
    dataDir: app.getPath('userData'),
    appVersion: appVersion(),
    shell: 'electron',
    settings: electronStore('settings'),
    credentials: electronStore('credentials'),
    ...keyringSecretBox(),
    demoWhenEmpty: true,
  });
  const api = core.api(actor);
  // Live video travels over a loopback WebSocket (binary, high rate), the API over IPC.
  const token = randomBytes(24).toString('base64url');
  const live: RunningHost = await startHost({ core, token, actor, rendererDir, port: 0, extraOrigins: ['file://'] });

  ipcMain.handle(IPC_CALL, async (event, method: unknown, arg: unknown) => {
    if (!fromOurRenderer(event) || typeof method !== 'string') return { ok: false, error: { code: 'ipc.refused', message: 'Refused.' } };
    const result = await dispatchApiCall(api, method, arg, (error) => core.logger.log('error', 'api.internal', { error: String(error) }));
    return result.ok ? { ok: true, result: result.result } : { ok: false, error: result.error };
  });
  ipcMain.handle(IPC_LIVE_SERVER, (event) => (fromOurRenderer(event) ? { baseUrl: `ws://127.0.0.1:${live.port}`, token } : null));
  // A folder the user dropped or chose in our window may be verified where it lies.
  ipcMain.handle(IPC_HAND_OVER_PACKAGE, (event, folder: unknown) => {
    if (!fromOurRenderer(event) || typeof folder !== 'string' || folder.length > 4096 || !statSync(folder, { throwIfNoEntry: false })?.isDirectory()) return null;
    core.grantPackageFolder(folder);
    return folder;
  });

  const windows = new Map<string, BrowserWindow>();
  /** The display each open wall window is on, so a pass that changes nothing moves nothing. */
  const shownOn = new Map<string, number>();
  core.onEvent((event) => {
    for (const window of windows.values()) if (!window.isDestroyed()) window.webContents.send(IPC_EVENT, event);
  });
  const openWall = (wallId: string, bounds: Electron.Rectangle): BrowserWindow => {
    const window = new BrowserWindow({
      ...bounds,
      backgroundColor: '#0b0d10',
      title: 'Watchroom',
      webPreferences: { preload: preloadPath, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
    });
    window.on('closed', () => (windows.delete(wallId), shownOn.delete(wallId)));
    void window.loadFile(rendererIndex, { query: { wall: wallId } });
    window.maximize();
    return window;
  };

  // Which display each wall was on, so a restart (or a monitor plugged back in) puts it back there.
  const placementStore = new ElectronStore<{ displays: Record<string, number> }>({ name: 'displays', defaults: { displays: {} } });
  let arranging: Promise<void> | null = null;
  let again = false;
  const arrange = async (): Promise<void> => {
    const primary = screen.getPrimaryDisplay().id;
    const displays: DisplayInfo[] = screen.getAllDisplays().map((d) => ({ id: d.id, workArea: d.workArea, primary: d.id === primary }));
    const saved = placementStore.get('displays');
    let plan = placeWalls(displays, (await api.listWalls()).map((w) => w.id), saved);
    for (let i = 0; i < plan.wallsMissing; i++) await api.addWall();
    if (plan.wallsMissing > 0) plan = placeWalls(displays, (await api.listWalls()).map((w) => w.id), saved);
    for (const { wallId, displayId, bounds } of plan.placements) {
      const window = windows.get(wallId);
      if (!window || window.isDestroyed()) windows.set(wallId, openWall(wallId, bounds));
      else if (shownOn.get(wallId) !== displayId) (window.setBounds(bounds), window.maximize());
      shownOn.set(wallId, displayId);
    }
    for (const [wallId, window] of windows) if (!plan.placements.some((p) => p.wallId === wallId)) window.close();
    // Every tile change passes here (wall.changed); the file is written only when a wall moved.
    const next = { ...saved, ...Object.fromEntries(plan.placements.map((p) => [p.wallId, p.displayId])) };
    if (JSON.stringify(next) !== JSON.stringify(saved)) placementStore.set('displays', next);
  };
  /** Displays come and go, walls are added and removed (presets): arrange again, one pass at a time. */
  const rearrange = () => {
    if (arranging) {
      again = true;
      return;
    }
    arranging = arrange()
      .catch((error: unknown) => core.logger.log('error', 'shell.arrange-failed', { error: String(error) }))
      .finally(() => {
        arranging = null;
        if (again) (again = false), rearrange();
      });
  };
  screen.on('display-added', rearrange);
  screen.on('display-removed', rearrange);
  screen.on('display-metrics-changed', rearrange);
  core.onEvent((event) => event.type === 'wall.changed' && rearrange());
  rearrange();
  await arranging;

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void Promise.all([live.close(), core.close()]).finally(() => app.exit(0));
  });
}

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());

// One Watchroom per user: a second start hands over to the first (one writer per ledger).
if (!app.requestSingleInstanceLock()) app.exit(0);
app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());

app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  await start();
}, (error: unknown) => {
  process.stderr.write(`Watchroom could not start: ${String(error)}\n`);
  app.exit(1);
});

app.on('window-all-closed', () => app.quit());
