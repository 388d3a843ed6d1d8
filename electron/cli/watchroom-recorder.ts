#!/usr/bin/env node
/**
 * watchroom-recorder: a site's recorder, headless. It joins the site's PostgreSQL directory, takes
 * the leases of cameras nobody records (its own first, others' when their recorder stops), records
 * them, and relays their live video to the site's workstations through its node server. It serves no
 * pages: people use workstations. It stops cleanly, letting its cameras go at once, on SIGINT or
 * SIGTERM; killed outright, its leases run out and another recorder takes its cameras.
 *
 *   watchroom-recorder --directory postgres://USER@HOST:PORT/DATABASE --listen HOST:PORT
 *                      [--url https://HOST:PORT] [--data DIR] [--name NAME] [--id ID] [--capacity N]
 *                      [--site-key FINGERPRINT]
 *
 * It prints its key's fingerprint at start: an administrator compares it when admitting the
 * recorder on a workstation (Site processes…); until then it gets no camera password and serves
 * nobody. It trusts the site's admission key only once told which it is: --site-key, or the file
 * <data>/site-key holding the fingerprint Site processes… shows on the workstation that made it
 * (read every few seconds while unconfirmed, so no restart is needed).
 *
 * --listen is where the node server listens (the site network); --url is how workstations reach it
 * when that differs (a NAT, a name). The directory's password comes from ~/.pgpass or PGPASSFILE.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { WatchroomError } from '../../shared/errors.js';
import { appVersion } from '../core/app-version.js';
import { createCore, type Core } from '../core/core.js';
import { defaultDataDir } from '../core/data-dirs.js';
import { NodeTokenChecker } from '../core/recorders/node-signature.js';
import { NODE_ID } from '../core/recorders/node-id.js';
import { startNodeServer } from '../host/node-server.js';
import { directoryOption, parseOrExit, runCommand, siteKeyOption, untilSignal, UsageError } from './cli-process.js';
import { loadOrCreateSigningKey } from '../core/evidence/signing-key.js';
import { keysDir } from '../core/evidence/workstation-key.js';
import { nodeTls } from '../core/recorders/node-certificate.js';

const USAGE = `Usage: watchroom-recorder --directory postgres://USER@HOST:PORT/DATABASE --listen HOST:PORT
                          [--url https://HOST:PORT] [--data DIR] [--name NAME] [--id ID] [--capacity N] [--site-key FINGERPRINT]`;

function readOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        directory: { type: 'string' },
        listen: { type: 'string' },
        url: { type: 'string' },
        data: { type: 'string', default: defaultDataDir() },
        name: { type: 'string' },
        id: { type: 'string' },
        capacity: { type: 'string', default: '100' },
        'site-key': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) return { help: true as const };
  if (!values.directory) throw new UsageError(`--directory is required: a recorder records for a site.\n${USAGE}`);
  directoryOption(values.directory);
  const listen = /^(\[[0-9a-f:]+\]|[^:\s]+):(\d{1,5})$/i.exec(values.listen ?? '');
  const port = Number(listen?.[2]);
  if (!listen || port > 65535) throw new UsageError(`--listen is HOST:PORT (e.g. 10.0.0.5:8650), not “${values.listen ?? ''}”.\n${USAGE}`);
  const capacity = Number(values.capacity);
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1000) throw new UsageError(`--capacity is a number of cameras from 1 to 1000, not “${values.capacity}”.`);
  if (values.id !== undefined && !NODE_ID.test(values.id)) throw new UsageError(`--id is lower-case letters, digits and dashes (up to 63), not “${values.id}”.`);
  if (values.url !== undefined && !/^https:\/\/[^\s/]+\/?$/.test(values.url)) throw new UsageError(`--url is https://HOST:PORT (a site's processes talk only over TLS), not “${values.url}”.`);
  return { help: false as const, values, directory: values.directory, host: listen[1]!.replace(/^\[|\]$/g, ''), port, capacity };
}

async function main(): Promise<number> {
  const options = parseOrExit(readOptions);
  if (typeof options === 'number') return options;
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { values, host, port, capacity } = options;
  // The node server listens first: the address the recorder registers is the one it really has (--listen HOST:0 in tests).
  const key = loadOrCreateSigningKey(keysDir(resolve(values.data)));
  let core: Core | undefined;
  const server = await startNodeServer({
    tls: nodeTls(keysDir(resolve(values.data)), key, values.id ?? 'recorder'),
    relay: { openRelay: (...args) => core!.openRelay(...args) },
    footage: () => ({ ...core!.recordings, logger: core!.logger, served: (nodeId, segment) => core!.footageServed(nodeId, segment) }),
    custody: () => (core?.custody ? { ...core.custody, logger: core.logger } : null),
    checker: new NodeTokenChecker(() => core?.nodeId ?? null, (nodeId) => core?.nodeKey(nodeId) ?? null),
    host,
    port,
  });
  try {
    core = createCore({
      dataDir: resolve(values.data),
      appVersion: appVersion(),
      shell: 'browser',
      directory: { url: options.directory },
      site: {
        role: 'recorder',
        name: values.name ?? `Recorder on ${hostname()}`,
        url: values.url?.replace(/\/$/, '') ?? server.url,
        capacity,
        ...(values.id ? { nodeId: values.id } : {}),
        ...(values['site-key'] ? { siteKey: siteKeyOption(values['site-key']) } : {}),
      },
    });
    await core.directoryReady;
  } catch (error) {
    await server.close();
    await core?.close();
    if (!(error instanceof WatchroomError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  process.stdout.write(`Watchroom recorder relaying at ${server.url}; its key's fingerprint, to compare when admitting it: ${key.fingerprint}\n`);
  await untilSignal((signal) => process.stderr.write(`Received ${signal}; letting the cameras go.\n`));
  await server.close();
  await core.close();
  return 0;
}

runCommand('watchroom-recorder', main);
