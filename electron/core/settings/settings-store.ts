/**
 * Key-value persistence. In Electron this is electron-store; elsewhere its engine, conf, with the same
 * file format. Both are given to the core from outside, so the core never imports electron.
 */
import Conf from 'conf';

export interface SettingsStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  readonly path: string;
}

/**
 * Opens `<dir>/<name>.json`. A file that is not valid JSON is never overwritten: the error names the
 * file so the operator can repair or move it, and nothing in it is lost.
 */
export function openConfStore(dir: string, name: string, fileMode = 0o600): SettingsStore {
  try {
    return new Conf({ cwd: dir, configName: name, projectName: 'watchroom', clearInvalidConfig: false, configFileMode: fileMode });
  } catch (error) {
    throw unreadableSettings(`${dir}/${name}.json`, error);
  }
}

/** Why a settings file could not be opened, naming it; for either engine (conf here, electron-store in Electron). */
export function unreadableSettings(file: string, error: unknown): Error {
  return new Error(`The settings file ${file} cannot be read (${(error as Error).message}). Repair or move it; Watchroom will not overwrite it.`);
}
