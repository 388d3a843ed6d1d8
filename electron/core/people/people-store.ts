/**
 * Accounts, in the directory: a person signs in on any workstation of a site. An account is never
 * deleted: the ledger names people by their account name, so a name stays taken and an account is
 * disabled instead. Two implementations, as the directory has: the data folder's people.sqlite (one
 * machine) and the site's PostgreSQL table (site-people.ts).
 *
 * Each account carries two counters. `revision` goes up with every change, so a copy of the account
 * held in memory (people-roster.ts) never takes an older one for a newer. `sessionEpoch` goes up when
 * the person's sessions must end everywhere (a password changed or reset, the account disabled): a
 * session opened at an older epoch is worth nothing on any workstation.
 */
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Person } from '../../../shared/api.js';
import type { Role } from '../../../shared/roles.js';
import { openPrivateDatabase } from '../private-database.js';

export interface Account {
  person: Person;
  sessionEpoch: number;
  revision: number;
}

export type NewAccount = { name: string; displayName: string; role: Role; passwordHash: string };
export type AccountChanges = { displayName?: string; role?: Role; disabled?: boolean };
/**
 * A rule a change must meet, checked against the account and the count of active administrators as
 * they are when written (another workstation may have changed either since they were read); it
 * refuses by throwing, and nothing is written.
 */
export type AccountCheck = (before: Person, activeAdmins: number) => void;

export interface PeopleRepository {
  list(): Promise<Account[]>;
  get(id: string): Promise<Account | null>;
  /** The account of a name (case-insensitive) and its password hash, for signing in. */
  signInRecord(name: string): Promise<{ account: Account; passwordHash: string } | null>;
  passwordHash(id: string): Promise<string | null>;
  /** Null when the name is taken (by an active or a disabled account), or when `first` and there is any account. */
  add(input: NewAccount, options?: { first?: boolean; now?: number }): Promise<Account | null>;
  /** The account as changed, or null when there is none. Disabling ends the person's sessions. */
  update(id: string, changes: AccountChanges, check?: AccountCheck): Promise<Account | null>;
  /** A new password; the person's sessions end. */
  setPasswordHash(id: string, passwordHash: string): Promise<Account | null>;
}

/** Both implementations' rows: PostgreSQL gives booleans and bigints as such or as strings, SQLite gives numbers. */
export interface AccountRow {
  id: string;
  name: string;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled: number | boolean;
  created_at: number | string;
  session_epoch: number;
  revision: number;
}

export const toAccount = (r: AccountRow): Account => ({
  person: { id: r.id, name: r.name, displayName: r.display_name, role: r.role, disabled: r.disabled === 1 || r.disabled === true, createdAt: Number(r.created_at) },
  sessionEpoch: Number(r.session_epoch),
  revision: Number(r.revision),
});

export const newAccountRow = (input: NewAccount, now: number): AccountRow => ({
  id: randomUUID(),
  name: input.name,
  display_name: input.displayName,
  role: input.role,
  password_hash: input.passwordHash,
  disabled: 0,
  created_at: now,
  session_epoch: 0,
  revision: 0,
});

/** The account after `changes`: a new revision, and a new session epoch if it is being disabled. */
export function changed(before: Account, changes: AccountChanges): Account {
  const person = { ...before.person, ...changes };
  return { person, revision: before.revision + 1, sessionEpoch: before.sessionEpoch + (changes.disabled === true ? 1 : 0) };
}

/** Whether `changes` would leave nobody able to manage accounts. */
export const removesLastAdmin = (before: Person, changes: AccountChanges, activeAdmins: number) =>
  before.role === 'admin' && !before.disabled && ((changes.role !== undefined && changes.role !== 'admin') || changes.disabled === true) && activeAdmins <= 1;

/** One machine's accounts, in people.sqlite. Only this process writes it, so each call is one transaction. */
export class PeopleStore implements PeopleRepository {
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
    // Files made before accounts had counters get them, at zero.
    const columns = new Set((this.db.prepare('PRAGMA table_info(people)').all() as { name: string }[]).map((c) => c.name));
    for (const column of ['session_epoch', 'revision']) if (!columns.has(column)) this.db.exec(`ALTER TABLE people ADD COLUMN ${column} INTEGER NOT NULL DEFAULT 0`);
  }

  private row(id: string): AccountRow | undefined {
    return this.db.prepare('SELECT * FROM people WHERE id = ?').get(id) as AccountRow | undefined;
  }

  async list(): Promise<Account[]> {
    return (this.db.prepare('SELECT * FROM people ORDER BY created_at, name').all() as AccountRow[]).map(toAccount);
  }

  async get(id: string): Promise<Account | null> {
    const row = this.row(id);
    return row ? toAccount(row) : null;
  }

  async signInRecord(name: string): Promise<{ account: Account; passwordHash: string } | null> {
    const row = this.db.prepare('SELECT * FROM people WHERE name = ?').get(name) as AccountRow | undefined;
    return row ? { account: toAccount(row), passwordHash: row.password_hash } : null;
  }

  async passwordHash(id: string): Promise<string | null> {
    return this.row(id)?.password_hash ?? null;
  }

  async add(input: NewAccount, options: { first?: boolean; now?: number } = {}): Promise<Account | null> {
    const row = newAccountRow(input, options.now ?? Date.now());
    // Immediate: two first starts at once make one administrator.
    return this.db
      .transaction(() => {
        if (options.first && (this.db.prepare('SELECT COUNT(*) AS n FROM people').get() as { n: number }).n > 0) return null;
        const added = this.db
          .prepare('INSERT OR IGNORE INTO people (id, name, display_name, role, password_hash, disabled, created_at, session_epoch, revision) VALUES (@id, @name, @display_name, @role, @password_hash, @disabled, @created_at, @session_epoch, @revision)')
          .run(row);
        return added.changes === 1 ? toAccount(row) : null;
      })
      .immediate();
  }

  async update(id: string, changes: AccountChanges, check?: AccountCheck): Promise<Account | null> {
    return this.db
      .transaction(() => {
        const row = this.row(id);
        if (!row) return null;
        const before = toAccount(row);
        check?.(before.person, (this.db.prepare("SELECT COUNT(*) AS n FROM people WHERE role = 'admin' AND disabled = 0").get() as { n: number }).n);
        const after = changed(before, changes);
        this.db
          .prepare('UPDATE people SET display_name = ?, role = ?, disabled = ?, session_epoch = ?, revision = ? WHERE id = ?')
          .run(after.person.displayName, after.person.role, after.person.disabled ? 1 : 0, after.sessionEpoch, after.revision, id);
        return after;
      })
      .immediate();
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<Account | null> {
    this.db.prepare('UPDATE people SET password_hash = ?, session_epoch = session_epoch + 1, revision = revision + 1 WHERE id = ?').run(passwordHash, id);
    return this.get(id);
  }

  close(): void {
    this.db.close();
  }
}
