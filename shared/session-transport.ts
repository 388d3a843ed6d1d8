/**
 * How a session travels in the browser shell without a cookie (a cookie for 127.0.0.1 would reach
 * every other port of it): an `Authorization: Bearer` header on API calls, and on WebSockets, which
 * cannot carry headers from a page, a sub-protocol the server accepts but never echoes back.
 */
export const WS_PROTOCOL = 'watchroom';
const SESSION_PROTOCOL_PREFIX = 'watchroom.session.';

export const sessionProtocol = (token: string) => `${SESSION_PROTOCOL_PREFIX}${token}`;

/** The sub-protocols a client offers: ours, and its session when it has one. */
export const sessionProtocols = (token: string | null): string[] => (token ? [WS_PROTOCOL, sessionProtocol(token)] : [WS_PROTOCOL]);

/** The token among offered sub-protocols, or null. */
export function tokenFromProtocols(offered: Iterable<string>): string | null {
  for (const p of offered) if (p.startsWith(SESSION_PROTOCOL_PREFIX)) return p.slice(SESSION_PROTOCOL_PREFIX.length) || null;
  return null;
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header ?? '');
  return match ? match[1]! : null;
}
