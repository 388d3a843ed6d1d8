/**
 * RTSP URL parsing, validation and credential redaction. Written by hand rather than with WHATWG URL
 * because operators paste camera URLs with odd passwords, and each part (scheme, host, port, path)
 * needs its own error message.
 */
import type { FieldError } from '../../../shared/errors.js';

export interface RtspUrl {
  scheme: 'rtsp' | 'rtsps';
  host: string;
  /** Explicit port, or the scheme's default (554, 322). */
  port: number;
  /** Path plus query, starting with '/'. */
  path: string;
  username?: string;
  password?: string;
}

export type ParseResult = { ok: true; url: RtspUrl } | { ok: false; errors: FieldError[] };

const DEFAULT_PORT = { rtsp: 554, rtsps: 322 } as const;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/i;
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/;

function isValidHost(host: string): boolean {
  const v4 = IPV4.exec(host);
  if (v4) return v4.slice(1).every((octet) => Number(octet) <= 255);
  return IPV6.test(host) || HOSTNAME.test(host);
}

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

export function parseRtspUrl(raw: string, field = 'url'): ParseResult {
  const err = (code: string, message: string): ParseResult => ({ ok: false, errors: [{ field, code: `camera.${field}.${code}`, message }] });
  const input = raw.trim();
  if (input === '') return err('required', 'Enter the camera’s RTSP address, e.g. rtsp://192.168.1.20:554/stream1.');
  if (/[\s\u0000-\u001f\u007f]/.test(input)) return err('malformed', 'The address contains spaces or control characters.');

  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(input);
  if (!schemeMatch) return err('malformed', 'The address must start with rtsp:// or rtsps://.');
  const scheme = schemeMatch[1]!.toLowerCase();
  if (scheme !== 'rtsp' && scheme !== 'rtsps') return err('scheme', `Only rtsp:// and rtsps:// addresses are supported, not ${scheme}://.`);

  const rest = input.slice(schemeMatch[0].length);
  const slash = rest.search(/[/?]/);
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '/' : rest[slash] === '?' ? `/${rest.slice(slash)}` : rest.slice(slash);

  // The last '@' ends the user info, so unencoded '@' in a password still parses.
  const at = authority.lastIndexOf('@');
  const userInfo = at === -1 ? null : authority.slice(0, at);
  const hostPort = at === -1 ? authority : authority.slice(at + 1);

  let username: string | undefined;
  let password: string | undefined;
  if (userInfo !== null) {
    const colon = userInfo.indexOf(':');
    const user = decode(colon === -1 ? userInfo : userInfo.slice(0, colon));
    const pass = colon === -1 ? '' : decode(userInfo.slice(colon + 1));
    if (user === null || pass === null) return err('credentials', 'The user name or password in the address has a broken %-escape.');
    if (user !== '') username = user;
    if (pass !== '') password = pass;
  }

  const portMatch = /^(.*?)(?::([^:\]]*))?$/.exec(hostPort)!;
  const host = portMatch[1]!.toLowerCase();
  const portText = portMatch[2];
  if (host === '') return err('host', 'The address has no host: add the camera’s IP address or name.');
  if (!isValidHost(host)) return err('host', `“${host}” is not a valid host name or IP address.`);

  let port: number = DEFAULT_PORT[scheme];
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      return err('port', `The port must be a number from 1 to 65535, not “${portText}”.`);
    }
    port = Number(portText);
  }

  if (!PATH_CHARS.test(path)) return err('path', 'The path contains characters that must be %-encoded.');
  if (/%(?![0-9a-f]{2})/i.test(path)) return err('path', 'The path has a broken %-escape.');

  return { ok: true, url: { scheme, host, port, path, ...(username ? { username } : {}), ...(password ? { password } : {}) } };
}

/** The URL as text, without credentials: what the UI, logs, exports and API responses show. */
export function formatRtspUrl(url: RtspUrl, credentials?: { username?: string; password?: string }): string {
  const portPart = url.port === DEFAULT_PORT[url.scheme] ? '' : `:${url.port}`;
  let userInfo = '';
  if (credentials?.username) {
    userInfo = encodeURIComponent(credentials.username);
    if (credentials.password) userInfo += `:${encodeURIComponent(credentials.password)}`;
    userInfo += '@';
  }
  return `${url.scheme}://${userInfo}${url.host}${portPart}${url.path}`;
}

/**
 * Removes every credential from free text such as an ffmpeg log line: user info in any URL, and each
 * known secret verbatim or %-encoded, wherever it appears.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]*@/gi, '$1');
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}
