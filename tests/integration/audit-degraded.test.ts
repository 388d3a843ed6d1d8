/**
 * The ledger's disk full while the control room works: a real tmpfs holds only the ledger file (bind
 * mounted over <data>/audit.jsonl), real cameras and ffmpeg keep going. Live view and recording go on
 * with their entries waiting in order; exports wait; everything is written when space returns.
 */
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/api.js';
import type { AuditStatus } from '../../shared/events.js';
import { checkChain } from '../../electron/core/audit/audit-ledger.js';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { LiveClient } from '../fixtures/live-client.js';
import { smallLedgerDisk, type SmallLedgerDisk } from '../fixtures/small-ledger-disk.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';

let h: TestHost;
let cams: TestCamera[];
let disk: SmallLedgerDisk;
let ledgerFile: string;
const statuses: AuditStatus[] = [];

beforeAll(async () => {
  cams = await Promise.all([1, 2].map((n) => startTestCamera({ codec: 'h264', label: `Audit ${n}` })));
  disk = smallLedgerDisk('watchroom-audit-full-');
  ledgerFile = disk.ledgerFile;
  h = await startTestHost({ dataDir: disk.dataDir });
  h.core.onEvent((e) => e.type === 'audit.status' && statuses.push(e.status));
  await h.core.ready;
}, 60_000);

afterAll(async () => {
  // Not h.close(): the data folder holds a mount point, unmounted before it is removed.
  await h?.host.close();
  await h?.core.close();
  disk?.unmount();
  rmSync(h.dataDir, { recursive: true, force: true });
  await stopAllTestCameras();
});

describe('with the ledger’s disk full', () => {
  it('live view and recording go on, exports wait, and every entry is written in order once space returns', async () => {
    const first = await h.api.addCamera({ name: 'Gate', url: cams[0]!.url });
    await h.waitForState(first.id, 'live');
    disk.fill();
    // The ledger file's last page still has room: actions fill it, then the disk refuses.
    for (let i = 0; i < 200 && (await h.api.getAuditStatus()).state === 'ok'; i++) await h.api.savePreset({ name: `Preset ${i}` });
    expect(await h.api.getAuditStatus()).toMatchObject({ state: 'degraded', problem: 'its disk is full' });
    expect(statuses.some((s) => s.state === 'degraded')).toBe(true);

    // A new live view: its entry cannot be written, the view opens all the same.
    const viewer = new LiveClient(h.baseUrl, first.id, h.token);
    try {
      await waitFor('fragments to the new viewer', () => viewer.fragmentsSinceInit().length >= 10 || undefined, 30_000);
    } finally {
      await viewer.close();
    }

    // A camera added now is kept and recorded; its segments are indexed while their entries wait.
    const second = await h.api.addCamera({ name: 'Yard', url: cams[1]!.url });
    expect((await h.api.listCameras()).map((c) => c.id)).toContain(second.id);
    const index = h.core.recordings.index;
    await waitFor('the new camera recording', () => index.segments(second.id, 0, Date.now() + 60_000).length >= 1 || undefined, 40_000);
    const queued = (await h.api.getAuditStatus()).queued;
    expect(queued).toBeGreaterThan(0);

    // A disclosure the ledger cannot record does not happen.
    const segment = index.segments(first.id, 0, Date.now() + 60_000)[0]!;
    await expect(h.api.startExport({ cameraIds: [first.id], fromMs: segment.startMs, toMs: segment.endMs, reason: 'test', caseReference: 'C-1', recipient: null, workingCopy: false })).rejects.toMatchObject({
      code: 'export.audit-unavailable',
    });

    disk.free();
    await waitFor('auditing back to normal', async () => ((await h.api.getAuditStatus()).state === 'ok' || undefined), 20_000);
    expect(statuses.at(-1)).toMatchObject({ state: 'ok', queued: 0 });
    // The camera added meanwhile has its captures in the ledger too: its first minute, once sealed.
    const entriesNow = () => readFileSync(ledgerFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
    await waitFor('a sealed minute of the camera added while the disk was full', () => entriesNow().some((e) => e.action === 'recording.minute' && e.subject === second.id) || undefined, 120_000);
    const entries = entriesNow();
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    const actions = entries.map((e) => `${e.action} ${e.subject}`);
    expect(actions).toContain(`stream.open ${first.id}`);
    expect(actions).toContain(`camera.add ${second.id}`);
    const sealed = entries.find((e) => e.action === 'recording.minute' && e.subject === second.id)!;
    expect(sealed.details!.paths).toEqual(expect.arrayContaining([index.segments(second.id, 0, Date.now() + 60_000)[0]!.path]));
    expect(checkChain(entries)).toMatchObject({ ok: true, entries: entries.length });
    // Room for its waits: a minute is sealed only once it is over, up to 75 s after the camera began.
  }, 300_000);
});
