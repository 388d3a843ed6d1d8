/**
 * The browser shell's WebSockets: /events (core events) and /live/<camera> (one camera's stream).
 * The session comes as a sub-protocol, which is accepted but never echoed; dead peers are dropped
 * by a heartbeat so a closed laptop lid does not keep camera streams running.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../core/core.js';
import { eventVisibleTo, LIVE_CLOSE_BAD_REQUEST, LIVE_CLOSE_UNKNOWN_CAMERA, SOCKET_CLOSE_SESSION_ENDED } from '../../shared/events.js';
import { cameraIdSchema, liveClientMessageSchema, streamVariantSchema } from '../../shared/schemas.js';
import { tokenFromProtocols, WS_PROTOCOL } from '../../shared/session-transport.js';
import { liveSocketSink } from './live-socket-sink.js';
import type { RequestGuard } from './request-guard.js';

/** Serves the sockets on `server`; the result closes them all. */
export function serveSockets(server: Server, core: Core, guard: RequestGuard): () => void {
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false) });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = guard.url(req);
    if (!guard.carries(url.pathname)) return void socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const token = tokenFromProtocols(offered);
    if (!guard.hostOk(req) || !guard.originOk(req) || !offered.includes(WS_PROTOCOL) || !core.person(token)) {
      return void socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.once('close', () => sockets.delete(ws));
      // A socket lives no longer than its session: signing out or disabling the account closes it.
      ws.once('close', core.watchSession(token, () => ws.close(SOCKET_CLOSE_SESSION_ENDED, 'The session ended.')));
      if (url.pathname === '/events') return attachEvents(core, ws, token);
      const live = /^\/live\/([^/]+)$/.exec(url.pathname);
      if (live) return attachLive(core, ws, token, decodeURIComponent(live[1]!), url.searchParams.get('stream') ?? 'main');
      ws.close(LIVE_CLOSE_UNKNOWN_CAMERA, 'Unknown WebSocket path.');
    });
  });

  const heartbeat = setInterval(() => {
    for (const ws of sockets) {
      const alive = ws as WebSocket & { watchroomAlive?: boolean };
      if (alive.watchroomAlive === false) {
        ws.terminate();
        continue;
      }
      alive.watchroomAlive = false;
      ws.ping();
      ws.once('pong', () => (alive.watchroomAlive = true));
    }
  }, 15_000);

  return () => {
    clearInterval(heartbeat);
    for (const ws of sockets) ws.terminate();
    wss.close();
  };
}

/** Core events, each only if the session's person (in their role as it is now) may see it. */
function attachEvents(core: Core, ws: WebSocket, token: string | null): void {
  const off = core.onEvent((event) => {
    const person = core.person(token);
    if (ws.readyState === ws.OPEN && person && eventVisibleTo(person.role, event)) ws.send(JSON.stringify(event));
  });
  ws.once('close', off);
}

function attachLive(core: Core, ws: WebSocket, token: string | null, cameraId: string, asked: string): void {
  if (!cameraIdSchema.safeParse(cameraId).success) return ws.close(LIVE_CLOSE_BAD_REQUEST, 'Malformed camera id.');
  const stream = streamVariantSchema.safeParse(asked);
  if (!stream.success) return ws.close(LIVE_CLOSE_BAD_REQUEST, 'stream is main or sub.');
  let unsubscribe: () => void;
  try {
    unsubscribe = core.openLive(token, cameraId, liveSocketSink(ws), stream.data);
  } catch (error) {
    return ws.close(LIVE_CLOSE_UNKNOWN_CAMERA, (error as Error).message.slice(0, 120));
  }
  ws.once('close', unsubscribe);
  ws.on('message', (data, isBinary) => {
    const ok = !isBinary && liveClientMessageSchema.safeParse(safeJson(data.toString())).success;
    if (!ok) ws.close(LIVE_CLOSE_BAD_REQUEST, 'Unexpected message.');
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
