/**
 * A site's processes copy their ledger checkpoints into the PostgreSQL directory (issue 13): an
 * anchor off the machine. Attacked as someone with the machine's disk and a database login would:
 * the table refuses updates and deletes; a ledger cut back with its checkpoints file to match, and a
 * checkpoint re-made after the fact, are both found at the next start against the directory's copies.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINTS_FILE } from '../../electron/core/audit/ledger-checkpoints.js';
import { createCore, type Core } from '../../electron/core/core.js';
import { openPostgresDirectory } from '../../electron/core/directory/postgres-directory.js';
import type { Logger } from '../../electron/core/logger.js';
import { startTestPostgres, type TestPostgres } from '../fixtures/postgres.js';
import { waitFor } from '../fixtures/wait-for.js';

let cluster: TestPostgres;
let url: string;
const NODE = 'ws-anchor';
const silent: Logger = { log: () => undefined };

beforeAll(async () => {
  cluster = await startTestPostgres();
  url = await cluster.createDatabase();
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

/** A workstation of the site on `dataDir`, taking a checkpoint every 3 entries. */
const workstation = (dataDir: string) =>
  createCore({ dataDir, appVersion: 'test', shell: 'browser', directory: { url }, site: { role: 'workstation', name: 'Anchored', nodeId: NODE }, checkpointEvery: { entries: 3 } });

const copies = async () => (await cluster.query<{ seq: string; checkpoint: { seq: number; hash: string } }>(url, 'SELECT seq, checkpoint FROM ledger_checkpoints WHERE node_id = $1 ORDER BY seq', [NODE])).map((r) => r.checkpoint);
const localCheckpoints = (dataDir: string) => readFileSync(join(dataDir, CHECKPOINTS_FILE), 'utf8').trim().split('\n');

async function checkAtStart(dataDir: string): Promise<{ core: Core; problems: string[] }> {
  const core = workstation(dataDir);
  const status = await waitFor('the start-up check', async () => {
    const s = await core.system.getAuditStatus();
    return s.check && s.check.state !== 'running' ? s.check : undefined;
  }, 60_000);
  return { core, problems: status.problems };
}

describe('ledger checkpoints copied into the site directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'watchroom-anchor-'));

  it('copies every checkpoint as it is taken, and the table takes no update or delete', async () => {
    const core = workstation(dataDir);
    await core.directoryReady;
    for (let i = 0; i < 10; i++) await core.system.savePreset({ name: `Preset ${i}` });
    // By entry: the shutdown checkpoint of an entry already checkpointed is not copied again (as for the mirror).
    const local = () => [...new Set(localCheckpoints(dataDir).map((l) => (JSON.parse(l) as { seq: number }).seq))];
    await waitFor('checkpoints taken and copied', async () => local().length >= 2 && (await copies()).length === local().length);
    await core.close(); // the shutdown checkpoint is copied too
    expect((await copies()).map((c) => c.seq)).toEqual(local());
    await expect(cluster.query(url, 'UPDATE ledger_checkpoints SET checkpoint = $1', [{ seq: 1 }])).rejects.toThrow(/append-only/);
    await expect(cluster.query(url, 'DELETE FROM ledger_checkpoints')).rejects.toThrow(/append-only/);
    await expect(cluster.query(url, 'TRUNCATE ledger_checkpoints')).rejects.toThrow(/append-only/);
  });

  it('gives an export the copies around a stretch of the ledger: those in it and the last before it, oldest first', async () => {
    const directory = openPostgresDirectory(url, silent);
    try {
      const anchor = directory.site!.checkpointsOf(NODE);
      const all = (await anchor.all()).map((c) => c!.seq);
      expect(all.length).toBeGreaterThanOrEqual(3);
      const [a, b, c] = all;
      expect((await anchor.around(b!, c!)).map((x) => x!.seq)).toEqual([a, b, c]);
      expect((await anchor.around(b! + 1, c!)).map((x) => x!.seq)).toEqual([b, c]);
      expect((await anchor.around(0, a!)).map((x) => x!.seq)).toEqual([a]);
      expect((await anchor.around(0, Number.MAX_SAFE_INTEGER)).map((x) => x!.seq)).toEqual(all);
    } finally {
      await directory.close();
    }
  });

  it('finds a clean ledger clean at the next start', async () => {
    const { core, problems } = await checkAtStart(dataDir);
    await core.close();
    expect(problems).toEqual([]);
  });

  it('finds a ledger cut back together with its checkpoints file: the directory still has the checkpoints', async () => {
    const lines = readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n');
    const checkpoints = localCheckpoints(dataDir);
    const kept = checkpoints.slice(0, 2);
    const lastKept = JSON.parse(kept.at(-1)!) as { seq: number };
    // Everything after the second checkpoint goes, in both files: locally, the cut cannot be seen.
    writeFileSync(join(dataDir, 'audit.jsonl'), `${lines.filter((l) => (JSON.parse(l) as { seq: number }).seq <= lastKept.seq).join('\n')}\n`);
    writeFileSync(join(dataDir, CHECKPOINTS_FILE), `${kept.join('\n')}\n`);
    const { core, problems } = await checkAtStart(dataDir);
    await core.close();
    expect(problems.join('\n')).toMatch(/The site directory holds a checkpoint of entry \d+ that the workstation's checkpoints file no longer has/);
  });
});
