/**
 * The browser shell's HTTP side: the API (POST /api/<method>, the session in an Authorization
 * header), package uploads (PUT /received/...), recorded media through signed links (/media/...),
 * and the built renderer.
 */
import { existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { Core } from '../core/core.js';
import { sendFile, sendJson, sendText } from '../core/http-reply.js';
import { httpStatus, WatchroomError } from '../../shared/errors.js';
import { bearerToken } from '../../shared/session-transport.js';
import type { RequestGuard } from './request-guard.js';
import { rendererCsp } from './renderer-csp.js';

const CSP = rendererCsp();

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

export interface HttpContext {
  core: Core;
  guard: RequestGuard;
  rendererDir: string;
}

const refuse = (res: ServerResponse, error: WatchroomError) => sendJson(res, httpStatus(error.code), { error: error.toBody() });

export async function handleRequest(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', CSP);
  if (!ctx.guard.hostOk(req)) return refuse(res, new WatchroomError('host.bad-host', 'Unexpected Host header.'));
  const url = ctx.guard.url(req);
  if (!ctx.guard.carries(url.pathname)) return sendText(res, 404, 'Not found.');
  // The Electron renderer (app://watchroom) reads media from this other origin: allowed to those origins only.
  const cors = ctx.guard.corsOrigin(req);
  if (cors) res.setHeader('Access-Control-Allow-Origin', cors).setHeader('Vary', 'Origin');
  if (url.pathname.startsWith('/api/')) return handleApi(ctx, req, res, url.pathname.slice('/api/'.length));
  const received = /^\/received\/([^/]+)\/(.+)$/.exec(url.pathname);
  if (received) return handleUpload(ctx, req, res, received[1]!, received[2]!);
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.');
  if (url.pathname.startsWith('/media/')) {
    if (!ctx.core.serveMedia(url, req, res)) sendText(res, 404, 'Not found.');
    return;
  }
  serveStatic(ctx, url.pathname, res);
}

/** Answers an error nobody caught while handling a request: logged, never a crash. */
export function requestFailed(ctx: HttpContext, res: ServerResponse, error: unknown): void {
  ctx.core.logger.log('error', 'host.request', { error: String(error) });
  if (!res.headersSent) refuse(res, new WatchroomError('internal', 'Internal error.'));
}

async function handleApi(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  if (req.method !== 'POST') return refuse(res, new WatchroomError('api.method-not-allowed', 'API calls use POST.'));
  if (!ctx.guard.originOk(req)) return refuse(res, new WatchroomError('api.bad-origin', 'Cross-origin API calls are refused.'));
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return refuse(res, new WatchroomError('api.content-type', 'Send the request body as application/json.'));
  let body: unknown;
  try {
    body = JSON.parse((await readBody(req)) || '{}');
  } catch (error) {
    return refuse(res, new WatchroomError('api.malformed-json', `The request body is not valid JSON (${(error as Error).message}).`));
  }
  const arg = typeof body === 'object' && body !== null ? (body as { arg?: unknown }).arg : undefined;
  const result = await ctx.core.call(bearerToken(req.headers.authorization), method, arg);
  return result.ok ? sendJson(res, 200, { result: result.result }) : sendJson(res, result.status, { error: result.error });
}

async function handleUpload(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, uploadId: string, encodedPath: string): Promise<void> {
  if (req.method !== 'PUT') return refuse(res, new WatchroomError('upload.method-not-allowed', 'Package files are sent with PUT.'));
  if (!ctx.guard.originOk(req)) return refuse(res, new WatchroomError('api.bad-origin', 'Cross-origin uploads are refused.'));
  try {
    let relativePath: string;
    try {
      relativePath = encodedPath.split('/').map(decodeURIComponent).join('/');
    } catch {
      throw new WatchroomError('upload.bad-path', 'The file path is not validly encoded.');
    }
    const declared = Number(req.headers['content-length']);
    const upload = { uploadId, relativePath, body: req, ...(Number.isFinite(declared) ? { declaredBytes: declared } : {}) };
    return sendJson(res, 200, await ctx.core.receivePackageFile(bearerToken(req.headers.authorization), upload));
  } catch (error) {
    if (!(error instanceof WatchroomError)) throw error;
    return refuse(res, error);
  }
}

function serveStatic(ctx: HttpContext, pathname: string, res: ServerResponse): void {
  const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = normalize(join(ctx.rendererDir, rel));
  if (!file.startsWith(ctx.rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
    return sendText(res, 404, 'Not found.');
  }
  sendFile(res, file, ctx.core.logger, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
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
