/**
 * A site workstation's withheld masters (recorder-withheld.ts): each goes to the recorder that recorded
 * its clip and leaves the workstation once that recorder's receipt is in; sealing and discarding reach
 * every recorder a master went to. The recorders here are a stand-in for the network (the real
 * exchange is in tests/integration/site-export.test.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recorderWithheldStore } from '../../electron/core/evidence/recorder-withheld.js';
import type { ManifestFile } from '../../electron/core/evidence/export-footage.js';
import type { SiteMasters } from '../../electron/core/recorders/site-masters.js';

const master = (path: string) => ({ cameraId: 'cam-1', path, sha256: 'a'.repeat(64), bytes: 5, startUtc: '2026-12-03T10:00:00.000Z', endUtc: '2026-12-03T10:00:10.000Z' }) as unknown as ManifestFile;

function recorders(failSendTo?: string) {
  const calls: string[] = [];
  const masters: SiteMasters = {
    async send(recorderId, packageId, path, file) {
      calls.push(`send ${recorderId} ${path}`);
      if (recorderId === failSendTo) throw new Error('recorder gone');
      expect(existsSync(file)).toBe(true);
      return { text: '{}', signature: 'c2ln', receipt: { format: 'watchroom-master-receipt/1', packageId, path, sha256: 'a'.repeat(64), bytes: 5, recorder: { id: recorderId, fingerprint: `fp-${recorderId}` }, fromNode: 'ws-1', receivedAtUtc: '' } };
    },
    seal: async (recorderId) => void calls.push(`seal ${recorderId}`),
    discard: async (recorderId) => void calls.push(`discard ${recorderId}`),
  };
  return { masters, calls };
}

function made(workRoot: string, packageId: string, name: string) {
  const file = join(workRoot, packageId, 'master', name);
  mkdirSync(join(workRoot, packageId, 'master'), { recursive: true });
  writeFileSync(file, 'video');
  return file;
}

describe('a site workstation’s withheld masters', () => {
  it('hands each master to the recorder of its clip, keeps no copy, and seals on each of them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wr-rw-'));
    const { masters, calls } = recorders();
    const store = recorderWithheldStore(masters, root, 'pkg', new AbortController().signal);
    const a = await store.keep(master('master/a.mp4'), made(root, 'pkg', 'a.mp4'), 'rec-a');
    const b = await store.keep(master('master/b.mp4'), made(root, 'pkg', 'b.mp4'), 'rec-b');
    expect(a).toMatchObject({ keptBy: { recorder: 'rec-a', fingerprint: 'fp-rec-a' }, store: 'evidence-store/pkg/master/a.mp4', receipt: { text: '{}', signature: 'c2ln' } });
    expect(b.keptBy).toEqual({ recorder: 'rec-b', fingerprint: 'fp-rec-b' });
    expect(existsSync(join(root, 'pkg/master/a.mp4'))).toBe(false);
    await store.seal('d'.repeat(64));
    expect(calls).toEqual(['send rec-a master/a.mp4', 'send rec-b master/b.mp4', 'seal rec-a', 'seal rec-b']);
    expect(existsSync(join(root, 'pkg'))).toBe(false);
  });

  it('discards on every recorder a master went to, the one that failed half way included, and leaves nothing here', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wr-rw-'));
    const { masters, calls } = recorders('rec-b');
    const store = recorderWithheldStore(masters, root, 'pkg', new AbortController().signal);
    await store.keep(master('master/a.mp4'), made(root, 'pkg', 'a.mp4'), 'rec-a');
    await expect(store.keep(master('master/b.mp4'), made(root, 'pkg', 'b.mp4'), 'rec-b')).rejects.toThrow('recorder gone');
    await store.discard();
    expect(calls.filter((c) => c.startsWith('discard')).sort()).toEqual(['discard rec-a', 'discard rec-b']);
    expect(existsSync(join(root, 'pkg'))).toBe(false);
  });

  it('refuses a master of footage no recorder recorded', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wr-rw-'));
    const store = recorderWithheldStore(recorders().masters, root, 'pkg', new AbortController().signal);
    await expect(store.keep(master('master/a.mp4'), made(root, 'pkg', 'a.mp4'), null)).rejects.toThrow(/recorder/);
  });
});
