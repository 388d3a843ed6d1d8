import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFileSecretBox, secretKeyFile } from '../../electron/core/settings/secret-box.js';

const dataDir = () => mkdtempSync(join(tmpdir(), 'watchroom-secret-box-'));

describe('keyFileSecretBox', () => {
  it('makes a 32-byte key on first use, 0600 in a 0700 folder, and reuses it', () => {
    const dir = dataDir();
    const sealed = keyFileSecretBox(dir).encrypt('Sup3r-Secret');
    const file = secretKeyFile(dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    expect(readFileSync(file)).toHaveLength(32);
    expect(keyFileSecretBox(dir).decrypt(sealed)).toBe('Sup3r-Secret');
  });

  it('seals with a fresh IV each time: the same password never looks the same, and does not show', () => {
    const box = keyFileSecretBox(dataDir());
    const [a, b] = [box.encrypt('Sup3r-Secret'), box.encrypt('Sup3r-Secret')];
    expect(a).not.toBe(b);
    for (const sealed of [a, b]) {
      expect(sealed).not.toContain('Sup3r');
      expect(Buffer.from(sealed.slice(3), 'base64').toString('latin1')).not.toContain('Sup3r');
    }
    expect(box.decrypt(box.encrypt("pässwörd ' : @ 🔑"))).toBe("pässwörd ' : @ 🔑");
  });

  it('refuses what another key sealed, and anything altered', () => {
    const box = keyFileSecretBox(dataDir());
    const sealed = box.encrypt('Sup3r-Secret');
    expect(() => keyFileSecretBox(dataDir()).decrypt(sealed)).toThrow();
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => box.decrypt(`v1:${bytes.toString('base64')}`)).toThrow();
    for (const junk of ['', 'Sup3r-Secret', 'v1:', 'v2:' + sealed.slice(3)]) expect(() => box.decrypt(junk)).toThrow();
  });

  it('refuses a key file other users can read, naming it and the fix, and leaves it as it is', () => {
    const dir = dataDir();
    keyFileSecretBox(dir);
    const file = secretKeyFile(dir);
    const key = readFileSync(file);
    for (const mode of [0o644, 0o640, 0o604]) {
      chmodSync(file, mode);
      expect(() => keyFileSecretBox(dir)).toThrow(expect.objectContaining({ code: 'secrets.key-exposed', message: expect.stringContaining(`chmod 600 ${file}`) }));
    }
    expect(readFileSync(file)).toEqual(key);
    chmodSync(file, 0o600);
    expect(() => keyFileSecretBox(dir)).not.toThrow();
  });

  it('refuses a damaged key file rather than making a new key', () => {
    const dir = dataDir();
    keyFileSecretBox(dir);
    const file = secretKeyFile(dir);
    writeFileSync(file, 'short');
    expect(() => keyFileSecretBox(dir)).toThrow(expect.objectContaining({ code: 'secrets.key-damaged' }));
    expect(readFileSync(file, 'utf8')).toBe('short');
  });

  it('never reads its key through a symbolic link', () => {
    const dir = dataDir();
    mkdirSync(join(dir, 'keys'), { mode: 0o700 });
    const elsewhere = join(dataDir(), 'key');
    writeFileSync(elsewhere, randomBytes(32), { mode: 0o600 });
    symlinkSync(elsewhere, secretKeyFile(dir));
    expect(() => keyFileSecretBox(dir)).toThrow(expect.objectContaining({ code: 'secrets.key-damaged', message: expect.stringMatching(/symbolic link/) }));
  });
});
