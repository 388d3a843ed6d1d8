/**
 * The workstation's signing key, made on first use and entered in the ledger when it is. It signs
 * evidence packages and ledger checkpoints alike, so it is one object both are given.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { Logger } from '../logger.js';
import { loadOrCreateSigningKey, type SigningKey } from './signing-key.js';

export const keysDir = (dataDir: string) => join(dataDir, 'keys');

/** Whether the key exists yet (before it does, there are no checkpoints signed with it). */
export const workstationKeyMade = (dataDir: string) => existsSync(join(keysDir(dataDir), 'signing-key.pem'));

export function workstationKey(deps: { dataDir: string; ledger: AuditLedger; logger: Logger }): () => SigningKey {
  let key: SigningKey | null = null;
  return () => {
    if (key) return key;
    const existed = workstationKeyMade(deps.dataDir);
    key = loadOrCreateSigningKey(keysDir(deps.dataDir));
    if (!existed) {
      deps.ledger.append('system', 'evidence.key-created', 'signing-key', { fingerprint: key.fingerprint });
      deps.logger.log('info', 'evidence.key-created', { fingerprint: key.fingerprint });
    }
    return key;
  };
}
