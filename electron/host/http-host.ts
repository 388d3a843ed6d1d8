/**
 * The browser shell: serves the built renderer, the API as HTTP/JSON and the WebSockets (/events, and
 * /live/<cameraId> per camera) on loopback. Every request needs the access token: once in the URL,
 * then as an HttpOnly cookie. The Host and Origin headers are checked so other sites and DNS
 * rebinding cannot reach the API through the user's browser.
 */
import { existsSync, statSync } from 'node:fs';
import { sendFile } from './send-file.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { basename, extname, join, normalize, sep } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../core/core.js';
import type { Role } from '../../shared/roles.js';
import { WatchroomError } from '../../shared/errors.js';
import { cameraIdSchema, liveClientMessageSchema, playlistQuerySchema, streamVariantSchema } from '../../shared/schemas.js';
import { LIVE_CLOSE_BAD_REQUEST, LIVE_CLOSE_UNKNOWN_CAMERA } from '../../shared/events.js';
import { dispatchApiCall } from './api-dispatch.js';
import { liveSocketSink } from './live-socket-sink.js';
import { needsPlaybackTranscode, transcodeSegment } from '../core/recording/playback-transcode.js';

export interface HostOptions {
  core: Core;
  token: string;
  /** Who acts through this host, for the audit log, and in which role. */
  actor: string;
  role?: Role;
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

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const bind = options.bindAddress ?? '127.0.0.1';
  const role = options.role ?? 'admin';
  const api = options.core.api(options.actor, role);
  const sockets = new Set<WebSocket>();
  let port = options.port;
  const cookieName = () => `watchroom_token_${port}`;

