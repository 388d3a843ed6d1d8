/** Addresses of the WebSockets (events, live streams) in each shell. */
import type { StreamVariant } from '../../../shared/events.js';
import type { LiveServerAddress } from './electron-bridge';

/** Browser shell: a path on the page's own host; the access cookie authenticates the upgrade. */
export function pageSocketUrl(path: string, page: Location): string {
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.host}${path}`;
}

export function livePath(cameraId: string, stream: StreamVariant): string {
  return `/live/${encodeURIComponent(cameraId)}${stream === 'sub' ? '?stream=sub' : ''}`;
}

/** Electron: a loopback live server named by the main process; the app:// page has no cookie for it, so the token rides in the query. */
export function liveServerUrl(cameraId: string, stream: StreamVariant, server: LiveServerAddress): string {
  const url = new URL(livePath(cameraId, stream), server.baseUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  url.searchParams.set('token', server.token);
  return url.toString();
}
