/**
 * Sends a package's files to the browser host (PUT /received/<upload id>/<path>), which copies them
 * into the workstation's data folder for checking: a page cannot name a folder on disk. XHR rather
 * than fetch because only XHR reports upload progress, and a large master takes a while.
 */
import { WatchroomError, isApiErrorBody } from '../../../shared/errors.js';
import type { PackageFile } from '../incidents/package-folder-files';
import { hostAnswered } from './http-api';
import { sessionToken } from './session-token';

function put(url: string, file: File, onBytes: (sent: number) => void): Promise<{ folder: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    const token = sessionToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onBytes(e.loaded);
    xhr.onload = () => {
      const body = xhr.response as { folder?: string; error?: unknown } | null;
      if (xhr.status === 200 && typeof body?.folder === 'string') return resolve({ folder: body.folder });
      reject(isApiErrorBody(body?.error) ? WatchroomError.fromBody(body.error) : new WatchroomError(`http.${xhr.status}`, hostAnswered(xhr.status)));
    };
    xhr.onerror = () => reject(new WatchroomError('host.unreachable', 'Cannot reach the Watchroom host. Is watchroom-host still running?'));
    xhr.send(file);
  });
}

/** Uploads every file; `onProgress` gets the fraction of bytes sent. Resolves to the copy's folder on the host. */
export async function uploadPackage(files: readonly PackageFile[], onProgress: (fraction: number) => void): Promise<string> {
  const uploadId = crypto.randomUUID();
  const total = files.reduce((sum, f) => sum + f.file.size, 0) || 1;
  let done = 0;
  let folder = '';
  for (const { file, relativePath } of files) {
    const path = relativePath.split('/').map(encodeURIComponent).join('/');
    ({ folder } = await put(`/received/${uploadId}/${path}`, file, (sent) => onProgress((done + sent) / total)));
    done += file.size;
    onProgress(done / total);
  }
  return folder;
}
