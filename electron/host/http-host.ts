/**
 * The browser shell: serves the built renderer, the API as HTTP/JSON, recorded media and the
 * WebSockets (/events, and /live/<cameraId> per camera) on loopback. The page itself holds no
 * secret; a person signs in and the page keeps the session in memory, sending it as a header and a
 * WebSocket sub-protocol (shared/session-transport.ts). Media are fetched through links signed for
 * the session. Host and Origin headers are checked (request-guard.ts), so other sites and DNS
 * rebinding cannot reach the API through the user's browser.
 */
import { createServer } from 'node:http';
import type { Core } from '../core/core.js';
import { handleRequest, requestFailed } from './http-routes.js';
import { RequestGuard } from './request-guard.js';
import { serveSockets } from './socket-routes.js';

export { CONTENT_TYPES } from './http-routes.js';

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

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const bindAddress = options.bindAddress ?? '127.0.0.1';
  const guard = new RequestGuard({ bindAddress, extraOrigins: options.extraOrigins ?? [], ...(options.only ? { only: options.only } : {}) });
  const ctx = { core: options.core, guard, rendererDir: options.rendererDir };
  const server = createServer((req, res) => void handleRequest(ctx, req, res).catch((error: unknown) => requestFailed(ctx, res, error)));
  // Node closes an idle kept-alive connection after 5 s; on a busy machine a client reuses it just as
  // it closes and its next request fails with a reset. A minute's grace, as load balancers give.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000; // must exceed keepAliveTimeout
  const closeSockets = serveSockets(server, options.core, guard);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, bindAddress, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  guard.port = address && typeof address === 'object' ? address.port : options.port;

  return {
    port: guard.port,
    url: `http://${bindAddress}:${guard.port}/`,
    async close() {
      closeSockets();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
