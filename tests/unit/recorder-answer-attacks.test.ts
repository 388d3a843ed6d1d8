/**
 * A workstation's questions to a recorder end by themselves, whatever the recorder does (a recorder
 * whose keys were taken passes the pinned TLS, and may answer anything). First the limits: the custody
 * question ends when the recorder says nothing for the idle limit, when it keeps talking (a byte now and
 * then, which no idle limit catches) past the deadline of the whole answer, and at once when the person
 * cancels; a window's list of segments is read to its size bound and its deadline, that recorder then
 * left out of the playlist. Then the attacks on them. Real parts: the workstation's clients
 * (site-footage.ts, site-custody.ts, moment-footage.ts over node-signature.ts), a real HTTPS (or raw TLS,
 * for bytes no HTTP server would send) server with the recorder's own TLS identity, on loopback.
 * Limits are shortened so a deadline is shown in seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadOrCreateSigningKey } from '../../electron/core/evidence/signing-key.js';
import { CUSTODY_LIMITS, siteCustody } from '../../electron/core/recorders/site-custody.js';
import { FOOTAGE_LIMITS, siteFootage } from '../../electron/core/recorders/site-footage.js';
import { siteMomentFootage } from '../../electron/core/recording/moment-footage.js';
import { WatchroomError } from '../../shared/errors.js';
import { tlsOfKeys } from '../fixtures/node-fetch.js';
import { waitFor } from '../fixtures/wait-for.js';

vi.setConfig({ testTimeout: 60_000 });

const roots: string[] = [];
const servers: Array<Server | TlsServer> = [];
const sockets: Socket[] = [];
afterAll(() => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
const keysDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  roots.push(dir);
  return join(dir, 'keys');
};
const recorderKeys = keysDir('wr-attack-rec-');
const recorderKey = loadOrCreateSigningKey(recorderKeys);
const wsKey = loadOrCreateSigningKey(keysDir('wr-attack-ws-'));
const question = { recorderId: 'rec-a', packageId: '6f1c1c1e-3b8e-4d5a-9a43-0c5e1f7d2b11', cameras: ['cam-1'], fromMs: 1_000, toMs: 2_000, forPerson: 'Ada' };

type Door = { url: string; closed: () => number };

/** The recorder's HTTPS door, answering as `answer` does; counts the requests it saw end. */
async function recorder(answer: (res: ServerResponse, req: IncomingMessage) => void): Promise<Door> {
  let closed = 0;
  const server = createServer(tlsOfKeys(recorderKeys, 'rec-a'), (req, res) => {
    res.on('close', () => closed++);
    answer(res, req);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, closed: () => closed };
}

/** The recorder's TLS door speaking raw bytes (`talk` gets the socket once the request came); counts connections closed. */
async function rawRecorder(talk: (socket: Socket) => void): Promise<Door> {
  let closed = 0;
  const server = createTlsServer(tlsOfKeys(recorderKeys, 'rec-a'), (socket) => {
    sockets.push(socket);
    socket.on('close', () => closed++);
    socket.on('error', () => undefined);
    socket.once('data', () => talk(socket));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, closed: () => closed };
}

/** Writes `text` a byte every 50 ms until the socket goes. */
const trickle = (socket: Socket, text: string) => {
  let at = 0;
  const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write(text[at++ % text.length]!)), 50);
  socket.on('close', () => clearInterval(timer));
};
/** A body without end, a byte every 50 ms. */
const drip = (res: ServerResponse) => {
  const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 50);
  res.on('close', () => clearInterval(timer));
};

type Limits = { idleMs: number; deadlineMs: number; listBytes: number };
/** A workstation whose directory names `doors` (rec-a, rec-b, …) as holders of cam-1; what it warned. */
const footageAt = (doors: Door[], limits: Partial<Limits> = {}) => {
  const warned: string[] = [];
  const ids = doors.map((_, i) => `rec-${'abcdef'[i]}`);
  const footage = siteFootage(
    {
      coverage: { holders: async () => ids, ranges: async () => [] },
      peerOf: (id) => ({ nodeId: id, url: doors[ids.indexOf(id)]!.url, publicKeyPem: recorderKey.publicKeyPem }),
      me: () => ({ nodeId: 'ws-1', key: wsKey }),
      logger: { log: (_level: string, message: string, fields?: Record<string, unknown>) => void warned.push(`${message} ${JSON.stringify(fields ?? {})}`) },
    },
    { ...FOOTAGE_LIMITS, ...limits },
  );
  return { footage, list: () => footage.segments('cam-1', 1_000, 60_000), warned };
};
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
const refusal = (p: Promise<unknown>) => p.then(() => null, (error: unknown) => error);
/** Settles `p`, or says it was still waiting after `ms`. */
const within = <T>(p: Promise<T>, ms: number): Promise<T | 'still waiting'> => {
  let timer!: NodeJS.Timeout;
  return Promise.race([p, new Promise<'still waiting'>((resolve) => (timer = setTimeout(() => resolve('still waiting'), ms)))]).finally(() => clearTimeout(timer));
};
const good = JSON.stringify([{ id: 7, startMs: 2_000, endMs: 4_000 }]);

