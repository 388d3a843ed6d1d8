/** What Watchroom's long-running commands (watchroom-host, watchroom-recorder) share about being a process. */
import { checkDirectoryUrl } from '../core/directory/directory-url.js';
import { fingerprintTyped } from '../core/recorders/site-admission.js';

/** A command line that cannot be used as it is: the sentence says why. */
export class UsageError extends Error {}

/** A `--directory` address as given, or the usage error saying what is wrong with it. */
/** `--site-key`: the site admission key's SHA-256 fingerprint, as `ab:cd:…` (colons, spaces and case as typed). */
export function siteKeyOption(fingerprint: string): string {
  const typed = fingerprintTyped(fingerprint);
  if (!typed) throw new UsageError(`--site-key is the site key's SHA-256 fingerprint (64 hex digits, colons allowed), not “${fingerprint}”.`);
  return typed;
}

export function directoryOption(url: string): string {
  try {
    checkDirectoryUrl(url);
    return url;
  } catch (error) {
    throw new UsageError(`--directory: ${(error as Error).message}`);
  }
}

/** The parsed command line, or the exit code after a usage problem was printed (2). */
export function parseOrExit<T>(read: () => T): T | number {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
}

/** Resolves at the first SIGINT or SIGTERM, after telling `onSignal` which came: a CLI then stops its cameras. */
export function untilSignal(onSignal: (signal: NodeJS.Signals) => void): Promise<void> {
  return new Promise((done) => {
    const stop = (signal: NodeJS.Signals) => {
      onSignal(signal);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** Runs the command and exits with its code; a failure it did not expect is one sentence, never a stack trace. */
export function runCommand(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
