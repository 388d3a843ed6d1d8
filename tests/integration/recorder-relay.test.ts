/**
 * A recorder relays a camera to workstations: a real GStreamer camera, the recorder's real ffmpeg,
 * its node server, and workstation stream engines reading the relay over a real WebSocket. One RTSP
 * session whatever the number of workstations; a relay needs a token signed by a registered
 * workstation's key; a recorder that goes away is shown as such on the workstation, which plays on
 * when a recorder serves the camera again.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamPath, StreamStatus } from '../../shared/events.js';
import { loadOrCreateSigningKey, type SigningKey } from '../../electron/core/evidence/signing-key.js';
import { NodeTokenChecker } from '../../electron/core/recorders/node-signature.js';
import type { RelaySource } from '../../electron/core/recorders/relay-upstream.js';
import { StreamEngine } from '../../electron/core/streams/stream-engine.js';
import type { StreamSink } from '../../electron/core/streams/stream-fanout.js';
import { startNodeServer, type NodeServer } from '../../electron/host/node-server.js';
import { nodeTls } from '../../electron/core/recorders/node-certificate.js';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { ffmpegFor } from '../fixtures/process-table.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';

const keysOf = (name: string) => join(mkdtempSync(join(tmpdir(), `wr-relay-${name}-`)), 'keys');
const key = (name: string) => loadOrCreateSigningKey(keysOf(name));
/** The recorder's signing key (the one the site admitted) and the HTTPS identity it issues. */
const recorderKeys = keysOf('rec-a');
const recorderKey = loadOrCreateSigningKey(recorderKeys);
/** A node server relaying the recorder's cameras; `asked` hears every token it is shown. */
function serveRelays(tls = nodeTls(recorderKeys, recorderKey, 'rec-a'), asked: (token: string | undefined) => void = () => undefined) {
  const checker = new NodeTokenChecker(() => 'rec-a', (id) => registered.get(id) ?? null);
  const check = checker.check.bind(checker);
  checker.check = (token, path) => (asked(token), check(token, path));
  return startNodeServer({ relay: recorder.core, checker, tls, host: '127.0.0.1', port: 0 });
}

/** What a workstation's tile would get. */
class Tile implements StreamSink {
  inits: Array<{ codec: string; path: StreamPath }> = [];
  fragments = 0;
  ended: string | null = null;
  init(codec: string, path: StreamPath) {
    this.inits.push({ codec, path });
  }
  fragment() {
    this.fragments++;
  }
  backlog() {
    return 0;
  }
  end(reason: string) {
    this.ended = reason;
  }
}

interface Workstation {
  engine: StreamEngine;
  statuses: StreamStatus[];
}

let camera: TestCamera;
let recorder: TestHost;
let server: NodeServer;
let cameraId: string;
const workstationKey = key('ws');
const registered = new Map<string, string>([['ws-1', workstationKey.publicKeyPem], ['ws-2', workstationKey.publicKeyPem]]);
const workstations: Workstation[] = [];

function workstation(nodeId: string, signWith: SigningKey, recorderUrl: () => string): Workstation {
  const statuses: StreamStatus[] = [];
  const engine = new StreamEngine({
    ffmpegPath: 'ffmpeg',
    logger: { log: () => undefined },
    sourceFor: (id, stream): RelaySource => ({ kind: 'relay', target: { recorderId: 'rec-a', recorderUrl: recorderUrl(), recorderKey: recorderKey.publicKeyPem, recorderName: 'Recorder A', cameraId: id, stream }, me: { nodeId, key: signWith } }),
    onStatus: (s) => statuses.push(s),
    backoff: () => 200,
  });
  const ws = { engine, statuses };
  workstations.push(ws);
  return ws;
}

beforeAll(async () => {
  camera = await startTestCamera({ codec: 'h264', label: 'Relayed' });
  recorder = await startTestHost({ relays: () => true });
  cameraId = (await recorder.api.addCamera({ name: 'Relayed', url: camera.url })).id;
  server = await serveRelays();
});

afterAll(async () => {
  await Promise.all(workstations.map((w) => w.engine.close()));
  await server?.close();
  await recorder?.close();
  await stopAllTestCameras();
});

