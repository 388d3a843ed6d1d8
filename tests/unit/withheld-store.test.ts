/** The workstation's evidence store as an export uses it: keep, seal, discard. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ManifestFile } from '../../electron/core/evidence/export-footage.js';
import { localWithheldStore } from '../../electron/core/evidence/withheld-store.js';

const master = (path: string): ManifestFile => ({
  path, role: 'master', cameraId: 'cam-1', bytes: 5, sha256: 'a'.repeat(64), durationSeconds: 4, codec: 'h264',
  startUtc: '2026-12-03T08:00:00.000Z', endUtc: '2026-12-03T08:00:04.000Z', derivedFrom: null, process: 'ffmpeg -c copy', width: 640, height: 360,
});

describe('localWithheldStore', () => {
  it('keeps a master made in its work folder where it is, and says where for the manifest', async () => {
    const storeDir = mkdtempSync(join(tmpdir(), 'wr-store-'));
    const store = localWithheldStore(storeDir, 'pkg-1');
    expect(store.workDir).toBe(join(storeDir, 'pkg-1'));
    mkdirSync(join(store.workDir, 'master'), { recursive: true });
    writeFileSync(join(store.workDir, 'master/a.mp4'), 'video');
    const kept = await store.keep(master('master/a.mp4'), join(store.workDir, 'master/a.mp4'), null);
    expect(kept).toMatchObject({ cameraId: 'cam-1', path: 'master/a.mp4', store: 'evidence-store/pkg-1/master/a.mp4', sha256: 'a'.repeat(64), bytes: 5 });
    await store.seal('b'.repeat(64));
    expect(readFileSync(join(storeDir, 'pkg-1/master/a.mp4'), 'utf8')).toBe('video');
  });

  it('moves a master made elsewhere into the store, and discards everything an export kept', async () => {
    const storeDir = mkdtempSync(join(tmpdir(), 'wr-store-'));
    const elsewhere = join(mkdtempSync(join(storeDir, 'work-')), 'b.mp4');
    writeFileSync(elsewhere, 'video');
    const store = localWithheldStore(storeDir, 'pkg-2');
    await store.keep(master('master/b.mp4'), elsewhere, null);
    expect(existsSync(elsewhere)).toBe(false);
    expect(readFileSync(join(storeDir, 'pkg-2/master/b.mp4'), 'utf8')).toBe('video');
    await store.discard();
    expect(existsSync(join(storeDir, 'pkg-2'))).toBe(false);
  });
});