describe('the limits of a workstation’s questions', () => {
  it('ends a custody answer that drips a byte at a time once its deadline passes, says so, and hangs up', async () => {
    const door = await recorder((res) => drip(res));
    const error = await refusal(custodyAt(door.url, { idleMs: 30_000, deadlineMs: 1_500 }).fetch(question));
    expect(error).toBeInstanceOf(WatchroomError);
    expect(error).toMatchObject({ code: 'export.recorder-unreachable' });
    expect((error as Error).message).toContain('did not give its answer and its ledger within 1.5 s');
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });

  it('gives up a custody question to a recorder that says nothing for the idle limit', async () => {
    const door = await recorder(() => undefined);
    const error = await refusal(custodyAt(door.url, { idleMs: 500, deadlineMs: 60_000 }).fetch(question));
    expect(error).toMatchObject({ code: 'export.recorder-unreachable' });
    expect((error as Error).message).toContain('no answer in time');
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });

  it('ends a custody question at once, as cancelled and not as a recorder fault, when the person cancels during a drip', async () => {
    let dripping!: () => void;
    const begun = new Promise<void>((resolve) => (dripping = resolve));
    const door = await recorder((res) => {
      drip(res);
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

  it('reads a recorder’s list of a window as it is (the control)', async () => {
    const asked: string[] = [];
    const door = await recorder((res, req) => {
      asked.push(req.url!);
      res.end(JSON.stringify([{ id: 7, startMs: 2_000, endMs: 4_000 }, { id: 8, startMs: 4_000, endMs: 6_000 }]));
    });
    const { list, warned } = footageAt([door]);
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
    const { list, warned } = footageAt([door], { listBytes: 1024 * 1024 });
    expect(await list()).toEqual([]);
    expect(warned.join('\n')).toContain('its list is larger than 1048576 bytes');
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
    // The bound, and what the sockets' buffers held beyond it: far from the 512 MiB on offer.
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('leaves out a recorder whose list drips past its deadline, and hangs up', async () => {
    const door = await recorder((res) => (res.writeHead(200), drip(res)));
    const { list, warned } = footageAt([door], { deadlineMs: 1_500 });
    expect(await list()).toEqual([]);
    expect(warned.join('\n')).toMatch(/a recorder’s list is left out.*rec-a/);
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });
});

describe('a recorder attacking a workstation’s list of a window', () => {
  it('held: a status line trickled a byte at a time, never ending its headers, is left out at the deadline', async () => {
    const door = await rawRecorder((socket) => trickle(socket, 'HTTP/1.1 200 OK'));
    const { list, warned } = footageAt([door], { idleMs: 30_000, deadlineMs: 1_500 });
    expect(await list()).toEqual([]);
    expect(warned.join('\n')).toContain('cannot be reached');
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });

  it('held: endless header lines are left out at the deadline', async () => {
    const door = await rawRecorder((socket) => {
      socket.write('HTTP/1.1 200 OK\r\n');
      trickle(socket, 'x-a: b\r\n');
    });
    const { list } = footageAt([door], { idleMs: 30_000, deadlineMs: 1_500 });
    expect(await list()).toEqual([]);
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });

  it('held: a header block past Node’s header limit, sent at once, is refused', async () => {
    const door = await rawRecorder((socket) => socket.write(`HTTP/1.1 200 OK\r\n${'x-a: b\r\n'.repeat(100_000)}`));
    const { list, warned } = footageAt([door]);
    expect(await list()).toEqual([]);
    expect(warned.join('\n')).toMatch(/cannot be reached|left out/);
  });

  it('held: a list far past the bound written in one piece is read no further than the bound (and a socket read) allows', async () => {
    const door = await recorder((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(Buffer.alloc(32 * 1024 * 1024, 0x20));
    });
    const { list, warned } = footageAt([door], { listBytes: 1024 * 1024 });
    expect(await list()).toEqual([]);
    expect(warned.join('\n')).toContain('its list is larger than 1048576 bytes');
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });

  it('held: a gzip-encoded or chunked list is not inflated (no decoding on this side): bytes are bytes', async () => {
    const door = await recorder((res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'transfer-encoding': 'chunked' });
      res.end(Buffer.from('1f8b0800000000000003', 'hex'));
    });
    const { list, warned } = footageAt([door]);
    expect(await list()).toEqual([]);
    expect(warned.join('\n')).toContain('left out');
  });

  it('held: invalid JSON, non-array JSON and entries that are not segments give nothing, and nothing throws', async () => {
    for (const body of ['{', '{"id":1}', '"x"', 'null', '[' + '['.repeat(100_000), JSON.stringify([{ id: 1e300, startMs: 0, endMs: 1 }, { id: 1, startMs: 'NaN', endMs: 2 }, { id: 2, startMs: 5, endMs: 5 }, { id: 3, startMs: 9, endMs: -1 }, null, 0, [], { id: 4.5, startMs: 1, endMs: 2 }, { id: 2 ** 60, startMs: 1, endMs: 2 }])]) {
      const door = await recorder((res) => res.end(body));
      expect(await footageAt([door]).list()).toEqual([]);
    }
  });

  it('held: overlapping entries keep one copy, oldest first', async () => {
    const door = await recorder((res) =>
      res.end(JSON.stringify([{ id: 2, startMs: 5_000, endMs: 9_000 }, { id: 1, startMs: 2_000, endMs: 6_000 }, { id: 3, startMs: 2_500, endMs: 3_000 }])),
    );
    expect(await footageAt([door]).list()).toEqual([{ recorderId: 'rec-a', id: 1, startMs: 2_000, endMs: 6_000 }, { recorderId: 'rec-a', id: 2, startMs: 5_000, endMs: 9_000 }]);
  });

  // FOUND AND FIXED (site-footage.ts): a list under the 64 MiB bound was parsed whole, so a recorder sending
  // `[{},{},…]` made the workstation build one object per three bytes: 64 MiB became ~1.5 GB of heap and
  // ~25 s of a busy main thread. Now each entry is parsed alone, and one too short to be a segment not at all.
  it('does not turn a list of millions of tiny non-segments into millions of objects at once', async () => {
    const body = `[${'{},'.repeat(2_800_000)}${good.slice(1)}`; // ~8 MiB
    const door = await recorder((res) => res.end(body));
    const { list } = footageAt([door]);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(await list()).toEqual([{ recorderId: 'rec-a', id: 7, startMs: 2_000, endMs: 4_000 }]);
      const longest = Math.max(0, ...parse.mock.calls.map(([text]) => (typeof text === 'string' && text.includes('{},{}') ? text.length : 0)));
      expect(longest).toBe(0);
    } finally {
      parse.mockRestore();
    }
  });

  it('held: one recorder that drips keeps the other’s footage playable, the list ending at the deadline', async () => {
    const bad = await recorder((res) => (res.writeHead(200), drip(res)));
    const fine = await recorder((res) => res.end(good));
    const { list, warned } = footageAt([bad, fine], { deadlineMs: 1_500 });
    expect(await list()).toEqual([{ recorderId: 'rec-b', id: 7, startMs: 2_000, endMs: 4_000 }]);
    expect(warned.join('\n')).toContain('rec-a');
  });

  it('held: the deadline passing after a list was read raises nothing (no stray error or unhandled rejection)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    try {
      const door = await recorder((res) => res.end(good));
      const { list, warned } = footageAt([door], { deadlineMs: 300 });
      expect(await list()).toHaveLength(1);
      const passed = Date.now() + 1_000;
      await waitFor('the deadline to be well past', () => Date.now() > passed, 5_000);
      expect(unhandled).toEqual([]);
      expect(warned).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      process.off('uncaughtException', onUnhandled);
    }
  });

  it('held: a refusal (403) whose body never ends leaves the list out and the connection goes by the deadline', async () => {
    const door = await recorder((res) => (res.writeHead(403), drip(res)));
    const { list } = footageAt([door], { deadlineMs: 1_500 });
    expect(await list()).toEqual([]);
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });
});

describe('a recorder attacking a player’s segment (open)', () => {
  // FOUND AND FIXED (site-footage.ts open): a segment had only the 10-s idle limit, which a byte now and then
  // never trips: a recorder trickling its status line held the player's request (and a timeline picture's
  // grab, which every later pointer over that bucket then waited on) for ever.
  it('ends a segment whose recorder never finishes its headers, at the deadline, as unreachable', async () => {
    const door = await rawRecorder((socket) => trickle(socket, 'HTTP/1.1 200 OK'));
    const { footage } = footageAt([door], { idleMs: 30_000, deadlineMs: 1_500 });
    expect(await within(footage.open('rec-a', 7), 15_000)).toBeNull();
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });

  // FOUND AND FIXED (site-footage.ts request): a refused segment's body was drained (resume) with no end:
  // a recorder dripping a 403 held a connection for ever.
  it('hangs up on a refused segment whose body never ends', async () => {
    const door = await recorder((res) => (res.writeHead(403), drip(res)));
    const { footage } = footageAt([door], { idleMs: 30_000 });
    expect(await footage.open('rec-a', 7)).toBeNull();
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });

  // FOUND AND FIXED (moment-footage.ts siteMomentFootage): a timeline picture's copy of a segment had no deadline:
  // a body dripping a byte now and then held the picture, and every later pointer over its bucket, for ever.
  it('gives up a timeline picture’s copy of a segment whose body drips without end', async () => {
    const door = await recorder((res, req) => (req.url!.includes('/footage/segments/') ? (res.writeHead(200), drip(res)) : res.end(good)));
    const { footage } = footageAt([door], { idleMs: 30_000 });
    const temp = mkdtempSync(join(tmpdir(), 'wr-attack-copies-'));
    roots.push(temp);
    const [segment] = await siteMomentFootage(footage, join(temp, 'copies'), 1_500).segments('cam-1', 1_000, 60_000);
    expect(await within(segment!.open(), 15_000)).toBeNull();
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 2, 10_000);
  });

  it('held: a 404 is gone, a 200 is handed on as it is', async () => {
    const door = await recorder((res, req) => (req.url!.includes('/7.ts') ? res.end('TS') : (res.writeHead(404), res.end('no'))));
    const { footage } = footageAt([door]);
    expect(await footage.open('rec-a', 8)).toBe('gone');
    const res = (await footage.open('rec-a', 7)) as IncomingMessage;
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('TS');
  });
});

