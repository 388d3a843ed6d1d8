/**
 * A package download is a disclosure: with the ledger's disk full (a real tmpfs bind-mounted over
 * <data>/audit.jsonl, as in audit-degraded.test.ts) none happens, and once the disk takes entries
 * again the download goes ahead with its entry written.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageDownloadPath } from '../../shared/evidence.js';
import { smallLedgerDisk, type SmallLedgerDisk } from '../fixtures/small-ledger-disk.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';

let h: TestHost;
let disk: SmallLedgerDisk;
let ledgerFile: string;

beforeAll(async () => {
  disk = smallLedgerDisk('watchroom-download-ledger-');
  ledgerFile = disk.ledgerFile;
  h = await startTestHost({ dataDir: disk.dataDir });
});

afterAll(async () => {
  // Not h.close(): the data folder holds a mount point, unmounted before it is removed.
  await h?.host.close();
  await h?.core.close();
  disk?.unmount();
  rmSync(h.dataDir, { recursive: true, force: true });
});

describe('package download with the ledger’s disk full', () => {
  it('sends nothing while the ledger cannot take its entry, and the whole package with its entry once it can', async () => {
    const dir = join(h.dataDir, 'exports', 'WR-LEDGER-1');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ caseReference: 'CASE-LEDGER', packageId: 'p-1' }));
    const path = await h.api.mediaLink({ path: packageDownloadPath('WR-LEDGER-1') });

    disk.fill();
    for (let i = 0; i < 200 && (await h.api.getAuditStatus()).state === 'ok'; i++) await h.api.savePreset({ name: `Preset ${i}` });
    expect((await h.api.getAuditStatus()).state).toBe('degraded');

    const refused = await fetch(`${h.baseUrl}${path}`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).not.toBe('application/zip');
    expect(await refused.text()).toMatch(/^Downloads wait until the audit ledger can be written again/);

    disk.free();
    await waitFor('auditing back to normal', async () => (await h.api.getAuditStatus()).state === 'ok' || undefined, 20_000);
    const sent = await fetch(`${h.baseUrl}${path}`);
    expect(sent.status).toBe(200);
    await sent.arrayBuffer();
    const downloads = readFileSync(ledgerFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; subject: string }).filter((e) => e.action === 'evidence.download');
    expect(downloads).toEqual([expect.objectContaining({ subject: 'CASE-LEDGER' })]);
  });
});
