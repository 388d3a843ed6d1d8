/**
 * Electron shell: one wall window per display, bound to the core. It adapts, it does not decide:
 * every call goes through the same validated dispatch as the browser host, and which wall goes on
 * which display is core/wall/display-placement.ts. Follows Electron's security checklist: context
 * isolation, sandbox, no Node in the renderer, its own app:// origin with a CSP, sender checks, no
 * navigation or new windows, permissions denied; the packaged binary's fuses are set in
 * electron-builder.yml.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, screen, session, type IpcMainInvokeEvent } from 'electron';
import ElectronStore from 'electron-store';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { statSync } from 'node:fs';
import { IPC_CALL, IPC_EVENT, IPC_HAND_OVER_PACKAGE, IPC_LIVE_SERVER } from '../shared/bridge.js';
import { appVersion } from './core/app-version.js';
import { createCore, type Core } from './core/core.js';
import { unreadableSettings, type SettingsStore } from './core/settings/settings-store.js';
import type { SignedIn } from '../shared/api.js';
import type { SecretBox } from './core/settings/secret-box.js';
import { startHost, type RunningHost } from './host/http-host.js';
import { placeWalls, type DisplayInfo } from './core/wall/display-placement.js';
import { RENDERER_ORIGIN, RENDERER_SCHEME, RENDERER_SCHEME_PRIVILEGES, serveRenderer } from './renderer-protocol.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '..', 'renderer');
const preloadPath = join(here, '..', 'preload', 'electron', 'preload.js');

/** <userData>/<name>.json. A damaged one is never overwritten: the start fails, naming it. */
function electronStore(name: string): SettingsStore {
  try {
    const store = new ElectronStore({ name, clearInvalidConfig: false, configFileMode: 0o600 });
    return { get: (key) => store.get(key), set: (key, value) => store.set(key, value), path: store.path };
  } catch (error) {
    throw unreadableSettings(join(app.getPath('userData'), `${name}.json`), error);
  }
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

/** Only our own renderer, served from app://watchroom, may call the API. */
function fromOurRenderer(event: IpcMainInvokeEvent): boolean {
  return (event.senderFrame?.url ?? '').startsWith(`${RENDERER_ORIGIN}/`);
}

// Before ready, as Electron requires: the renderer's origin is a standard, secure one.
protocol.registerSchemesAsPrivileged([{ scheme: RENDERER_SCHEME, privileges: RENDERER_SCHEME_PRIVILEGES }]);

async function start(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  const core: Core = createCore({
    dataDir: app.getPath('userData'),
    appVersion: appVersion(),
    shell: 'electron',
    settings: electronStore('settings'),
    credentials: electronStore('credentials'),
    ...keyringSecretBox(),
    demoWhenEmpty: true,
  });
  const api = core.system;
  // Live video travels over a loopback WebSocket (binary, high rate) and recorded media over loopback
  // HTTP; that server carries nothing else: the API and events go over IPC, the pages over app://.
  const live: RunningHost = await startHost({ core, rendererDir, port: 0, extraOrigins: [RENDERER_ORIGIN], only: ['live', 'media'] });
  protocol.handle(RENDERER_SCHEME, serveRenderer(rendererDir, live.port));

  // One person at a time works at a workstation: the session lives here, and every wall window
  // (one per display) acts in it. A window's sign-in (or a sign-in at the idle lock) replaces it.
  let workstationSession: string | null = null;
  ipcMain.handle(IPC_CALL, async (event, method: unknown, arg: unknown) => {
    if (!fromOurRenderer(event) || typeof method !== 'string') return { ok: false, error: { code: 'ipc.refused', message: 'Refused.' } };
    const result = await core.call(workstationSession, method, arg);
    if (!result.ok) return { ok: false, error: result.error };
    if (method === 'signIn' || method === 'createFirstAdmin') workstationSession = (result.result as SignedIn).token;
    if (method === 'signOut') workstationSession = null;
    return { ok: true, result: result.result };
  });
  ipcMain.handle(IPC_LIVE_SERVER, (event) => (fromOurRenderer(event) ? { baseUrl: `ws://127.0.0.1:${live.port}`, token: workstationSession } : null));
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
    void window.loadURL(`${RENDERER_ORIGIN}/index.html?wall=${encodeURIComponent(wallId)}`);
    window.maximize();
    return window;
  };

  // Which display each wall was on, so a restart (or a monitor plugged back in) puts it back there.
  const placementStore = electronStore('displays');
  let arranging: Promise<void> | null = null;
  let again = false;
  const arrange = async (): Promise<void> => {
    const primary = screen.getPrimaryDisplay().id;
    const displays: DisplayInfo[] = screen.getAllDisplays().map((d) => ({ id: d.id, workArea: d.workArea, primary: d.id === primary }));
    const saved = (placementStore.get('displays') ?? {}) as Record<string, number>;
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
  // The renderer is one page: no frame, main or sub, goes anywhere (will-navigate sees only the main frame).
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());

// One Watchroom per user: a second start hands over to the first (one writer per ledger).
if (!app.requestSingleInstanceLock()) app.exit(0);
app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());

// A start that fails (a damaged settings file, the data folder held by another Watchroom) says why
// in a dialog and exits, rather than leaving a process with no window.
app.whenReady().then(start).catch((error: unknown) => {
  const why = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Watchroom could not start: ${why}\n`);
  dialog.showErrorBox('Watchroom could not start', why);
  app.exit(1);
});

app.on('window-all-closed', () => app.quit());
