/**
 * Camera passwords in a site's directory, readable by recorders alone. Whoever enters a password
 * seals it to each recorder's sealing key (X25519; a key of its own, apart from the signing key):
 * a fresh ephemeral key per recipient, HKDF-SHA256 over the shared secret, AES-256-GCM with the
 * camera's id as associated data, so a sealed password copied onto another camera's row does not
 * open. Workstations never hold a camera password (their video comes from recorders), and a copy of
 * the directory opens no camera.
 */
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A password sealed for each recorder that may open it: recorder id → its envelope. */
export type SealedPassword = Record<string, { epk: string; iv: string; ct: string; tag: string }>;

export interface SealingKey {
  /** SPKI PEM, registered in the directory beside the recorder. */
  publicKeyPem: string;
  open(cameraId: string, envelope: SealedPassword[string]): string;
}

const INFO = Buffer.from('watchroom camera password v1');

function aesKey(shared: Buffer, epk: KeyObject, recipient: KeyObject): Buffer {
  const salt = Buffer.concat([epk.export({ type: 'spki', format: 'der' }), recipient.export({ type: 'spki', format: 'der' })]);
  return Buffer.from(hkdfSync('sha256', shared, salt, INFO, 32));
}

/** Seals `password` of camera `cameraId` for every recipient (recorder id → sealing public key PEM). */
export function sealPassword(cameraId: string, password: string, recipients: ReadonlyMap<string, string>): SealedPassword {
  const sealed: SealedPassword = {};
  for (const [id, pem] of recipients) {
    const recipient = createPublicKey(pem);
    const ephemeral = generateKeyPairSync('x25519');
    const key = aesKey(diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient }), ephemeral.publicKey, recipient);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(cameraId));
    const ct = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
    sealed[id] = {
      epk: ephemeral.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      iv: iv.toString('base64'),
      ct: ct.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
  }
  return sealed;
}

/** The recorder's sealing key, made on first use, the private half readable by its user alone. */
export function loadOrCreateSealingKey(keysDir: string): SealingKey {
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const file = join(keysDir, 'sealing-key.pem');
  if (!existsSync(file)) writeFileSync(file, generateKeyPairSync('x25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  const privateKey = createPrivateKey(readFileSync(file));
  const publicKey = createPublicKey(privateKey);
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    open(cameraId, envelope) {
      const epk = createPublicKey({ key: Buffer.from(envelope.epk, 'base64'), format: 'der', type: 'spki' });
      const key = aesKey(diffieHellman({ privateKey, publicKey: epk }), epk, publicKey);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64')).setAAD(Buffer.from(cameraId));
      decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}
