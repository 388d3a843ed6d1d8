/**
 * Two workstations on one PostgreSQL directory: two real cores with their own data folders (and
 * browser hosts), one database of a throw-away cluster this file starts. A bookmark made on one is
 * listed by the other, whose views are told; the connection that hears changes survives being
 * killed. Then watchroom-host's refusals: a password in the address, a database that is not there,
 * a schema from a newer Watchroom.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookmarkInput } from '../../shared/incidents.js';
import type { CoreEvent } from '../../shared/events.js';
import { DIRECTORY_MIGRATIONS } from '../../electron/core/directory/pg-migrations.js';
import { HOST_CLI } from '../fixtures/host-process.js';
import { startTestPostgres, type TestPostgres } from '../fixtures/postgres.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';

let cluster: TestPostgres;
let url: string;
let a: TestHost;
let b: TestHost;
let cameraId: string;

beforeAll(async () => {
  cluster = await startTestPostgres();
  url = await cluster.createDatabase();
  [a, b] = await Promise.all([startTestHost({ directory: { url } }), startTestHost({ directory: { url } })]);
  await Promise.all([a.core.directoryReady, b.core.directoryReady]);
  // A bookmark names a camera of the workstation that makes it; it needs no footage, so this one stays off.
  cameraId = (await a.api.addCamera({ name: 'Stairwell B', url: 'rtsp://127.0.0.1:9/stream', enabled: false })).id;
}, 120_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await cluster?.stop();
});

/** The bookmarks.changed events a host emits from now on. */
function heard(h: TestHost): CoreEvent[] {
  const events: CoreEvent[] = [];
  h.core.onEvent((e) => void (e.type === 'bookmarks.changed' && events.push(e)));
  return events;
}

const input = (over: Partial<BookmarkInput> = {}): BookmarkInput => ({
  cameraIds: [cameraId], atMs: Date.now(), beforeMs: 5_000, afterMs: 5_000,
  title: 'Fight on the stairs', notes: 'Two men, one in a red jacket.', tags: ['assault'], caseReference: 'CASE-77', ...over,
});

describe('two workstations on one PostgreSQL directory', () => {
  it('lists on B the bookmark made through A, and tells B’s views; B’s edit and delete reach A the same way', async () => {
    const onB = heard(b);
    const made = await a.api.createBookmark(input());
    await waitFor('B to hear of the bookmark', () => onB.length >= 1);
    expect(await b.api.listBookmarks({ text: 'red jacket' })).toEqual([made]);

    const onA = heard(a);
    const edited = await b.api.updateBookmark({ id: made.id, changes: { notes: 'Three men', tags: ['assault', 'weapon'] } });
    await waitFor('A to hear of the edit', () => onA.length >= 1);
    expect(await a.api.listBookmarks({ tag: 'WEAPON' })).toEqual([edited]);

    const before = onA.length;
    await b.api.deleteBookmark({ id: made.id });
    await waitFor('A to hear of the delete', () => onA.length > before);
    expect(await a.api.listBookmarks({})).toEqual([]);
    await expect(a.api.updateBookmark({ id: made.id, changes: { notes: 'late edit' } })).rejects.toMatchObject({ code: 'bookmark.not-found' });
  });

  it('hears changes again after its LISTEN connection is killed, and first tells its views to reload what they may have missed', async () => {
    const listeners = () => cluster.query<{ pid: number }>(url, "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN watchroom'");
    expect(await listeners()).toHaveLength(2); // one per workstation
    const onB = heard(b);
    const killed = await cluster.query<{ killed: boolean }>(url, "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN watchroom'");
    expect(killed.map((k) => k.killed)).toEqual([true, true]);
    // Nothing changed, yet B announces: it cannot know what it missed while it was not listening.
    await waitFor('B to listen again and say so', () => onB.length >= 1);
    expect(await listeners()).not.toHaveLength(0);

    const before = onB.length;
    const made = await a.api.createBookmark(input({ title: 'After the cut' }));
    await waitFor('B to hear of the bookmark made after the cut', () => onB.length > before);
    expect((await b.api.listBookmarks({ text: 'after the cut' })).map((x) => x.id)).toEqual([made.id]);
  });

  it('carries on when PostgreSQL itself restarts: B listens again, and A’s next bookmark reaches B', async () => {
    const onB = heard(b);
    await cluster.restart();
    await waitFor('B to listen again and say so', () => onB.length >= 1);
    const before = onB.length;
    const made = await a.api.createBookmark(input({ title: 'After the restart' }));
    await waitFor('B to hear of the bookmark made after the restart', () => onB.length > before);
    expect((await b.api.listBookmarks({ text: 'after the restart' })).map((x) => x.id)).toEqual([made.id]);
  });
});

describe('watchroom-host --directory', () => {
  const folders: string[] = [];
  afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

  /** Starts the built host on a fresh data folder; its exit code and what it said, when it exits by itself. */
  const host = (directory: string) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const data = mkdtempSync(join(tmpdir(), 'watchroom-host-'));
      folders.push(data);
      const child = spawn(process.execPath, [HOST_CLI, '--port', '0', '--data', data, '--no-demo', '--directory', directory]);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', () => child.kill('SIGTERM')); // it listened: it did not refuse
      child.once('exit', (code) => resolve({ code, stderr }));
    });

  it('refuses a password in the address, pointing to PGPASSFILE, a database that is not there, and a newer schema', async () => {
    expect(existsSync(HOST_CLI), 'npm run build first').toBe(true);
    const withPassword = await host(`postgres://watchroom:hunter2@127.0.0.1:${cluster.port}/x`);
    expect(withPassword.code).toBe(2);
    expect(withPassword.stderr).toMatch(/--directory: The directory address carries a password.*PGPASSFILE/);
    expect(withPassword.stderr).not.toContain('hunter2');

    const missing = await host(`postgres://watchroom@127.0.0.1:${cluster.port}/no_such_directory`);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('There is no database “no_such_directory”') });

    const newer = await cluster.createDatabase();
    await cluster.query(newer, 'CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    await cluster.query(newer, "INSERT INTO schema_migrations (version, name) VALUES ($1, 'from a newer Watchroom')", [DIRECTORY_MIGRATIONS.length + 1]);
    const tooNew = await host(newer);
    expect(tooNew).toMatchObject({ code: 2, stderr: expect.stringContaining('newer than this Watchroom knows') });
  }, 60_000);
});
