/**
 * Electron shell: one wall window per display (wall-windows.ts), bound to the core. It adapts, it
 * does not decide: every call goes through the same dispatch as the browser host (ipc-handlers.ts). Follows Electron's security checklist: context
 * isolation, sandbox, no Node in the renderer, its own app:// origin with a CSP, sender checks, no
 * navigation or new windows, permissions denied; the packaged binary's fuses are set in
 * electron-builder.yml.
 */
import { app, BrowserWindow, dialog, protocol, safeStorage, session, type IpcMainInvokeEvent } from 'electron';
import ElectronStore from 'electron-store';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appVersion } from './core/app-version.js';
import { hostname } from 'node:os';
import { createCore, type Core } from './core/core.js';
import { unreadableSettings, type SettingsStore } from './core/settings/settings-store.js';
import type { SecretBox } from './core/settings/secret-box.js';
import { startHost, type RunningHost } from './host/http-host.js';
import { handleIpc } from './ipc-handlers.js';
import { showWalls } from './wall-windows.js';
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
  // Every permission is refused but full screen for our own pages (the full-screen wall).
  const ownFullScreen = (permission: string, url: string) => permission === 'fullscreen' && url.startsWith(`${RENDERER_ORIGIN}/`);
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) => callback(ownFullScreen(permission, details.requestingUrl)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission, requestingOrigin) => ownFullScreen(permission, `${requestingOrigin}/`));
  // A workstation of a site: `watchroom --directory=postgres://user@host:5432/db`, the password in
  // ~/.pgpass (as watchroom-host); cameras, bookmarks and footage then come from the site.
  const directoryUrl = app.commandLine.getSwitchValue('directory');
  const core: Core = createCore({
    ...(directoryUrl ? { directory: { url: directoryUrl }, site: { role: 'workstation', name: `Workstation on ${hostname()}` } } : {}),
    dataDir: app.getPath('userData'),
    appVersion: appVersion(),
    shell: 'electron',
    settings: electronStore('settings'),
    credentials: electronStore('credentials'),
    ...keyringSecretBox(),
    demoWhenEmpty: true,
  });
  // Live video travels over a loopback WebSocket (binary, high rate) and recorded media over loopback
  // HTTP; that server carries nothing else: the API and events go over IPC, the pages over app://.
  const live: RunningHost = await startHost({ core, rendererDir, port: 0, extraOrigins: [RENDERER_ORIGIN], only: ['live', 'media'] });
  protocol.handle(RENDERER_SCHEME, serveRenderer(rendererDir, live.port));

  const workstationSession = handleIpc(core, live.port, fromOurRenderer);
  await showWalls(core, workstationSession, (name) => electronStore(name), (wallId, bounds) => {
    const window = new BrowserWindow({
      ...bounds,
      backgroundColor: '#0b0d10',
      title: 'Watchroom',
      webPreferences: { preload: preloadPath, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
    });
    void window.loadURL(`${RENDERER_ORIGIN}/index.html?wall=${encodeURIComponent(wallId)}`);
    window.maximize();
    return window;
  });

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
