/**
 * What every request to the browser shell must pass before it is read: a Host header naming this
 * listener (DNS rebinding), an Origin that is the page's own or one the shell allows (cross-site
 * requests), and a path this listener carries at all.
 */
import type { IncomingMessage } from 'node:http';

export interface GuardOptions {
  bindAddress: string;
  /** Origins besides the host's own that may open WebSockets and read media (app://watchroom, the Electron renderer). */
  extraOrigins: readonly string[];
  /** Carry only these (the Electron shell's loopback server: live video and media); everything when absent. */
  only?: ReadonlyArray<'live' | 'media'>;
}

export class RequestGuard {
  /** Known once the listener is bound (port 0 picks one). */
  port = 0;

  constructor(private readonly options: GuardOptions) {}

  private allowedHosts(): string[] {
    return [`127.0.0.1:${this.port}`, `localhost:${this.port}`, `[::1]:${this.port}`, `${this.options.bindAddress}:${this.port}`];
  }

  hostOk(req: IncomingMessage): boolean {
    return this.allowedHosts().includes(req.headers.host ?? '');
  }

  originOk(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    return origin === undefined || this.options.extraOrigins.includes(origin) || this.allowedHosts().some((h) => origin === `http://${h}`);
  }

  /** An allowed foreign origin (the Electron renderer reading media), to name in Access-Control-Allow-Origin. */
  corsOrigin(req: IncomingMessage): string | null {
    const origin = req.headers.origin;
    return origin && this.options.extraOrigins.includes(origin) ? origin : null;
  }

  carries(pathname: string): boolean {
    const only = this.options.only;
    return !only || (only.includes('live') && pathname.startsWith('/live/')) || (only.includes('media') && pathname.startsWith('/media/'));
  }

  url(req: IncomingMessage): URL {
    return new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
  }
}
