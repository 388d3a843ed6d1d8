/**
 * Packages given to the browser shell: a page can read a dropped or chosen folder's files but cannot
 * name the folder on disk, so they are copied file by file into <data>/received/<upload id>/ and
 * verified there (the Electron shell verifies the folder where it lies). Names are checked so an
 * upload writes nowhere else, nothing is overwritten, and a failed copy leaves nothing behind.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { WatchroomError } from '../../../shared/errors.js';
import { isNoSpace } from './ffmpeg-job.js';

export const receivedDir = (dataDir: string) => join(dataDir, 'received');

const MAX_DEPTH = 8;
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

/** Copies one uploaded file into place; on any failure the whole upload is removed. */
export async function receiveFile(dataDir: string, uploadId: string, relativePath: string, body: Readable): Promise<{ folder: string }> {
  const { file, folder } = receivedFilePath(dataDir, uploadId, relativePath);
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await pipeline(body, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    return { folder };
  } catch (error) {
    await rm(join(receivedDir(dataDir), uploadId), { recursive: true, force: true });
    const text = String((error as NodeJS.ErrnoException).code ?? error);
    if (isNoSpace(text)) throw new WatchroomError('upload.disk-full', 'The workstation’s disk is full, so the package could not be copied for checking. Nothing was kept.');
    if (text === 'EEXIST') throw new WatchroomError('upload.duplicate', `“${relativePath}” was sent twice in one upload.`);
    throw new WatchroomError('upload.failed', `The package could not be copied for checking (${text}). Nothing was kept.`);
  }
}
