/**
 * Where a workstation keeps its data, so tools find it without being told: the browser shell's
 * default folder, then the Electron app's userData folder (packaged as "Watchroom", from source as
 * "watchroom"). WATCHROOM_DATA, when set, is the only answer.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(home = homedir()): string {
  return join(home, '.watchroom');
}

export function workstationDataDirs(env: NodeJS.ProcessEnv = process.env, home = homedir(), platform: NodeJS.Platform = process.platform): string[] {
  if (env.WATCHROOM_DATA) return [env.WATCHROOM_DATA];
  const appData =
    platform === 'darwin' ? join(home, 'Library', 'Application Support') : platform === 'win32' ? (env.APPDATA ?? join(home, 'AppData', 'Roaming')) : (env.XDG_CONFIG_HOME ?? join(home, '.config'));
  return [defaultDataDir(home), join(appData, 'Watchroom'), join(appData, 'watchroom')];
}