  const tokenMatches = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(options.token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const cookieToken = (req: IncomingMessage): string | undefined => {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === cookieName()) return v.join('=');
    }
    return undefined;
  };
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${bind}:${port}`]);
  const hostOk = (req: IncomingMessage) => allowedHosts().has(req.headers.host ?? '');
  const originOk = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    return origin === undefined || (options.extraOrigins ?? []).includes(origin) || [...allowedHosts()].some((h) => origin === `http://${h}`);
  };

  const carries = (pathname: string) =>
    !options.only || (options.only.includes('live') && pathname.startsWith('/live/')) || (options.only.includes('media') && pathname.startsWith('/media/'));

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error) => {
      options.core.logger.log('error', 'host.request', { error: String(error) });
      if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: 'Internal error.' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', CSP);
    if (!hostOk(req)) return send(res, 421, { error: { code: 'host.bad-host', message: 'Unexpected Host header.' } });
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!carries(url.pathname)) return sendText(res, 404, 'Not found.');
    // The Electron renderer (app://watchroom) reads media from this other origin: allowed to those origins only.
    const origin = req.headers.origin;
    if (origin && options.extraOrigins?.includes(origin)) res.setHeader('Access-Control-Allow-Origin', origin).setHeader('Vary', 'Origin');

    const queryToken = url.searchParams.get('token');
    // Recorded media may carry the token in its URL (the Electron renderer has no cookie for this host).
    if (url.pathname.startsWith('/media/') && tokenMatches(queryToken)) return serveMedia(url, res);
    if (req.method === 'GET' && queryToken !== null) {
      if (!tokenMatches(queryToken)) return sendText(res, 401, 'This access link is not valid. Use the link watchroom-host printed when it started.');
      // Move the token into a cookie and drop it from the address bar, screenshots and history.
      url.searchParams.delete('token');
      res.setHeader('Set-Cookie', `${cookieName()}=${options.token}; HttpOnly; SameSite=Strict; Path=/`);
      res.writeHead(302, { Location: url.pathname + url.search });
      res.end();
      return;
    }
    if (!tokenMatches(cookieToken(req))) {
      return url.pathname.startsWith('/api/')
        ? send(res, 401, { error: { code: 'auth.token-required', message: 'Open Watchroom through the link watchroom-host printed; it carries the access token.' } })
        : sendText(res, 401, 'Open Watchroom through the link watchroom-host printed; it carries the access token.');
    }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, { error: { code: 'api.method-not-allowed', message: 'API calls use POST.' } });
      if (!originOk(req)) return send(res, 403, { error: { code: 'api.bad-origin', message: 'Cross-origin API calls are refused.' } });
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
        return send(res, 415, { error: { code: 'api.content-type', message: 'Send the request body as application/json.' } });
      }
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req)) || '{}');
      } catch (error) {
        return send(res, 400, { error: { code: 'api.malformed-json', message: `The request body is not valid JSON (${(error as Error).message}).` } });
      }
      const arg = typeof body === 'object' && body !== null ? (body as { arg?: unknown }).arg : undefined;
      const result = await dispatchApiCall(api, url.pathname.slice('/api/'.length), arg, (error) =>
        options.core.logger.log('error', 'api.internal', { error: error instanceof Error ? error.stack : String(error) }),
      );
      return result.ok ? send(res, 200, { result: result.result }) : send(res, result.status, { error: result.error });
    }

    const received = /^\/received\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (received) {
      if (req.method !== 'PUT') return send(res, 405, { error: { code: 'upload.method-not-allowed', message: 'Package files are sent with PUT.' } });
      if (!originOk(req)) return send(res, 403, { error: { code: 'api.bad-origin', message: 'Cross-origin uploads are refused.' } });
      try {
        let relativePath: string;
        try {
          relativePath = received[2]!.split('/').map(decodeURIComponent).join('/');
        } catch {
          throw new WatchroomError('upload.bad-path', 'The file path is not validly encoded.');
        }
        const declared = Number(req.headers['content-length']);
        return send(res, 200, await options.core.receivePackageFile(role, { uploadId: received[1]!, relativePath, body: req, ...(Number.isFinite(declared) ? { declaredBytes: declared } : {}) }));
      } catch (error) {
        if (!(error instanceof WatchroomError)) throw error;
        const status = { 'auth.forbidden': 403, 'upload.disk-full': 507, 'upload.too-large': 413 }[error.code] ?? 400;
        return send(res, status, { error: error.toBody() });
      }
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.');
    if (url.pathname.startsWith('/media/')) return serveMedia(url, res);
    serveStatic(url.pathname, res);
  }

  /**
   * Recorded video: /media/<camera>/recording.m3u8?fromMs=&toMs=[&startMs=][&open=1] and /media/segments/<id>.ts;
   * bookmark thumbnails: /media/bookmarks/<id>/thumb.jpg.
   * A token in the playlist's query (Electron has no cookie) is carried into its segment URIs.
   */
  function serveMedia(url: URL, res: ServerResponse): void {
    const token = url.searchParams.get('token');
    const suffix = token ? `?token=${encodeURIComponent(token)}` : '';
    const segment = /^\/media\/segments\/(\d{1,15})\.ts$/.exec(url.pathname);
    if (segment) {
      const file = options.core.segmentFile(Number(segment[1]));
      if (!file || !existsSync(file)) return sendText(res, 404, 'No such recorded segment.');
      if (needsPlaybackTranscode(file)) return serveTranscoded(file, res);
      return sendFile(res, file, options.core.logger, { 'Content-Type': 'video/mp2t', 'Cache-Control': 'private, max-age=3600' });
    }
    const thumb = /^\/media\/bookmarks\/([0-9a-f-]{36})\/thumb\.jpg$/.exec(url.pathname);
    if (thumb) {
      options.core.bookmarkThumbnail(thumb[1]!).then(
        (file) => {
          if (!file) return sendText(res, 404, 'Nothing was recorded at that moment.');
          sendFile(res, file, options.core.logger, { 'Content-Type': 'image/jpeg', 'Cache-Control': 'private, max-age=86400' });
        },
        () => sendText(res, 404, 'No such bookmark.'),
      );
      return;
    }
    const playlist = /^\/media\/([^/]+)\/recording\.m3u8$/.exec(url.pathname);
    const parsed = playlist
      ? playlistQuerySchema.safeParse({
          cameraId: decodeURIComponent(playlist[1]!),
          fromMs: Number(url.searchParams.get('fromMs')),
          toMs: Number(url.searchParams.get('toMs')),
          ...(url.searchParams.has('startMs') ? { startMs: Number(url.searchParams.get('startMs')) } : {}),
        })
      : null;
    if (!parsed) return sendText(res, 404, 'Not found.');
    if (!parsed.success) return send(res, 400, { error: { code: 'media.invalid-range', message: parsed.error.issues[0]?.message ?? 'Invalid time range.' } });
    let text: string;
    try {
      text = options.core.playlist(options.actor, { ...parsed.data, open: url.searchParams.get('open') === '1' }, (id) => `/media/segments/${id}.ts${suffix}`);
    } catch (error) {
      return sendText(res, 404, (error as Error).message);
    }
    res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'no-store' });
    res.end(text);
  }

  /** A segment the browser cannot decode, re-encoded while it is sent; the encode stops if the viewer leaves. */
  function serveTranscoded(file: string, res: ServerResponse): void {
    const { output, stop, failed } = transcodeSegment(file);
    res.on('close', stop);
    let started = false;
    output.once('data', () => {
      started = true;
      res.writeHead(200, { 'Content-Type': 'video/mp2t', 'Cache-Control': 'private, max-age=3600', 'X-Watchroom-Transcoded': 'h264' });
    });
    output.pipe(res, { end: false });
    void failed.then((problem) => {
      if (problem) options.core.logger.log('warn', 'playback.transcode-failed', { file: basename(file), problem });
      if (!started && !res.headersSent) return sendText(res, 422, 'This recorded segment could not be converted for playback.');
      res.end();
    });
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(options.rendererDir, rel));
    if (!file.startsWith(options.rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      return sendText(res, 404, 'Not found.');
    }
    sendFile(res, file, options.core.logger, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!carries(url.pathname)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const authorised = hostOk(req) && originOk(req) && (tokenMatches(cookieToken(req)) || tokenMatches(url.searchParams.get('token')));
    if (!authorised) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.once('close', () => sockets.delete(ws));
      if (url.pathname === '/events') return attachEvents(ws);
      const live = /^\/live\/([^/]+)$/.exec(url.pathname);
      if (live) return attachLive(ws, decodeURIComponent(live[1]!), url.searchParams.get('stream') ?? 'main');
      ws.close(LIVE_CLOSE_UNKNOWN_CAMERA, 'Unknown WebSocket path.');
    });
  });

  function attachEvents(ws: WebSocket): void {
    const off = options.core.onEvent((event) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
    });
    ws.once('close', off);
  }

  function attachLive(ws: WebSocket, cameraId: string, asked: string): void {
    if (!cameraIdSchema.safeParse(cameraId).success) return ws.close(LIVE_CLOSE_BAD_REQUEST, 'Malformed camera id.');
    const stream = streamVariantSchema.safeParse(asked);
    if (!stream.success) return ws.close(LIVE_CLOSE_BAD_REQUEST, 'stream is main or sub.');
    let unsubscribe: () => void;
    try {
      unsubscribe = options.core.openLive(options.actor, cameraId, liveSocketSink(ws), stream.data);
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
    url: `http://${bind}:${port}/?token=${options.token}`,
    async close() {
      clearInterval(heartbeat);
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
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
