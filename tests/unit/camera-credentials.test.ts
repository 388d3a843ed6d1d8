/** Camera passwords in the credentials file: encrypted, migrated from plain text, and never lost. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CameraRegistry } from '../../electron/core/cameras/camera-registry.js';
import { openFileCameraStore } from '../../electron/core/cameras/camera-store.js';
import { keyFileSecretBox } from '../../electron/core/settings/secret-box.js';
import { openConfStore } from '../../electron/core/settings/settings-store.js';

const PASSWORD = 'Sup3r-Secret';

function open(dir: string) {
  const { store, initial } = openFileCameraStore(openConfStore(dir, 'settings'), openConfStore(dir, 'credentials'), keyFileSecretBox(dir));
  return new CameraRegistry(store, initial);
}
const credentialsFile = (dir: string) => join(dir, 'credentials.json');
const readCredentials = (dir: string) => JSON.parse(readFileSync(credentialsFile(dir), 'utf8')) as { passwords?: Record<string, string>; sealed?: Record<string, unknown> };
const rtspUrl = (registry: CameraRegistry, id: string) => {
  const source = registry.source(id);
  return source?.kind === 'rtsp' ? source.url : source;
};

/** A data folder with two cameras that have passwords. */
async function twoCameras() {
  const dir = mkdtempSync(join(tmpdir(), 'watchroom-credentials-'));
  const registry = open(dir);
  const door = await registry.add({ name: 'Door', url: 'rtsp://10.0.0.1/stream', username: 'operator', password: PASSWORD });
  const yard = await registry.add({ name: 'Yard', url: 'rtsp://10.0.0.2/stream', username: 'viewer', password: 'Yard-pw-2' });
  return { dir, door: door.id, yard: yard.id };
}

describe('camera credentials at rest', async () => {
  it('writes each password encrypted, and reads it back after a restart', async () => {
    const { dir, door, yard } = await twoCameras();
    const text = readFileSync(credentialsFile(dir), 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('Yard-pw-2');
    expect(Object.keys(readCredentials(dir).sealed!).sort()).toEqual([door, yard].sort());
    const again = open(dir);
    expect(rtspUrl(again, door)).toBe(`rtsp://operator:${PASSWORD}@10.0.0.1/stream`);
    expect(rtspUrl(again, yard)).toBe('rtsp://viewer:Yard-pw-2@10.0.0.2/stream');
  });

  it('migrates a plain-text credentials file once: rewritten encrypted, every password kept', async () => {
    const { dir, door, yard } = await twoCameras();
    writeFileSync(credentialsFile(dir), JSON.stringify({ passwords: { [door]: PASSWORD, [yard]: 'Yard-pw-2' } }));
    const migrated = open(dir);
    const text = readFileSync(credentialsFile(dir), 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('Yard-pw-2');
    expect(readCredentials(dir)).toMatchObject({ passwords: {} });
    expect(Object.keys(readCredentials(dir).sealed!).sort()).toEqual([door, yard].sort());
    expect(rtspUrl(migrated, door)).toBe(`rtsp://operator:${PASSWORD}@10.0.0.1/stream`);
    // The next start reads the encrypted copies and writes nothing.
    const before = readFileSync(credentialsFile(dir), 'utf8');
    expect(rtspUrl(open(dir), yard)).toBe('rtsp://viewer:Yard-pw-2@10.0.0.2/stream');
    expect(readFileSync(credentialsFile(dir), 'utf8')).toBe(before);
  });

  it('after a crash mid-migration (both copies on disk), the plain-text password wins and is encrypted', async () => {
    const { dir, door } = await twoCameras();
    const stored = readCredentials(dir);
    writeFileSync(credentialsFile(dir), JSON.stringify({ ...stored, passwords: { [door]: 'Newer-pw' } }));
    expect(rtspUrl(open(dir), door)).toBe('rtsp://operator:Newer-pw@10.0.0.1/stream');
    expect(readFileSync(credentialsFile(dir), 'utf8')).not.toContain('Newer-pw');
    expect(rtspUrl(open(dir), door)).toBe('rtsp://operator:Newer-pw@10.0.0.1/stream');
  });

  it('a password that cannot be read is that camera’s error alone, kept as stored until it is entered again', async () => {
    const { dir, door, yard } = await twoCameras();
    const stored = readCredentials(dir);
    const damaged = { ...stored.sealed, [yard]: 'v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    writeFileSync(credentialsFile(dir), JSON.stringify({ sealed: damaged }));
    const registry = open(dir);
    expect(registry.source(yard)).toEqual({ kind: 'unusable', reason: expect.stringMatching(/stored password .* cannot be read.*enter it again/) });
    expect(registry.hasPassword(yard)).toBe(true);
    expect(rtspUrl(registry, door)).toBe(`rtsp://operator:${PASSWORD}@10.0.0.1/stream`);

    // Edits that leave the password alone keep what is stored, as it is.
    await registry.update(yard, { name: 'Yard (north)' });
    await registry.update(door, { name: 'Door (front)' });
    expect(readCredentials(dir).sealed![yard]).toBe(damaged[yard]);

    await registry.update(yard, { password: 'Yard-pw-3' });
    expect(rtspUrl(registry, yard)).toBe('rtsp://viewer:Yard-pw-3@10.0.0.2/stream');
    expect(rtspUrl(open(dir), yard)).toBe('rtsp://viewer:Yard-pw-3@10.0.0.2/stream');
  });

  it('treats an entry that is not text, or one another key sealed, the same way', async () => {
    const { dir, door, yard } = await twoCameras();
    const foreign = keyFileSecretBox(mkdtempSync(join(tmpdir(), 'watchroom-other-'))).encrypt(PASSWORD);
    writeFileSync(credentialsFile(dir), JSON.stringify({ sealed: { [door]: foreign, [yard]: 42 } }));
    const registry = open(dir);
    expect(registry.source(door)).toMatchObject({ kind: 'unusable' });
    expect(registry.source(yard)).toMatchObject({ kind: 'unusable' });
    await registry.update(yard, { password: '' });
    expect(registry.hasPassword(yard)).toBe(false);
    expect(readCredentials(dir).sealed).toEqual({ [door]: foreign });
  });
});
