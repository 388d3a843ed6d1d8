/**
 * Answers for the media routes the features serve (recordings, thumbnails) and for the shells.
 *
 * sendFile: a file as an HTTP response. A file can vanish or change between a look and the read (retention
 * deleting a segment someone is playing, a thumbnail replaced): then a 404 if nothing was sent yet,
 * else the response is cut off; never an unhandled stream error, which would take the host down.
 * Only a regular file is sent (regular-file.ts): a named pipe would block, a link could point anywhere.
 */
import type { ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from './logger.js';
import { openRegular } from './regular-file.js';

export function sendFile(res: ServerResponse, file: string, logger: Logger, headers: Record<string, string>): void {
  void (async () => {
    let handle;
    try {
      handle = await openRegular(file);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('That file is no longer there.');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': (await handle.stat()).size });
    await pipeline(handle.createReadStream(), res);
  })().catch((error: unknown) => {
    logger.log('warn', 'host.file-failed', { file: basename(file), error: String(error) });
    res.destroy();
  });
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
