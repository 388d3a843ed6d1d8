import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateSealingKey, sealPassword } from '../../electron/core/recorders/password-seal.js';

const keysDir = () => join(mkdtempSync(join(tmpdir(), 'wr-seal-')), 'keys');

describe('camera passwords sealed to recorders', () => {
  const a = loadOrCreateSealingKey(keysDir());
  const b = loadOrCreateSealingKey(keysDir());
  const sealed = sealPassword('cam-1', 's3cret pa55 ✓', new Map([['rec-a', a.publicKeyPem], ['rec-b', b.publicKeyPem]]));

  it('opens for each recorder it was sealed to, and the directory row shows no trace of the password', () => {
    expect(a.open('cam-1', sealed['rec-a']!)).toBe('s3cret pa55 ✓');
    expect(b.open('cam-1', sealed['rec-b']!)).toBe('s3cret pa55 ✓');
    const row = JSON.stringify(sealed);
    expect(row).not.toContain('s3cret');
    expect(row).not.toContain(Buffer.from('s3cret pa55 ✓').toString('base64'));
  });

  it('does not open for another recorder, on another camera’s row, or after a byte changed', () => {
    expect(() => b.open('cam-1', sealed['rec-a']!)).toThrow();
    // Copied onto another camera: the camera id is bound in.
    expect(() => a.open('cam-2', sealed['rec-a']!)).toThrow();
    const flipped = Buffer.from(sealed['rec-a']!.ct, 'base64');
    flipped[0]! ^= 1;
    expect(() => a.open('cam-1', { ...sealed['rec-a']!, ct: flipped.toString('base64') })).toThrow();
    expect(() => a.open('cam-1', { ...sealed['rec-a']!, epk: sealed['rec-b']!.epk })).toThrow();
  });

  it('seals afresh each time and keeps the private key to its owner', () => {
    const again = sealPassword('cam-1', 's3cret pa55 ✓', new Map([['rec-a', a.publicKeyPem]]));
    expect(again['rec-a']!.ct).not.toBe(sealed['rec-a']!.ct);
    const dir = keysDir();
    const key = loadOrCreateSealingKey(dir);
    expect(statSync(join(dir, 'sealing-key.pem')).mode & 0o777).toBe(0o600);
    // The same key on the next start.
    expect(loadOrCreateSealingKey(dir).publicKeyPem).toBe(key.publicKeyPem);
    expect(readFileSync(join(dir, 'sealing-key.pem'), 'utf8')).toContain('PRIVATE KEY');
  });
});
