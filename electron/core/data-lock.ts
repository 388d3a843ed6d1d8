/**
 * One process per data folder. Two writers of one ledger fork its chain for good (two entries
 * numbered 12), and two recorders of one camera race for its files. The lock is a file made with
 * O_EXCL holding the owner's pid; a lock whose process is gone (a crash, a power cut) is taken over.
 */
import { closeSync, openSync, readFileSync, realpathSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { WatchroomError } from '../../shared/errors.js';

export const LOCK_FILE = 'watchroom.lock';
/** Folders this process holds: a second core on one folder in one process is refused too. */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** Takes the data folder for this process, or says who has it; the result releases it. */
export function lockDataDir(dataDir: string): () => void {
  // The folder as it is, not as it was named: a link or a relative path must not make it two folders.
  const file = join(realpathSync(dataDir), LOCK_FILE);
  if (held.has(file)) throw new WatchroomError('data.in-use', `This process already runs a Watchroom on the data folder ${dataDir}.`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      held.add(file);
      return () => {
        held.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner: { pid?: number; host?: string; since?: string } = {};
    try {
      owner = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // Unreadable: a crash while it was being written; nobody holds it.
    }
    // Our own pid in the file, not held by us: a previous process that had our number; it is gone.
    if (typeof owner.pid === 'number' && owner.pid !== process.pid && (owner.host !== hostname() || alive(owner.pid))) {
      throw new WatchroomError(
        'data.in-use',
        `Another Watchroom (process ${owner.pid} on ${owner.host ?? 'this machine'}, since ${owner.since ?? 'unknown'}) is using the data folder ${dataDir}. One folder has one Watchroom: stop that one first, or give this one its own --data folder.`,
      );
    }
    rmSync(file, { force: true }); // its owner is gone
  }
  throw new WatchroomError('data.in-use', `The data folder ${dataDir} could not be locked.`);
}
