/** Addresses of the WebSockets (events, live streams) in each shell, with the session as a sub-protocol. */
import type { StreamVariant } from '../../../shared/events.js';
import type { LiveServerAddress } from './electron-bridge';

export interface SocketAddress {
  url: string;
  protocols: string[];
}

/** Browser shell: a path on the page's own host. */
export function pageSocketUrl(path: string, page: Location): string {
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.host}${path}`;
}

export function livePath(cameraId: string, stream: StreamVariant): string {
  return `/live/${encodeURIComponent(cameraId)}${stream === 'sub' ? '?stream=sub' : ''}`;
}

/** Electron: a loopback live server named by the main process. */
export function liveServerUrl(cameraId: string, stream: StreamVariant, server: LiveServerAddress): string {
  const url = new URL(livePath(cameraId, stream), server.baseUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  return url.toString();
}
