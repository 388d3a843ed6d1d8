/**
 * Opening files that someone else may have placed: packages handed in for verification, footage on
 * disk. A symlink could point at /dev/zero (a read that never ends) and a named pipe blocks the open
 * itself, tying up one of Node's four I/O threads for good. So: never follow a final symlink, never
 * wait in open (O_NONBLOCK does nothing to a regular file), and read only what fstat says is a
 * regular file, checked on the descriptor actually opened rather than on the path beforehand.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

export class NotRegularFileError extends Error {
  constructor(readonly file: string, readonly kind: string) {
    super(`${file} is ${kind}, not a regular file.`);
  }
}

const FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export async function openRegular(file: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(file, FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new NotRegularFileError(file, 'a symbolic link');
    throw error;
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw new NotRegularFileError(file, stats.isFIFO() ? 'a named pipe' : stats.isDirectory() ? 'a folder' : 'a device or socket');
  }
  return handle;
}

/** A small regular file whole; null when it is larger than `maxBytes` (nothing beyond that is read). */
export async function readRegular(file: string, maxBytes: number): Promise<Buffer | null> {
  const handle = await openRegular(file);
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) return null;
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** readRegular for the few reads that must be synchronous (start-up); same rules. */
export function readRegularSync(file: string, maxBytes: number): Buffer | null {
  let fd: number;
  try {
    fd = openSync(file, FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new NotRegularFileError(file, 'a symbolic link');
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new NotRegularFileError(file, stats.isFIFO() ? 'a named pipe' : 'not a file');
    if (stats.size > maxBytes) return null;
    const buffer = Buffer.alloc(stats.size);
    return buffer.subarray(0, readSync(fd, buffer, 0, stats.size, 0));
  } finally {
    closeSync(fd);
  }
}