describe('a recorder relays its cameras to workstations', () => {
  it('plays a relayed camera on two workstations over the recorder’s one RTSP session, and ledgers each relay with its workstation', async () => {
    const tiles = [new Tile(), new Tile(), new Tile()];
    const a = workstation('ws-1', workstationKey, () => server.url);
    const b = workstation('ws-2', workstationKey, () => server.url);
    const unsubscribe = [a.engine.subscribe(cameraId, tiles[0]!), a.engine.subscribe(cameraId, tiles[1]!), b.engine.subscribe(cameraId, tiles[2]!)];
    await waitFor('frames on every tile', () => tiles.every((t) => t.fragments >= 25), 60_000);
    for (const tile of tiles) expect(tile.inits[0]?.codec).toMatch(/^avc1\.[0-9a-f]{6}$/);
    // One ffmpeg for the camera: the recorder's (it records, and feeds both relays).
    expect(ffmpegFor(camera.port)).toHaveLength(1);
    const live = a.statuses.filter((s) => s.cameraId === cameraId && s.state === 'live');
    expect(live.length).toBeGreaterThan(0);
    unsubscribe.forEach((u) => u());
    await waitFor('both relays closed and ledgered', () => {
      const ledger = readFileSync(join(recorder.dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; subject: string; details?: { node?: string } });
      const closes = ledger.filter((e) => e.action === 'relay.close' && e.subject === cameraId).map((e) => e.details?.node).sort();
      const opens = ledger.filter((e) => e.action === 'relay.open' && e.subject === cameraId).map((e) => e.details?.node).sort();
      return closes.length === 2 && opens.join() === 'ws-1,ws-2' && closes.join() === 'ws-1,ws-2';
    }, 30_000);
  }, 180_000);

  it('refuses a workstation whose token is signed by a key the directory does not hold for it, and says so on its tile', async () => {
    const impostor = workstation('ws-1', key('impostor'), () => server.url);
    const tile = new Tile();
    impostor.engine.subscribe(cameraId, tile);
    const refused = await waitFor('the refusal on the tile’s status', () => impostor.statuses.find((s) => s.state === 'reconnecting' && /refused the relay \(HTTP 401\)/.test(s.reason ?? '')), 30_000);
    expect(refused.reason).toContain('Recorder A');
    expect(refused.reason).toContain('does not know this workstation as admitted');
    expect(tile.fragments).toBe(0);
  });

  it('asks nothing of a server at the recorder’s address whose certificate the admitted key did not issue, and says so on the tile', async () => {
    // A stand-in serving the same relays with an HTTPS identity of its own (it has the recorder's address, not its signing key).
    const strangerKeys = keysOf('stranger');
    let heard = 0;
    const standIn = await serveRelays(nodeTls(strangerKeys, loadOrCreateSigningKey(strangerKeys), 'rec-a'), () => void heard++);
    const w = workstation('ws-1', workstationKey, () => standIn.url);
    const tile = new Tile();
    try {
      w.engine.subscribe(cameraId, tile);
      const refused = await waitFor('the tile told it is not the admitted recorder', () => w.statuses.find((s) => s.state === 'reconnecting' && /not the recorder the site admitted/.test(s.reason ?? '')), 30_000);
      expect(refused.reason).toContain('Recorder A');
      expect(tile.fragments).toBe(0);
      const ledger = readFileSync(join(recorder.dataDir, 'audit.jsonl'), 'utf8');
      expect(ledger.split('\n').filter((l) => l.includes('"relay.open"')).length).toBe(2); // the first test's two, none since
      expect(heard).toBe(0); // not even the workstation's token reached it
    } finally {
      await standIn.close();
    }
  });

  it('shows the recorder gone, then plays on by itself when a recorder serves the camera again', async () => {
    let url = server.url;
    const w = workstation('ws-1', workstationKey, () => url);
    const tile = new Tile();
    w.engine.subscribe(cameraId, tile);
    await waitFor('frames', () => tile.fragments >= 10, 60_000);
    const port = Number(new URL(server.url).port);
    await server.close();
    const gone = await waitFor('the tile told the recorder is gone', () => w.statuses.find((s) => s.state === 'reconnecting' && (s.reason ?? '').includes('Recorder A')), 30_000);
    expect(gone.reason).toMatch(/Recorder A/);
    // Another node server (as a standby recorder would be) at the address the workstation now asks.
    server = await serveRelays();
    url = server.url;
    expect(Number(new URL(url).port)).not.toBe(port);
    const before = tile.fragments;
    await waitFor('a new init and frames after it', () => tile.inits.length >= 2 && tile.fragments >= before + 10, 60_000);
  }, 240_000);
});
