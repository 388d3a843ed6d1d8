/**
 * The browser shell: serves the built renderer, the API as HTTP/JSON, recorded media and the
 * WebSockets (/events, and /live/<cameraId> per camera) on loopback. The page itself holds no
 * secret; a person signs in and the page keeps the session in memory, sending it as a header and a
 * WebSocket sub-protocol (shared/session-transport.ts). Media are fetched through links signed for
 * the session. Host and Origin headers are checked, so other sites and DNS rebinding cannot reach
 * the API through the user's browser.
 */
import { existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../core/core.js';
import { sendFile, sendJson, sendText } from '../core/http-reply.js';
import { httpStatus, WatchroomError } from '../../shared/errors.js';
import { cameraIdSchema, liveClientMessageSchema, streamVariantSchema } from '../../shared/schemas.js';
import { LIVE_CLOSE_BAD_REQUEST, LIVE_CLOSE_UNKNOWN_CAMERA } from '../../shared/events.js';
import { bearerToken, tokenFromProtocols, WS_PROTOCOL } from '../../shared/session-transport.js';
import { liveSocketSink } from './live-socket-sink.js';

export interface HostOptions {
  core: Core;
  rendererDir: string;
  port: number;
  bindAddress?: string;
  /** Origins besides the host's own that may open WebSockets and read media (app://watchroom, the Electron renderer). */
  extraOrigins?: string[];
  /**
   * Carry only these: live video WebSockets (/live/...) and recorded media (/media/...). The Electron
   * shell's loopback server, whose API and events go over IPC and pages over app://. Everything by default.
   */
  only?: ReadonlyArray<'live' | 'media'>;
}

export interface RunningHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  // video.js runs its HLS transmuxer in a worker made from a blob.
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const MAX_BODY_BYTES = 2 * 1024 * 1024;

const refuse = (res: ServerResponse, error: WatchroomError) => sendJson(res, httpStatus(error.code), { error: error.toBody() });

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const { core } = options;
  const bind = options.bindAddress ?? '127.0.0.1';
  const sockets = new Set<WebSocket>();
  let port = options.port;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${bind}:${port}`]);
  const hostOk = (req: IncomingMessage) => allowedHosts().has(req.headers.host ?? '');
  const originOk = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    return origin === undefined || (options.extraOrigins ?? []).includes(origin) || [...allowedHosts()].some((h) => origin === `http://${h}`);
  };

  const carries = (pathname: string) =>
    !options.only || (options.only.includes('live') && pathname.startsWith('/live/')) || (options.only.includes('media') && pathname.startsWith('/media/'));

  // The session sub-protocol is accepted but never echoed: the answer names only `watchroom`.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false) });

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error) => {
      core.logger.log('error', 'host.request', { error: String(error) });
      if (!res.headersSent) refuse(res, new WatchroomError('internal', 'Internal error.'));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', CSP);
    if (!hostOk(req)) return refuse(res, new WatchroomError('host.bad-host', 'Unexpected Host header.'));
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!carries(url.pathname)) return sendText(res, 404, 'Not found.');
    // The Electron renderer (app://watchroom) reads media from this other origin: allowed to those origins only.
    const origin = req.headers.origin;
    if (origin && options.extraOrigins?.includes(origin)) res.setHeader('Access-Control-Allow-Origin', origin).setHeader('Vary', 'Origin');
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url.pathname.slice('/api/'.length));
    const received = /^\/received\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (received) return handleUpload(req, res, received[1]!, received[2]!);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.');
    if (url.pathname.startsWith('/media/')) {
      if (!core.serveMedia(url, req, res)) sendText(res, 404, 'Not found.');
      return;
    }
    serveStatic(url.pathname, res);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return refuse(res, new WatchroomError('api.method-not-allowed', 'API calls use POST.'));
    if (!originOk(req)) return refuse(res, new WatchroomError('api.bad-origin', 'Cross-origin API calls are refused.'));
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return refuse(res, new WatchroomError('api.content-type', 'Send the request body as application/json.'));
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req)) || '{}');
    } catch (error) {
      return refuse(res, new WatchroomError('api.malformed-json', `The request body is not valid JSON (${(error as Error).message}).`));
    }
    const arg = typeof body === 'object' && body !== null ? (body as { arg?: unknown }).arg : undefined;
    const result = await core.call(bearerToken(req.headers.authorization), method, arg);
    return result.ok ? sendJson(res, 200, { result: result.result }) : sendJson(res, result.status, { error: result.error });
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, uploadId: string, encodedPath: string): Promise<void> {
    if (req.method !== 'PUT') return refuse(res, new WatchroomError('upload.method-not-allowed', 'Package files are sent with PUT.'));
    if (!originOk(req)) return refuse(res, new WatchroomError('api.bad-origin', 'Cross-origin uploads are refused.'));
    try {
      let relativePath: string;
      try {
        relativePath = encodedPath.split('/').map(decodeURIComponent).join('/');
      } catch {
        throw new WatchroomError('upload.bad-path', 'The file path is not validly encoded.');
      }
      const declared = Number(req.headers['content-length']);
      const upload = { uploadId, relativePath, body: req, ...(Number.isFinite(declared) ? { declaredBytes: declared } : {}) };
      return sendJson(res, 200, await core.receivePackageFile(bearerToken(req.headers.authorization), upload));
    } catch (error) {
      if (!(error instanceof WatchroomError)) throw error;
      return refuse(res, error);
    }
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(options.rendererDir, rel));
    if (!file.startsWith(options.rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      return sendText(res, 404, 'Not found.');
    }
    sendFile(res, file, core.logger, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!carries(url.pathname)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const token = tokenFromProtocols(offered);
    if (!hostOk(req) || !originOk(req) || !offered.includes(WS_PROTOCOL) || !core.person(token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.once('close', () => sockets.delete(ws));
      if (url.pathname === '/events') return attachEvents(ws);
      const live = /^\/live\/([^/]+)$/.exec(url.pathname);
      if (live) return attachLive(ws, token, decodeURIComponent(live[1]!), url.searchParams.get('stream') ?? 'main');
      ws.close(LIVE_CLOSE_UNKNOWN_CAMERA, 'Unknown WebSocket path.');
    });
  });

  function attachEvents(ws: WebSocket): void {
    const off = core.onEvent((event) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
    });
    ws.once('close', off);
  }

  function attachLive(ws: WebSocket, token: string | null, cameraId: string, asked: string): void {
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

  // Dead peers (a closed laptop lid) would otherwise keep their camera streams running.
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, bind, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address && typeof address === 'object') port = address.port;

  return {
    port,
    url: `http://${bind}:${port}/`,
    async close() {
      clearInterval(heartbeat);
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('The request body is larger than 2 MB.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
