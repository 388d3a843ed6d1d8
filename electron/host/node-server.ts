/**
 * A recorder's door for the site's other processes (never for browsers): /relay/<camera>?stream=…
 * hands a workstation the live stream of a camera this recorder holds; GET /footage/<camera>?fromMs&toMs
 * lists its recorded segments of a camera in a window, and GET /footage/segments/<id>.ts sends one,
 * for a workstation's playback; GET /custody… vouches for footage a workstation exports, and
 * /evidence-store/… keeps the masked cameras' masters it withheld (node-custody-routes.ts). Every
 * request carries a node token signed by the asking process for exactly its method, path and body
 * (recorders/node-signature.ts); nothing is served without one.
 * It listens where the workstations can reach it (the site network), unlike the browser shell, and
 * speaks only HTTPS, with a certificate its signing key issued (node-certificate.ts): a workstation
 * sends its request, token included, only once the certificate showed it is talking to this process.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { LIVE_CLOSE_BAD_REQUEST, type StreamVariant } from '../../shared/events.js';
import { NotHeld } from '../core/recorders/not-held.js';
import { cameraIdSchema, streamVariantSchema } from '../../shared/schemas.js';
import type { StreamSink } from '../core/streams/stream-fanout.js';
import { BODY_SHA256_HEADER, NODE_TOKEN_HEADER, type NodeTokenChecker } from '../core/recorders/node-signature.js';
import { liveSocketSink } from './live-socket-sink.js';
import { sendFile, sendJson, sendText } from '../core/http-reply.js';
import type { SegmentIndex, SegmentRow } from '../core/recording/segment-index.js';
import { segmentFile } from '../core/recording/segment-file.js';
import type { Logger } from '../core/logger.js';
import { serveCustody, serveMasters, type CustodySource } from './node-custody-routes.js';

/** /footage/<camera>?fromMs=&toMs= (the segments in the window) and /footage/segments/<id>.ts (one of them). */
function serveFootage(footage: FootageSource, nodeId: string, url: URL, res: ServerResponse): void {
  const file = /^\/footage\/segments\/(\d{1,15})\.ts$/.exec(url.pathname);
  if (file) {
    const found = segmentFile(footage.index, footage.root, Number(file[1]));
    if (!found) return sendText(res, 404, 'No such recorded segment.');
    // Footage leaving this recorder is on its record, whoever holds the asking process's key; what cannot be recorded is not sent.
    try {
      footage.served(nodeId, found.row);
    } catch {
      return sendText(res, 503, 'The recorder cannot write its audit ledger now, so it sends no footage.');
    }
    return sendFile(res, found.file, footage.logger, { 'Content-Type': 'video/mp2t' });
  }
  const list = /^\/footage\/([^/]+)$/.exec(url.pathname);
  const fromMs = Number(url.searchParams.get('fromMs'));
  const toMs = Number(url.searchParams.get('toMs'));
  let cameraId = '';
  try {
    cameraId = decodeURIComponent(list?.[1] ?? '');
  } catch {
    // malformed: refused below
  }
  if (!list || !cameraIdSchema.safeParse(cameraId).success || !Number.isSafeInteger(fromMs) || !Number.isSafeInteger(toMs) || toMs <= fromMs) return sendText(res, 400, 'Malformed footage request.');
  sendJson(res, 200, footage.index.segments(cameraId, fromMs, toMs).filter((s) => !s.missing).map((s) => ({ id: s.id, startMs: s.startMs, endMs: s.endMs })));
}

/** Close code of a relay asked of a recorder that does not hold the camera (any more): ask the directory again. */
export const RELAY_CLOSE_NOT_HERE = 4409;

export interface RelayProvider {
  /** Subscribes a workstation to a camera this recorder holds; throws NotHeld if it holds it not. */
  openRelay(nodeId: string, cameraId: string, sink: StreamSink, stream: StreamVariant): () => void;
}

/** A recorder's footage, as its segment index and recordings folder hold it; a file that fails while sent is logged. */
export interface FootageSource {
  index: Pick<SegmentIndex, 'segments' | 'byId'>;
  root: string;
  logger: Logger;
  /** Records that a segment went to `nodeId` (the recorder's ledger). */
  served(nodeId: string, segment: SegmentRow): void;
}

export interface NodeServer {
  url: string;
  close(): Promise<void>;
}

export async function startNodeServer(options: { relay: RelayProvider; footage?: () => FootageSource; custody?: () => CustodySource | null; checker: NodeTokenChecker; tls: { key: string; cert: string }; host: string; port: number; uploadIdleMs?: number }): Promise<NodeServer> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024, perMessageDeflate: false });
  /** Which process asks, by the node token it signed for exactly this request (its method, path and declared body). */
  const asker = (req: IncomingMessage) => {
    const header = req.headers[NODE_TOKEN_HEADER];
    const bodySha256 = req.headers[BODY_SHA256_HEADER];
    return options.checker.check(typeof header === 'string' ? header : undefined, req.url ?? '', Date.now(), { method: req.method ?? '', bodySha256: typeof bodySha256 === 'string' ? bodySha256 : '' });
  };
  /** `waitsToSend`: the request came with Expect: 100-continue (as Node reads it), so its sender sends its body only when told. */
  const answer = (req: IncomingMessage, res: ServerResponse, waitsToSend = false) => {
    if (!options.footage) return sendText(res, 404, 'Not found.');
    const who = asker(req);
    if (!who.ok) return sendText(res, 401, 'A node token signed for this request is needed.');
    const url = new URL(req.url ?? '/', 'http://node');
    const custody = options.custody?.();
    if (custody && serveMasters(custody, who.nodeId, { req, res, waitsToSend, idleMs: options.uploadIdleMs }, url)) return;
    if (req.method !== 'GET') return sendText(res, 405, 'Only GET here.');
    if (custody && serveCustody(custody, who.nodeId, url, res)) return;
    serveFootage(options.footage(), who.nodeId, url, res);
  };
  const server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => answer(req, res));
  // A request that waits for 100 Continue is answered the same way; only an accepted upload is told to go on
  // (serveMasters), so a refusal reaches the sender whole instead of cutting the body it is sending.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => answer(req, res, true));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: string) => void socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    const url = new URL(req.url ?? '/', 'http://node');
    const relay = /^\/relay\/([^/]+)$/.exec(url.pathname);
    if (!relay) return refuse('404 Not Found');
    const who = asker(req);
    if (!who.ok) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      let cameraId: string;
      try {
        cameraId = decodeURIComponent(relay[1]!);
      } catch {
        return ws.close(LIVE_CLOSE_BAD_REQUEST, 'Malformed camera id.');
      }
      const stream = streamVariantSchema.safeParse(url.searchParams.get('stream') ?? 'main');
      if (!cameraIdSchema.safeParse(cameraId).success || !stream.success) return ws.close(LIVE_CLOSE_BAD_REQUEST, 'Malformed relay request.');
      try {
        ws.once('close', options.relay.openRelay(who.nodeId, cameraId, liveSocketSink(ws), stream.data));
      } catch (error) {
        ws.close(error instanceof NotHeld ? RELAY_CLOSE_NOT_HERE : LIVE_CLOSE_BAD_REQUEST, (error as Error).message.slice(0, 120));
      }
      // A relay only receives; anything a peer sends ends it.
      ws.on('message', () => ws.close(LIVE_CLOSE_BAD_REQUEST, 'Unexpected message.'));
    });
  });
  // A withheld master of hours takes longer than Node's five minutes for a whole request; the token is
  // checked on the headers, before any body is read, and headers still have their own timeout.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : options.port;
  return {
    url: `https://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
