/**
 * What every feature of the core stands on: the data folder (locked to this process), the settings
 * stores, the log (which scrubs camera passwords), and the event bus the shells listen to.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreEvent } from '../../shared/events.js';
import { lockDataDir } from './data-lock.js';
import { Emitter } from './emitter.js';
import { createLogger, type Logger } from './logger.js';
import { openConfStore, type SettingsStore } from './settings/settings-store.js';

export interface CoreBase {
  dataDir: string;
  settings: SettingsStore;
  credentials: SettingsStore;
  logger: Logger;
  events: Emitter<CoreEvent>;
  emit(event: CoreEvent): void;
  /** Where the log finds the secrets it must never write (set once cameras are loaded). */
  scrubSecrets(secrets: () => string[]): void;
  close(): void;
}

export function openCoreBase(options: { dataDir: string; settings?: SettingsStore; credentials?: SettingsStore; logToStderr?: boolean }): CoreBase {
  const { dataDir } = options;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const unlock = lockDataDir(dataDir);
  let secrets: () => string[] = () => [];
  const events = new Emitter<CoreEvent>();
  return {
    dataDir,
    settings: options.settings ?? openConfStore(dataDir, 'settings'),
    credentials: options.credentials ?? openConfStore(dataDir, 'credentials'),
    logger: createLogger({ file: join(dataDir, 'watchroom.log'), echo: options.logToStderr ?? false, secrets: () => secrets() }),
    events,
    // A listener that fails is its own problem: the event still reaches the others.
    emit: (event) => void events.fire(event).catch(() => undefined),
    scrubSecrets: (next) => void (secrets = next),
    close() {
      events.dispose();
      unlock();
    },
  };
}
