/**
 * A recorder's door for the site's other processes (never for browsers): /relay/<camera>?stream=…
 * hands a workstation the live stream of a camera this recorder holds. Every request carries a node
 * token signed by the asking process (recorders/node-signature.ts); nothing is served without one.
 * It listens where the workstations can reach it (the site network), unlike the browser shell.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { LIVE_CLOSE_BAD_REQUEST, type StreamVariant } from '../../shared/events.js';
import { NotHeld } from '../core/recorders/not-held.js';
import { cameraIdSchema, streamVariantSchema } from '../../shared/schemas.js';
import type { StreamSink } from '../core/streams/stream-fanout.js';
import { NODE_TOKEN_HEADER, type NodeTokenChecker } from '../core/recorders/node-signature.js';
import { liveSocketSink } from './live-socket-sink.js';

/** Close code of a relay asked of a recorder that does not hold the camera (any more): ask the directory again. */
export const RELAY_CLOSE_NOT_HERE = 4409;

export interface RelayProvider {
  /** Subscribes a workstation to a camera this recorder holds; throws NotHeld if it holds it not. */
  openRelay(nodeId: string, cameraId: string, sink: StreamSink, stream: StreamVariant): () => void;
}

export interface NodeServer {
  url: string;
  close(): Promise<void>;
}

export async function startNodeServer(options: { relay: RelayProvider; checker: NodeTokenChecker; host: string; port: number }): Promise<NodeServer> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024, perMessageDeflate: false });
  const server = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found.');
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: string) => void socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    const url = new URL(req.url ?? '/', 'http://node');
    const relay = /^\/relay\/([^/]+)$/.exec(url.pathname);
    if (!relay) return refuse('404 Not Found');
    const header = req.headers[NODE_TOKEN_HEADER];
    const who = options.checker.check(typeof header === 'string' ? header : undefined, req.url ?? '');
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
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
