/**
 * The renderer's Content-Security-Policy, one for both shells: its own scripts and styles only.
 * The Electron renderer also reaches the loopback server that carries live video and recorded media
 * (a port chosen at start); the browser shell serves those from the page's own origin.
 */
export function rendererCsp(loopbackPort?: number): string {
  const loopback = loopbackPort === undefined ? null : `127.0.0.1:${loopbackPort}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    loopback ? `img-src 'self' data: blob: http://${loopback}` : "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob:",
    loopback ? `connect-src 'self' ws://${loopback} http://${loopback}` : "connect-src 'self'",
    // video.js runs its HLS transmuxer in a worker made from a blob.
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
