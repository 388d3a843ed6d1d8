import { describe, expect, it } from 'vitest';
import { parseNotice } from '../../electron/core/directory/change-listener.js';
import { checkDirectoryUrl, directoryFailure } from '../../electron/core/directory/directory-url.js';
import { WatchroomError } from '../../shared/errors.js';

const refusal = (text: string) => {
  try {
    checkDirectoryUrl(text);
  } catch (error) {
    expect(error).toBeInstanceOf(WatchroomError);
    expect((error as WatchroomError).code).toBe('directory.bad-url');
    return (error as WatchroomError).message;
  }
  throw new Error(`expected ${text} to be refused`);
};

describe('the directory address', () => {
  it('takes postgres:// and postgresql:// addresses naming a database, with or without user, port and options', () => {
    expect(checkDirectoryUrl('postgres://watchroom@db.example:5433/site').pathname).toBe('/site');
    expect(checkDirectoryUrl('postgresql://db.example/site?sslmode=require').hostname).toBe('db.example');
  });

  it('refuses a password in it, in either place, without repeating it', () => {
    for (const text of ['postgres://watchroom:hunter2@db.example/site', 'postgres://watchroom@db.example/site?password=hunter2']) {
      const message = refusal(text);
      expect(message).toContain('PGPASSFILE');
      expect(message).not.toContain('hunter2');
    }
  });

  it('refuses other schemes, no host, and no database, each with a sentence', () => {
    expect(refusal('mysql://db.example/site')).toMatch(/is a PostgreSQL address/);
    expect(refusal('db.example:5432/site')).toMatch(/is a PostgreSQL address/);
    expect(refusal('postgres:///site')).toMatch(/is a PostgreSQL address/);
    expect(refusal('postgres://db.example')).toMatch(/names no database/);
    expect(refusal('postgres://db.example/')).toMatch(/names no database/);
  });
});

describe('what a failure to reach the directory means', () => {
  const url = new URL('postgres://clerk@db.example:5433/site');
  const meaning = (error: object) => directoryFailure(error, url) as WatchroomError;

  it('names the server it cannot reach, whatever the network said', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', '57P03']) {
      expect(meaning(Object.assign(new Error(''), { code }))).toMatchObject({ code: 'directory.unreachable', message: expect.stringContaining(`The directory at db.example:5433 cannot be reached (${code})`) });
    }
    expect(meaning(new Error('Connection terminated due to connection timeout'))).toMatchObject({ code: 'directory.unreachable' });
  });

  it('names the missing database and the refused user', () => {
    expect(meaning(Object.assign(new Error('database "site" does not exist'), { code: '3D000' }))).toMatchObject({ code: 'directory.no-database', message: expect.stringContaining('createdb site') });
    expect(meaning(Object.assign(new Error('password authentication failed'), { code: '28P01' }))).toMatchObject({ code: 'directory.refused', message: expect.stringContaining('refused user “clerk”') });
    expect(meaning(new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a non-empty string'))).toMatchObject({ code: 'directory.refused' });
  });

  it('says a full server needs more max_connections, and how many', () => {
    expect(meaning(Object.assign(new Error('sorry, too many clients already'), { code: '53300' }))).toMatchObject({ code: 'directory.full', message: expect.stringMatching(/max_connections.*three per process/) });
  });

  it('leaves any other error as it is', () => {
    const other = Object.assign(new Error('syntax error'), { code: '42601' });
    expect(directoryFailure(other, url)).toBe(other);
  });
});

describe('a change notice', () => {
  it('is read as a topic and maybe an id; garbage and topics this build does not know are dropped', () => {
    expect(parseNotice('{"topic":"bookmarks","id":"b-1"}')).toEqual({ topic: 'bookmarks', id: 'b-1' });
    expect(parseNotice('{"topic":"bookmarks"}')).toEqual({ topic: 'bookmarks' });
    expect(parseNotice('{"topic":"hologram","id":"x"}')).toBeNull();
    expect(parseNotice('not json')).toBeNull();
    expect(parseNotice(undefined)).toBeNull();
  });
});
