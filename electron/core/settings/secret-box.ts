/**
 * Secrets at rest (camera passwords). The core is given a SecretBox: Electron's is safeStorage (the
 * OS keyring, see electron/main.ts); elsewhere it is keyFileSecretBox, AES-256-GCM under a random
 * key in a file only the app's user can read.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WatchroomError } from '../../../shared/errors.js';

export interface SecretBox {
  /** Printable text that gives nothing of `plain` away without the box's key. */
  encrypt(plain: string): string;
  /** Throws when `sealed` was not made by this box's key or was altered. */
  decrypt(sealed: string): string;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Names the format, so a later one can be told apart. */
const VERSION = 'v1';

export const secretKeyFile = (dataDir: string) => join(dataDir, 'keys', 'credentials.key');

/**
 * The box of `<dataDir>/keys/credentials.key`, made on first use (0600 in a 0700 folder). A key file
 * others can read is refused rather than trusted: whoever read it can read every password sealed
 * with it, and silently making a new key would lose them all.
 */
export function keyFileSecretBox(dataDir: string): SecretBox {
  const file = secretKeyFile(dataDir);
  mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = readKeyFile(file);
  return {
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(sealed) {
      const [version, data] = sealed.split(':');
      const bytes = Buffer.from(data ?? '', 'base64');
      if (version !== VERSION || bytes.length < IV_BYTES + TAG_BYTES) throw new Error('Not a sealed secret.');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}

/** Checked on the descriptor actually read, never through a symlink. */
function readKeyFile(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOOP') throw error;
    throw new WatchroomError('secrets.key-damaged', `The key file ${file} is a symbolic link; Watchroom reads its key only from a file of its own.`);
  }
  try {
    const stats = fstatSync(fd);
    if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
      const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
      throw new WatchroomError(
        'secrets.key-exposed',
        `The key file ${file} can be read by other users (mode ${mode}), so the camera passwords it protects may be known. Change the camera passwords, then run “chmod 600 ${file}” and start Watchroom again.`,
      );
    }
    const key = Buffer.alloc(KEY_BYTES);
    if (!stats.isFile() || stats.size !== KEY_BYTES || readSync(fd, key, 0, KEY_BYTES, 0) !== KEY_BYTES) {
      throw new WatchroomError('secrets.key-damaged', `The key file ${file} is damaged (it must hold ${KEY_BYTES} bytes). Move it back from a backup; Watchroom will not replace it.`);
    }
    return key;
  } finally {
    closeSync(fd);
  }
}
