/**
 * One process per data folder. Two writers of one ledger fork its chain for good (two entries
 * numbered 12), and two recorders of one camera race for its files.
 *
 * The lock is the operating system's, not a file's contents: an SQLite database held in EXCLUSIVE
 * locking mode keeps a POSIX lock on its file for as long as the connection is open, which the
 * kernel drops when the process dies however it dies. So there is no stale lock to take over and no
 * moment in which two processes can both believe they own the folder (a lock file written after it
 * is created, or removed when its owner looks dead, leaves both). A small JSON file beside it says
 * who holds the folder, for the message a second start gets; nothing depends on it.
 */
import Database from 'better-sqlite3';
import { realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { WatchroomError } from '../../shared/errors.js';
import { readRegularSync } from './regular-file.js';

export const LOCK_DB = 'watchroom-lock.sqlite';
/** Who holds the folder: for people, never for deciding. */
export const OWNER_FILE = 'watchroom.lock';

function owner(dir: string): string {
  try {
    const o = JSON.parse(readRegularSync(join(dir, OWNER_FILE), 4096)?.toString('utf8') ?? '') as { pid?: unknown; host?: unknown; since?: unknown };
    return `process ${String(o.pid)} on ${String(o.host)}, since ${String(o.since)}`;
  } catch {
    return 'its owner is not recorded';
  }
}

/** Takes the data folder for this process, or says who has it; the result releases it. */
export function lockDataDir(dataDir: string): () => void {
  // The folder as it is, not as it was named: a link or a relative path must not make it two folders.
  const dir = realpathSync(dataDir);
  // Two starts at the same instant can refuse each other (each holds the shared lock the other needs
  // to go exclusive, and EXCLUSIVE mode keeps it), leaving nobody. A few tries a random moment apart
  // break the tie; a live owner keeps the lock throughout, so a second start is still refused.
  for (let attempt = 1; ; attempt++) {
    const db = tryLock(dir);
    if (db) return holdFolder(dir, db);
    if (attempt === LOCK_TRIES) break;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 + Math.random() * 80);
  }
  throw new WatchroomError('data.in-use', `Another Watchroom (${owner(dir)}) is using the data folder ${dataDir}. One folder has one Watchroom: stop that one first, or give this one its own --data folder.`);
}

const LOCK_TRIES = 8;

/** The lock's database held exclusively, or null when someone else holds it. */
function tryLock(dir: string): Database.Database | null {
  const db = new Database(join(dir, LOCK_DB), { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE'); // SQLITE_BUSY at once if anyone holds it, this process included
    db.exec('CREATE TABLE IF NOT EXISTS starts (pid INTEGER, host TEXT, at TEXT)');
    // A write every time: in EXCLUSIVE locking mode the exclusive lock it takes is kept until close.
    db.prepare('INSERT INTO starts VALUES (?, ?, ?)').run(process.pid, hostname(), new Date().toISOString());
    db.exec('DELETE FROM starts WHERE rowid < (SELECT MAX(rowid) FROM starts)');
    db.exec('COMMIT');
    return db;
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return null;
    throw error;
  }
}

function holdFolder(dir: string, db: Database.Database): () => void {
  const info = join(dir, OWNER_FILE);
  writeFileSync(`${info}.${process.pid}`, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }), { mode: 0o600 });
  renameSync(`${info}.${process.pid}`, info);
  return () => {
    rmSync(info, { force: true });
    db.close();
  };
}
