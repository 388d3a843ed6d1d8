/**
 * Packages given to the browser shell: a page can read a dropped or chosen folder's files but cannot
 * name the folder on disk, so they are copied file by file into <data>/received/<upload id>/ and
 * verified there (the Electron shell verifies the folder where it lies). Names are checked so an
 * upload writes nowhere else, nothing is overwritten, no file is larger than a package's could be,
 * and a failed copy leaves nothing behind. Copies are removed a day later: the verification's
 * result is in the ledger, and the sender keeps the original.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat, statfs } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { WatchroomError } from '../../../shared/errors.js';
import { isNoSpace } from './ffmpeg-job.js';

export const receivedDir = (dataDir: string) => join(dataDir, 'received');

const MAX_DEPTH = 8;
/** Larger than any one file of a real package (a 24-hour 4K master is about 40 GB). */
export const MAX_RECEIVED_FILE_BYTES = 64 * 2 ** 30;
export const RECEIVED_KEPT_MS = 24 * 3_600_000;

/**
 * Space an upload must leave free on the data folder's disk: the ledger, the recordings and exports
 * live there, and an upload "for checking" must never be what stops the ledger being written.
 */
export function uploadReserveBytes(diskBytes: number): number {
  return Math.max(2 * 2 ** 30, diskBytes * 0.05);
}

export async function roomForUploads(dataDir: string): Promise<number> {
  const fs = await statfs(dataDir);
  return fs.bavail * fs.bsize - uploadReserveBytes(fs.blocks * fs.bsize);
}
const NAME = /^[^/\\\0]{1,255}$/;

/** Where one file of an upload goes, and the package folder it belongs to. */
export function receivedFilePath(dataDir: string, uploadId: string, relativePath: string): { file: string; folder: string } {
  if (!z.uuid().safeParse(uploadId).success) throw new WatchroomError('upload.bad-id', 'An upload is named by a UUID.');
  const parts = relativePath.split('/');
  if (parts.length < 2 || parts.length > MAX_DEPTH || parts.some((p) => !NAME.test(p) || p === '.' || p === '..')) {
    throw new WatchroomError('upload.bad-path', `“${relativePath.slice(0, 300)}” is not the path of a file inside a package folder.`);
  }
  const root = join(receivedDir(dataDir), uploadId);
  return { file: join(root, ...parts), folder: join(root, parts[0]!) };
}

class TooLarge extends Error {}
class NoRoom extends Error {}

/** Passes bytes through until there are more than `max`, then fails with `error()`. */
function limitTo(max: number, error: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > max ? error() : null, chunk);
    },
  });
}

/** Copies one uploaded file into place; on any failure the whole upload is removed. */
export async function receiveFile(dataDir: string, upload: { uploadId: string; relativePath: string; body: Readable; declaredBytes?: number }, maxBytes = MAX_RECEIVED_FILE_BYTES): Promise<{ folder: string }> {
  const { uploadId, relativePath, body } = upload;
  const { file, folder } = receivedFilePath(dataDir, uploadId, relativePath);
  try {
    // Said too large up front: refused before a byte is read, so the answer can still be sent.
    if ((upload.declaredBytes ?? 0) > maxBytes) throw new TooLarge();
    const room = await roomForUploads(dataDir);
    if ((upload.declaredBytes ?? 0) > room) throw new NoRoom();
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await pipeline(body, limitTo(Math.min(maxBytes, room), () => (room < maxBytes ? new NoRoom() : new TooLarge())), createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    return { folder };
  } catch (error) {
    await rm(join(receivedDir(dataDir), uploadId), { recursive: true, force: true });
    if (error instanceof NoRoom) throw new WatchroomError('upload.disk-full', 'The workstation’s disk has no room for this package beyond what the recordings and the audit ledger need, so it was not copied for checking. Nothing was kept; check it with watchroom-verify where it lies.');
    if (error instanceof TooLarge) throw new WatchroomError('upload.too-large', `“${relativePath.slice(0, 300)}” is larger than any file of an evidence package (${Math.round(maxBytes / 2 ** 30)} GB); nothing was kept.`);
    const text = String((error as NodeJS.ErrnoException).code ?? error);
    if (isNoSpace(text)) throw new WatchroomError('upload.disk-full', 'The workstation’s disk is full, so the package could not be copied for checking. Nothing was kept.');
    if (text === 'EEXIST') throw new WatchroomError('upload.duplicate', `“${relativePath}” was sent twice in one upload.`);
    throw new WatchroomError('upload.failed', `The package could not be copied for checking (${text}). Nothing was kept.`);
  }
}

/** Removes uploads older than `keptMs` (by their folder's time); returns how many went. */
export async function removeOldUploads(dataDir: string, now = Date.now(), keptMs = RECEIVED_KEPT_MS): Promise<number> {
  const root = receivedDir(dataDir);
  let removed = 0;
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const dir = join(root, name);
    const { mtimeMs } = await stat(dir);
    if (now - mtimeMs > keptMs) {
      await rm(dir, { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}
