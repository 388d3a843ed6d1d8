/**
 * What used to be left lying about or could bring the host down: files served as responses that are
 * not there (or not files) when read, uploads without a size limit that were never cleaned up, and
 * half-built export folders left by a crash.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, existsSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sendFile } from '../../electron/core/http-reply.js';
import { createLogger } from '../../electron/core/logger.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';

const dir = mkdtempSync(join(tmpdir(), 'watchroom-send-'));
const logger = createLogger({ file: join(dir, 'log'), echo: false, secrets: () => [] });
const hosts: TestHost[] = [];
afterAll(async () => {
  for (const h of hosts) await h.close();
});

describe('files as responses', () => {
  it('answers 404 for a file gone, a folder or a named pipe in its place, and goes on serving', async () => {
    writeFileSync(join(dir, 'segment.ts'), Buffer.alloc(100_000, 7));
    mkdirSync(join(dir, 'folder.ts'));
    execFileSync('mkfifo', [join(dir, 'pipe.ts')]);
    const server: Server = createServer((req, res) => sendFile(res, join(dir, req.url!.slice(1)), logger, { 'Content-Type': 'video/mp2t' }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      for (const name of ['gone.ts', 'folder.ts', 'pipe.ts']) {
        const res = await fetch(`${base}/${name}`);
        expect(res.status, name).toBe(404);
        expect(await res.text()).toBe('That file is no longer there.');
      }
      const ok = await fetch(`${base}/segment.ts`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-length')).toBe('100000');
      expect((await ok.arrayBuffer()).byteLength).toBe(100_000);
    } finally {
      server.close();
    }
  });
});

describe('received packages', () => {
  it('refuses a file larger than any package holds and keeps nothing of that upload', async () => {
    const h = await startTestHost({ maxReceivedFileBytes: 1_000 });
    hosts.push(h);
    const authorization = `Bearer ${h.token}`;
    const uploadId = randomUUID();
    const put = (path: string, bytes: number) => fetch(`${h.baseUrl}/received/${uploadId}/${path}`, { method: 'PUT', headers: { authorization }, body: new Uint8Array(bytes) });
    expect((await put('WR-1/manifest.json', 500)).status).toBe(200);
    const big = await put('WR-1/master/a.mp4', 5_000);
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('upload.too-large');
    expect(existsSync(join(h.dataDir, 'received', uploadId))).toBe(false);
  });

  it('removes copies older than a day and half-built exports when it starts, keeping the rest', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'watchroom-leftovers-'));
    const old = join(dataDir, 'received', randomUUID());
    const fresh = join(dataDir, 'received', randomUUID());
    for (const d of [old, fresh]) mkdirSync(join(d, 'WR-1'), { recursive: true });
    const twoDaysAgo = (Date.now() - 2 * 86_400_000) / 1000;
    utimesSync(old, twoDaysAgo, twoDaysAgo);
    const partial = join(dataDir, 'exports', `.partial-${randomUUID()}`);
    const finished = join(dataDir, 'exports', 'WR-CASE-1-20261201T000000Z');
    for (const d of [partial, finished]) mkdirSync(join(d, 'master'), { recursive: true });

    const h = await startTestHost({ dataDir });
    hosts.push(h);
    expect(existsSync(partial), 'a crashed export’s folder').toBe(false);
    expect(existsSync(finished)).toBe(true);
    await expect.poll(() => existsSync(old), { timeout: 20_000 }).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });
});
