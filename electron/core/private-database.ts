/**
 * An SQLite database only this user can read, even in a data folder others may list: the file is
 * made 0600 before SQLite opens it, and SQLite gives its -wal and -shm files the same mode. Every
 * store of the core writes ahead (WAL): readers never wait for a writer.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, openSync } from 'node:fs';

export function openPrivateDatabase(file: string): Database.Database {
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  return db;
}
