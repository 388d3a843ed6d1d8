/**
 * The Electron renderer's own origin, app://watchroom, instead of file://: a file:// page may read
 * any file: URL and shares its origin with every other local file, while this one serves only the
 * built renderer folder, with a CSP header, and gives the sender checks one exact origin to compare.
 */
import { rendererCsp } from './host/renderer-csp.js';
import { extname, join, normalize, sep } from 'node:path';
import { readRegular } from './core/regular-file.js';
import { CONTENT_TYPES } from './host/http-host.js';

export const RENDERER_SCHEME = 'app';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://watchroom`;

/** Standard and secure: a real origin for CSP 'self', fetch and storage; stream: media bodies arrive as they are read. */
export const RENDERER_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, stream: true } as const;

/** The largest renderer file served; the bundle is a few MB. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The file an app:// address names inside the renderer folder, or null for anything outside it. */
function rendererFile(rendererDir: string, address: string): string | null {
  if (!address.startsWith(`${RENDERER_ORIGIN}/`)) return null;
  const pathname = address.slice(RENDERER_ORIGIN.length).replace(/[?#].*$/s, '');
  let rel: string;
  try {
    rel = decodeURIComponent(pathname).replace(/^\/+/, '');
  } catch {
    return null;
  }
  // Decoded before the check, so %2e%2e%2f and ..%5c cannot climb out after it.
  const file = normalize(join(rendererDir, rel || 'index.html'));
  return file.startsWith(rendererDir + sep) && !rel.includes('\0') ? file : null;
}

/** The protocol.handle handler for app://watchroom/: renderer files, read only, with the CSP. */
export function serveRenderer(rendererDir: string, loopbackPort: number): (request: Request) => Promise<Response> {
  const dir = normalize(rendererDir);
  const headers = { 'Content-Security-Policy': rendererCsp(loopbackPort), 'X-Content-Type-Options': 'nosniff' };
  const refuse = (status: number, text: string) => new Response(text, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed.');
    const file = rendererFile(dir, request.url);
    if (!file) return refuse(404, 'Not found.');
    let body: Buffer | null;
    try {
      body = await readRegular(file, MAX_FILE_BYTES);
    } catch {
      return refuse(404, 'Not found.');
    }
    if (!body) return refuse(413, 'This file is too large to serve.');
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      headers: { ...headers, 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' },
    });
  };
}
