#!/usr/bin/env node
/**
 * watchroom-host: the browser shell, headless. Serves the wall on loopback, where people sign in,
 * and exits cleanly, with every ffmpeg gone, on SIGINT or SIGTERM.
 *
 *   watchroom-host --port 8640 --data ~/.watchroom [--cameras cameras.json|cameras.csv] [--no-demo]
 *                  [--exports DIR] [--ledger-mirror DIR] [--tsa-url URL] [--idle-lock SECONDS]
 *                  [--directory postgres://USER@HOST:PORT/DATABASE [--name "Workstation 3"]]
 *   watchroom-host --data ~/.watchroom [--directory …] --create-admin NAME [--display-name "Full Name"] < password
 *
 * --directory makes this a workstation of the site whose PostgreSQL directory it names: people,
 * cameras, bookmarks, masks and who records what come from there, live video and recordings from the site's
 * recorders (watchroom-recorder); it records nothing itself and holds no camera password. The
 * directory's password comes from ~/.pgpass or PGPASSFILE, never the command line. Without it, the
 * data folder keeps everything and this process records its cameras itself, as on a single machine.
 *
 * --create-admin makes the first administrator (the password is read from standard input, so it is
 * in no command line and no shell history) and exits; on a first start without it, the page asks.
 * With --directory it is the site's first administrator, made once for every workstation.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { text } from 'node:stream/consumers';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore, type Core } from '../core/core.js';
import { defaultDataDir } from '../core/data-dirs.js';
import { WatchroomError } from '../../shared/errors.js';
import { startHost } from '../host/http-host.js';
import { appVersion } from '../core/app-version.js';
import { personInputSchema } from '../../shared/schemas.js';
import { fieldSentence } from '../../shared/field-sentences.js';
import { directoryOption, parseOrExit, runCommand, siteKeyOption, untilSignal, UsageError } from './cli-process.js';

const USAGE = `Usage: watchroom-host [--port N] [--data DIR] [--cameras FILE.json|FILE.csv] [--no-demo] [--exports DIR] [--ledger-mirror DIR] [--tsa-url URL] [--idle-lock SECONDS]
                      [--directory postgres://USER@HOST:PORT/DATABASE [--site-key FINGERPRINT]]
       watchroom-host [--data DIR] [--directory postgres://…] --create-admin NAME [--display-name "Full Name"] < password-file`;


function readOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '8640' },
        data: { type: 'string', default: defaultDataDir() },
        cameras: { type: 'string' },
        'no-demo': { type: 'boolean', default: false },
        exports: { type: 'string' },
        'create-admin': { type: 'string' },
        'display-name': { type: 'string' },
        'idle-lock': { type: 'string' },
        'ledger-mirror': { type: 'string' },
        'tsa-url': { type: 'string' },
        directory: { type: 'string' },
        'site-key': { type: 'string' },
        name: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not “${values.port}”.`);
  const idleLockSeconds = values['idle-lock'] === undefined ? undefined : Number(values['idle-lock']);
  if (idleLockSeconds !== undefined && !(Number.isInteger(idleLockSeconds) && idleLockSeconds >= 1 && idleLockSeconds <= 86_400)) {
    throw new UsageError(`--idle-lock is a number of seconds from 1 to 86400, not “${values['idle-lock']}”.`);
  }
  const tsaUrl = values['tsa-url'];
  if (tsaUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(tsaUrl)) throw new UsageError(`--tsa-url must be an http(s) address, not “${tsaUrl}”.`);
  if (values.directory !== undefined) directoryOption(values.directory);
  return { values, port, idleLockSeconds, tsaUrl };
}

async function main(): Promise<number> {
  const options = parseOrExit(readOptions);
  if (typeof options === 'number') return options;
  const { values, port, idleLockSeconds, tsaUrl } = options;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let core;
  try {
    core = createCore({
      dataDir: resolve(values.data),
      appVersion: appVersion(),
      shell: 'browser',
      demoWhenEmpty: !values.cameras && !values['no-demo'] && !values['create-admin'],
      ...(idleLockSeconds ? { idleLockMs: idleLockSeconds * 1000 } : {}),
      ...(values.exports ? { exportsDir: resolve(values.exports) } : {}),
      ...(values['ledger-mirror'] ? { ledgerMirror: resolve(values['ledger-mirror']) } : {}),
      ...(tsaUrl ? { timestampUrl: tsaUrl } : {}),
      // A workstation of the site: cameras, bookmarks and leases from the directory, live video from the recorders.
      ...(values.directory
        ? { directory: { url: values.directory }, site: { role: 'workstation' as const, name: values.name ?? `Workstation on ${hostname()}`, ...(values['site-key'] ? { siteKey: siteKeyOption(values['site-key']) } : {}) } }
        : {}),
    });
    await core.directoryReady;
  } catch (error) {
    if (!(error instanceof WatchroomError)) throw error;
    process.stderr.write(`${error.message}\n`);
    await core?.close();
    return 2;
  }
  const code = values['create-admin'] !== undefined ? await createAdmin(core, values['create-admin'], values['display-name']) : values.cameras ? await importCameraFile(core, resolve(values.cameras)) : 0;
  if (values['create-admin'] !== undefined || code !== 0) {
    await core.close();
    return code;
  }
  return serve(core, port);
}

/** Cameras listed in a JSON or CSV file, imported at start (again on every start: what is there is skipped). */
async function importCameraFile(core: Core, file: string): Promise<number> {
  try {
    const format = extname(file).toLowerCase() === '.csv' ? 'csv' : 'json';
    const result = await core.system.importCameras({ text: readFileSync(file, 'utf8'), format });
    process.stderr.write(`Imported ${result.added.length} camera(s) from ${file}${result.skipped.length ? `; ${result.skipped.length} already present` : ''}.\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${file}: ${(error as Error).message}\n`);
    if (error instanceof WatchroomError) for (const f of error.fields ?? []) process.stderr.write(`  ${f.message}\n`);
    return 2;
  }
}

/** Serves the browser shell until SIGINT or SIGTERM, then stops every camera. */
async function serve(core: Core, port: number): Promise<number> {
  const rendererDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'renderer');
  const host = await startHost({ core, rendererDir, port });
  process.stdout.write(`Watchroom listening at ${host.url}\n`);
  await untilSignal((signal) => process.stderr.write(`Received ${signal}; stopping cameras.\n`));
  await host.close();
  await core.close();
  return 0;
}

/** The first administrator, with the password from standard input (its first line). */
async function createAdmin(core: Core, name: string, displayName: string | undefined): Promise<number> {
  const password = (await text(process.stdin)).split(/\r?\n/)[0] ?? '';
  const input = personInputSchema.omit({ role: true }).safeParse({ name, displayName: displayName ?? name, password }, { error: fieldSentence });
  if (!input.success) {
    for (const issue of input.error.issues) process.stderr.write(`${issue.message}\n`);
    return 2;
  }
  try {
    const admin = await core.createFirstAdmin(input.data);
    process.stdout.write(`Created administrator ${admin.name}. Start watchroom-host without --create-admin and sign in.\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof WatchroomError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 3;
  }
}

runCommand('watchroom-host', main);