describe('a recorder attacking the custody question', () => {
  // FOUND AND FIXED (site-custody.ts): a recorder that cut its answer short, or fell silent in its midst, made
  // the export fail with Node's bare "aborted" (export.failed, naming no recorder), not as that recorder unreachable.
  it('says which recorder could not give its answer when the answer is cut short', async () => {
    const door = await recorder((res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('{"x":');
      setTimeout(() => res.destroy(), 100);
    });
    const error = await refusal(custodyAt(door.url).fetch(question));
    expect(error).toBeInstanceOf(WatchroomError);
    expect(error).toMatchObject({ code: 'export.recorder-unreachable' });
    expect((error as Error).message).toContain('rec-a');
  });

  it('says which recorder fell silent in the midst of its answer', async () => {
    const door = await recorder((res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('{"x":');
    });
    const error = await refusal(custodyAt(door.url, { idleMs: 500, deadlineMs: 60_000 }).fetch(question));
    expect(error).toMatchObject({ code: 'export.recorder-unreachable' });
    expect((error as Error).message).toContain('rec-a');
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });

  it('held: a status line trickled without end is cut at the deadline', async () => {
    const door = await rawRecorder((socket) => trickle(socket, 'HTTP/1.1 200 OK'));
    const error = await refusal(custodyAt(door.url, { idleMs: 30_000, deadlineMs: 1_500 }).fetch(question));
    expect(error).toMatchObject({ code: 'export.recorder-unreachable' });
    expect((error as Error).message).toContain('within 1.5 s');
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });

  it('held: a refusal without end is read to the bound at most, then refused as invalid, and hung up', async () => {
    const door = await recorder((res) => {
      res.writeHead(409);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (!res.destroyed) if (!res.write(chunk)) return void res.once('drain', pump);
      };
      pump();
    });
    const error = await refusal(custodyAt(door.url).fetch(question));
    expect(error).toMatchObject({ code: 'export.recorder-custody-invalid' });
    await waitFor('the recorder’s connection to be closed', () => door.closed() === 1, 10_000);
  });
});
