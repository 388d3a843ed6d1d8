/** The `pgpass` package (libpq's password file, as pg reads it), which ships no types. */
declare module 'pgpass' {
  interface ConnectionInfo {
    host: string;
    port: number | string;
    database: string;
    user: string;
  }
  /** Calls back with the first matching line's password of PGPASSFILE (else ~/.pgpass, if mode 0600), or undefined. */
  export default function pgpass(connection: ConnectionInfo, callback: (password: string | undefined) => void): void;
}
