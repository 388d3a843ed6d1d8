/**
 * Accounts in SQLite (their own file in the data folder). An account is never deleted: the ledger
 * names people by their account name, so a name stays taken and an account is disabled instead.
 */
import type Database from 'better-sqlite3';
import { openPrivateDatabase } from '../private-database.js';
import { randomUUID } from 'node:crypto';
import type { Person } from '../../../shared/api.js';
import type { Role } from '../../../shared/roles.js';

interface Row {
  id: string;
  name: string;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  created_at: number;
}

const toPerson = (r: Row): Person => ({ id: r.id, name: r.name, displayName: r.display_name, role: r.role, disabled: r.disabled === 1, createdAt: r.created_at });

export class PeopleStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openPrivateDatabase(file);
    this.db.exec(`CREATE TABLE IF NOT EXISTS people (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      display_name TEXT NOT NULL,
      role TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      disabled INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL
    )`);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM people').get() as { n: number }).n;
  }

  list(): Person[] {
    return (this.db.prepare('SELECT * FROM people ORDER BY created_at, name').all() as Row[]).map(toPerson);
  }

  byId(id: string): Person | null {
    const row = this.db.prepare('SELECT * FROM people WHERE id = ?').get(id) as Row | undefined;
    return row ? toPerson(row) : null;
  }

  /** The account and its password hash, for signing in. */
  byName(name: string): { person: Person; passwordHash: string } | null {
    const row = this.db.prepare('SELECT * FROM people WHERE name = ?').get(name) as Row | undefined;
    return row ? { person: toPerson(row), passwordHash: row.password_hash } : null;
  }

  passwordHash(id: string): string | null {
    return (this.db.prepare('SELECT password_hash FROM people WHERE id = ?').get(id) as { password_hash: string } | undefined)?.password_hash ?? null;
  }

  /** Null when the name is taken (by an active or a disabled account). */
  add(input: { name: string; displayName: string; role: Role; passwordHash: string }, now = Date.now()): Person | null {
    const row: Row = { id: randomUUID(), name: input.name, display_name: input.displayName, role: input.role, password_hash: input.passwordHash, disabled: 0, created_at: now };
    const added = this.db
      .prepare('INSERT OR IGNORE INTO people (id, name, display_name, role, password_hash, disabled, created_at) VALUES (@id, @name, @display_name, @role, @password_hash, @disabled, @created_at)')
      .run(row);
    return added.changes === 1 ? toPerson(row) : null;
  }

  /** Adds the first account only while there is none (two first starts at once make one admin). */
  addFirst(input: { name: string; displayName: string; role: Role; passwordHash: string }): Person | null {
    return this.db.transaction(() => (this.count() === 0 ? this.add(input) : null)).immediate();
  }

  update(id: string, changes: { displayName?: string; role?: Role; disabled?: boolean }): Person | null {
    const before = this.byId(id);
    if (!before) return null;
    const next = { ...before, ...changes };
    this.db.prepare('UPDATE people SET display_name = ?, role = ?, disabled = ? WHERE id = ?').run(next.displayName, next.role, next.disabled ? 1 : 0, id);
    return this.byId(id);
  }

  setPasswordHash(id: string, passwordHash: string): boolean {
    return this.db.prepare('UPDATE people SET password_hash = ? WHERE id = ?').run(passwordHash, id).changes === 1;
  }

  /** Active administrators: the last one cannot be demoted or disabled, or nobody could manage accounts. */
  activeAdmins(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM people WHERE role = 'admin' AND disabled = 0").get() as { n: number }).n;
  }

  close(): void {
    this.db.close();
  }
}
