/** JSON-lines logger. Every line passes through redaction, so no camera credential reaches a log. */
import { appendFileSync } from 'node:fs';
import { redactSecrets } from './cameras/rtsp-url.js';

export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  /** Append lines to this file; stderr otherwise. */
  file?: string;
  /** Current secrets to scrub (camera passwords). */
  secrets: () => ReadonlyArray<string | undefined>;
  /** Also echo to stderr when writing to a file. */
  echo?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  return {
    log(level, msg, fields) {
      const line = redactSecrets(JSON.stringify({ at: new Date().toISOString(), level, msg, ...fields }), options.secrets());
      let written = false;
      if (options.file) {
        try {
          appendFileSync(options.file, `${line}\n`);
          written = true;
        } catch {
          // A full or vanished disk must not turn logging into a crash: the line goes to stderr instead.
        }
      }
      if (!written || options.echo) process.stderr.write(`${line}\n`);
    },
  };
}
