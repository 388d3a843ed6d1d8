#!/usr/bin/env node
/**
 * watchroom-host: the browser shell, headless. Serves the wall on loopback with an access token and
 * exits cleanly, with every ffmpeg gone, on SIGINT or SIGTERM.
 *
 *   watchroom-host --port 8640 --data ~/.watchroom [--cameras cameras.json|cameras.csv] [--no-demo]
 *                  [--exports DIR] [--role operator|investigator|evidence-officer|admin]
 *                  [--ledger-mirror DIR] [--tsa-url URL]
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore } from '../core/core.js';
import { defaultDataDir } from '../core/data-dirs.js';
import { WatchroomError } from '../../shared/errors.js';
import { startHost } from '../host/http-host.js';
import { appVersion } from '../core/app-version.js';
import { ROLES } from '../../shared/roles.js';

const USAGE = `Usage: watchroom-host [--port N] [--data DIR] [--cameras FILE.json|FILE.csv] [--no-demo] [--exports DIR] [--role ${ROLES.join('|')}] [--ledger-mirror DIR] [--tsa-url URL]`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '8640' },
        data: { type: 'string', default: defaultDataDir() },
        cameras: { type: 'string' },
        'no-demo': { type: 'boolean', default: false },
        exports: { type: 'string' },
        role: { type: 'string', default: 'admin' },
        'ledger-mirror': { type: 'string' },
        'tsa-url': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a number from 0 to 65535, not “${values.port}”.\n`);
    return 2;
  }

  const role = ROLES.find((r) => r === values.role);
  if (!role) {
    process.stderr.write(`--role must be one of ${ROLES.join(', ')}, not “${values.role}”.\n`);
    return 2;
  }

  const tsaUrl = values['tsa-url'];
  if (tsaUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(tsaUrl)) {
    process.stderr.write(`--tsa-url must be an http(s) address, not “${tsaUrl}”.\n`);
    return 2;
  }
  let core;
  try {
    core = createCore({
      dataDir: resolve(values.data),
      appVersion: appVersion(),
      shell: 'browser',
      demoWhenEmpty: !values.cameras && !values['no-demo'],
      ...(values.exports ? { exportsDir: resolve(values.exports) } : {}),
      ...(values['ledger-mirror'] ? { ledgerMirror: resolve(values['ledger-mirror']) } : {}),
      ...(tsaUrl ? { timestampUrl: tsaUrl } : {}),
    });
  } catch (error) {
    if (!(error instanceof WatchroomError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const actor = userInfo().username;

  if (values.cameras) {
    const file = resolve(values.cameras);
    try {
      const format = extname(file).toLowerCase() === '.csv' ? 'csv' : 'json';
      const result = await core.api(actor).importCameras({ text: readFileSync(file, 'utf8'), format });
      process.stderr.write(`Imported ${result.added.length} camera(s) from ${file}${result.skipped.length ? `; ${result.skipped.length} already present` : ''}.\n`);
    } catch (error) {
      process.stderr.write(`Could not import ${file}: ${(error as Error).message}\n`);
      if (error instanceof WatchroomError) for (const f of error.fields ?? []) process.stderr.write(`  ${f.message}\n`);
      await core.close();
      return 2;
    }
  }

  const rendererDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'renderer');
  const host = await startHost({ core, token: randomBytes(24).toString('base64url'), actor, role, rendererDir, port });
  process.stdout.write(`Watchroom listening at ${host.url}\n`);

  await new Promise<void>((done) => {
    const stop = (signal: string) => {
      process.stderr.write(`Received ${signal}; stopping cameras.\n`);
      done();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await host.close();
  await core.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`watchroom-host failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
