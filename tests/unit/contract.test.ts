/**
 * The contract's own rules: every method needs a declared access and, when it changes anything, a
 * ledger action; its error codes exist; and the method list is written once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../shared/audit-actions.js';
import { API_METHODS, CONTRACT } from '../../shared/contract.js';
import { isErrorCode } from '../../shared/errors.js';
import { PERMISSIONS } from '../../shared/roles.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** Calls that change nothing: they read, or only sign (a media link) or keep a session awake. */
const READS = /^(get|list)[A-Z]|^mediaLink$|^reportActivity$/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

describe('the contract', () => {
  it.each(API_METHODS)('%s declares an access the core knows, a ledger action when it changes something, and known error codes', (method) => {
    const spec = CONTRACT[method];
    expect([...PERMISSIONS, 'public', 'self']).toContain(spec.access);
    if (READS.test(method)) expect(spec.audit, `${method} reads: it writes no entry`).toBeNull();
    else expect(AUDIT_ACTIONS as readonly string[], `${method} changes something: it needs a ledger action`).toContain(spec.audit);
    for (const code of spec.errors) expect(isErrorCode(code), code).toBe(true);
  });

  it('is the only list of methods: no other source file names most of them', () => {
    const files = ['electron', 'renderer/src', 'shared'].flatMap((d) => sources(join(ROOT, d))).filter((f) => !f.endsWith(join('shared', 'contract.ts')));
    const copies = files
      .map((file) => {
        const text = readFileSync(file, 'utf8');
        const named = API_METHODS.filter((m) => new RegExp(`\\b${m}\\b`).test(text));
        return { file: relative(ROOT, file), named: named.length };
      })
      // A feature names its own slice (people: a dozen); a copy of the list would name most of them.
      .filter((f) => f.named > API_METHODS.length / 3);
    expect(copies).toEqual([]);
  });
});
