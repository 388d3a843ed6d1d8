/**
 * A workstation's questions to a recorder end by themselves, whatever the recorder does (a recorder
 * whose keys were taken, say). The custody question: when the recorder says nothing for the idle limit,
 * when it keeps talking (a byte now and then, which no idle limit catches) past the deadline of the
 * whole answer, and at once when the person cancels. The list of a window's segments (a playlist is
 * made of it): when it drips past its deadline or runs past its size, that recorder is left out and
 * the playlist is made of the rest. Real parts: the workstation's clients (site-custody.ts and
 * site-footage.ts over node-signature.ts, its pinned TLS), a real HTTPS server with the recorder's
 * own TLS identity, on loopback. The limits are shortened so a deadline is shown in seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadOrCreateSigningKey } from '../../electron/core/evidence/signing-key.js';
import { CUSTODY_LIMITS, CUSTODY_SIGNATURE_HEADER, siteCustody } from '../../electron/core/recorders/site-custody.js';
import { FOOTAGE_LIMITS, siteFootage } from '../../electron/core/recorders/site-footage.js';
import { WatchroomError } from '../../shared/errors.js';
import { tlsOfKeys } from '../fixtures/node-fetch.js';
import { waitFor } from '../fixtures/wait-for.js';

// Real sockets on a machine that may be busy: room beyond vitest's 5 s.
vi.setConfig({ testTimeout: 60_000 });

const roots: string[] = [];
const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
const keysDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  roots.push(dir);
  return join(dir, 'keys');
};

const recorderKeys = keysDir('wr-custody-rec-');
const recorderKey = loadOrCreateSigningKey(recorderKeys);
const wsKey = loadOrCreateSigningKey(keysDir('wr-custody-ws-'));
const question = { recorderId: 'rec-a', packageId: '6f1c1c1e-3b8e-4d5a-9a43-0c5e1f7d2b11', cameras: ['cam-1'], fromMs: 1_000, toMs: 2_000, forPerson: 'Ada' };

/** The recorder's HTTPS door, answering every request as `answer` does; counts the requests it saw end. */
async function recorder(answer: (res: ServerResponse, path: string) => void): Promise<{ url: string; closed: () => number }> {
  let closed = 0;
  const server = createServer(tlsOfKeys(recorderKeys, 'rec-a'), (req, res) => {
    res.on('close', () => closed++);
    answer(res, req.url!);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, closed: () => closed };
}

/** A workstation asking `url` with the given limits; the directory's checkpoints are never reached here. */
const custodyAt = (url: string, limits: { idleMs: number; deadlineMs: number } = CUSTODY_LIMITS) =>
  siteCustody(
    {
      recorder: () => ({ url, publicKeyPem: recorderKey.publicKeyPem }),
      me: () => ({ nodeId: 'ws-1', key: wsKey }),
      checkpointsOf: () => {
        throw new Error('no answer came, so nothing should be held to the directory');
      },
    },
    limits,
  );

/** Headers of a signed answer of `length` bytes, then one byte every 100 ms until the reader goes. */
const drip = (length: number) => (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(length), [CUSTODY_SIGNATURE_HEADER]: 'c2lnbmF0dXJl' });
  const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write('{')), 100);
  res.on('close', () => clearInterval(timer));
};

const refusal = (p: Promise<unknown>) => p.then(() => null, (error: unknown) => error);

describe('a workstation’s custody question', () => {
  it('ends an answer that drips a byte at a time once its deadline passes, says so, and hangs up', async () => {
    const door = await recorder(drip(1_000_000));
    const error = await refusal(custodyAt(door.url, { idleMs: 30_000, deadlineMs: 1_500 }).fetch(question));
    expect(error).toBeInstanceOf(WatchroomError);
    expect(error).toMatchObject({ code: 'export.recorder-unreachable' });
    expect((error as Error).message).toContain('did not give its answer and its ledger within 1.5 s');
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });

  it('gives up on a recorder that says nothing for the idle limit', async () => {
    const door = await recorder(() => undefined);
    const error = await refusal(custodyAt(door.url, { idleMs: 500, deadlineMs: 60_000 }).fetch(question));
    expect(error).toMatchObject({ code: 'export.recorder-unreachable' });
    expect((error as Error).message).toContain('no answer in time');
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });

  it('ends at once, as cancelled and not as a recorder fault, when the person cancels during a drip', async () => {
    let dripping!: () => void;
    const begun = new Promise<void>((resolve) => (dripping = resolve));
    const door = await recorder((res) => {
      drip(1_000_000)(res);
      dripping();
    });
    const cancel = new AbortController();
    const asked = refusal(custodyAt(door.url).fetch(question, cancel.signal));
    await begun;
    cancel.abort();
    const error = await asked;
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(WatchroomError);
    expect((error as Error).name).toBe('AbortError');
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });
});

/** A workstation listing a window of `cam-1` from the recorder at `url`, which the directory's coverage names as its only holder; what it warned. */
const footageAt = (url: string, limits: { idleMs: number; listDeadlineMs: number; listBytes: number } = FOOTAGE_LIMITS) => {
  const warned: string[] = [];
  const footage = siteFootage(
    {
      coverage: { holders: async () => ['rec-a'], ranges: async () => [] },
      peerOf: () => ({ nodeId: 'rec-a', url, publicKeyPem: recorderKey.publicKeyPem }),
      me: () => ({ nodeId: 'ws-1', key: wsKey }),
      logger: { log: (_level: string, message: string, fields?: Record<string, unknown>) => void warned.push(`${message} ${JSON.stringify(fields ?? {})}`) },
    },
    limits,
  );
  return { list: () => footage.segments('cam-1', 1_000, 60_000), warned };
};

describe('a workstation’s list of a window’s segments', () => {
  it('reads a recorder’s list as it is (the control)', async () => {
    const asked: string[] = [];
    const door = await recorder((res, path) => {
      asked.push(path);
      res.end(JSON.stringify([{ id: 7, startMs: 2_000, endMs: 4_000 }, { id: 8, startMs: 4_000, endMs: 6_000 }]));
    });
    const { list, warned } = footageAt(door.url);
    expect(await list()).toEqual([{ recorderId: 'rec-a', id: 7, startMs: 2_000, endMs: 4_000 }, { recorderId: 'rec-a', id: 8, startMs: 4_000, endMs: 6_000 }]);
    expect(asked).toEqual(['/footage/cam-1?fromMs=1000&toMs=60000']);
    expect(warned).toEqual([]);
  });

  // FOUND AND FIXED (site-footage.ts listOf): the list was read whole however long it ran, and without a deadline.
  it('leaves out a recorder whose list never ends, having read no more than its bound', async () => {
    let sent = 0;
    const door = await recorder((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && sent < 512 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    });
    const { list, warned } = footageAt(door.url, { ...FOOTAGE_LIMITS, listBytes: 1024 * 1024 });
    expect(await list()).toEqual([]);
    expect(warned.join('\n')).toContain('its list is larger than 1048576 bytes');
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
    // The bound, and what the sockets' buffers held beyond it: far from the 512 MiB on offer.
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('leaves out a recorder whose list drips past its deadline, and hangs up', async () => {
    const door = await recorder(drip(1_000_000));
    const { list, warned } = footageAt(door.url, { ...FOOTAGE_LIMITS, listDeadlineMs: 1_500 });
    expect(await list()).toEqual([]);
    expect(warned.join('\n')).toMatch(/a recorder’s list is left out.*rec-a/);
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });
});
