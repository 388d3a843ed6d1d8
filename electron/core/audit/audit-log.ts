/**
 * Append-only audit log, one JSON line per action of consequence. Every caller goes through
 * append(actor, action, subject, details); a later issue turns this file into a hash-chained ledger.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { AuditEntry } from '../../../shared/api.js';

export class AuditLog {
  private seq: number;

  constructor(private readonly file: string) {
    this.seq = existsSync(file) ? this.readAll().length : 0;
  }

  append(actor: string, action: string, subject: string, details?: Record<string, unknown>): AuditEntry {
    const entry: AuditEntry = { seq: ++this.seq, at: new Date().toISOString(), actor, action, subject, ...(details ? { details } : {}) };
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    return entry;
  }

  /** The newest `limit` entries, oldest first. */
  list(limit: number): AuditEntry[] {
    return this.readAll().slice(-limit);
  }

  /** Every entry, oldest first. */
  entries(): AuditEntry[] {
    return this.readAll();
  }

  private readAll(): AuditEntry[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as AuditEntry);
  }
}
