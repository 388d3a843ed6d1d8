/**
 * The PostgreSQL directory's address, and what its failures mean to an operator. The address never
 * carries a password: a command line and a settings file are readable by others, so the password
 * lives in PGPASSFILE or ~/.pgpass, where libpq's own tools look as well.
 */
import { userInfo } from 'node:os';
import pgpass from 'pgpass';
import { WatchroomError } from '../../../shared/errors.js';

const EXAMPLE = 'postgres://watchroom@db.example:5432/watchroom';

/** The address, checked: postgres:// with a database name and no password; directory.bad-url otherwise. */
export function checkDirectoryUrl(text: string): URL {
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // said below
  }
  if (!url || !/^postgres(ql)?:$/.test(url.protocol) || !url.hostname) {
    throw new WatchroomError('directory.bad-url', `The directory is a PostgreSQL address such as ${EXAMPLE}; this is not one.`);
  }
  if (url.password || url.searchParams.has('password')) {
    throw new WatchroomError(
      'directory.bad-url',
      'The directory address carries a password. Passwords never go on a command line, where others can read them: put it in ~/.pgpass (or the file PGPASSFILE names; lines host:port:database:user:password, mode 0600) and give the address without it.',
    );
  }
  if (!url.pathname.slice(1)) throw new WatchroomError('directory.bad-url', `The directory address names no database: end it with the database's name, as in ${EXAMPLE}.`);
  return url;
}

/** The user the address names, else libpq's default: PGUSER, else the account running Watchroom. */
const userOf = (url: URL) => decodeURIComponent(url.username) || process.env.PGUSER || userInfo().username;

/**
 * The password for the address from libpq's password file (PGPASSFILE, else ~/.pgpass, ignored
 * unless mode 0600), read here because pg's own reading of it is deprecated. PGPASSWORD, when set,
 * is left to pg.
 */
export function passwordFromFile(url: URL): (() => Promise<string>) | undefined {
  if (process.env.PGPASSWORD !== undefined) return undefined;
  const connection = { host: url.hostname, port: url.port || 5432, database: decodeURIComponent(url.pathname.slice(1)), user: userOf(url) };
  // Asked only when the server wants a password; none in the file is an empty one, which is refused below.
  return () => new Promise((resolve) => pgpass(connection, (password) => resolve(password ?? '')));
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', '57P01', '57P02', '57P03']);

/** A failure talking to the directory, in the operator's words where we know them; other errors as they are. */
export function directoryFailure(error: unknown, url: URL): unknown {
  if (error instanceof WatchroomError) return error;
  const { code, message } = error as { code?: string; message?: string };
  const where = `${url.hostname}:${url.port || 5432}`;
  const reason = message || code || 'no reason given';
  if ((code && NETWORK_CODES.has(code)) || /timeout|Connection terminated/i.test(message ?? '')) {
    return new WatchroomError('directory.unreachable', `The directory at ${where} cannot be reached (${reason}): is PostgreSQL running there, and is the address right?`);
  }
  const database = decodeURIComponent(url.pathname.slice(1));
  if (code === '53300') {
    return new WatchroomError('directory.full', `The directory at ${where} takes no more connections (${reason}): each Watchroom process uses three, so raise max_connections in postgresql.conf to at least three per process plus ten, and restart PostgreSQL.`);
  }
  if (code === '3D000') return new WatchroomError('directory.no-database', `There is no database “${database}” at ${where}: create it (createdb ${database}) or correct the directory address.`);
  // No password where one is asked for: pg says so in its own words, without a code.
  if (code === '28P01' || code === '28000' || /client password must be/.test(message ?? '')) {
    return new WatchroomError('directory.refused', `The directory at ${where} refused user “${userOf(url)}” (${reason}): put that user's password in ~/.pgpass or the file PGPASSFILE names (mode 0600), and check pg_hba.conf on the server.`);
  }
  return error;
}
