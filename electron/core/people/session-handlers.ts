/** Signing in and out, the first administrator, one's own password, and media links for a session. */
import { createHash } from 'node:crypto';
import { WatchroomError } from '../../../shared/errors.js';
import type { Handlers } from '../api/handlers.js';
import { decoyHash, hashPassword, verifyPassword } from './password-hash.js';
import { addFirstAdmin, sessionInfo, sessionPerson, written, type PeopleContext } from './people-context.js';

type SessionHandlers = Pick<Handlers, 'getSession' | 'createFirstAdmin' | 'signIn' | 'signOut' | 'lockSession' | 'reportActivity' | 'changePassword' | 'mediaLink'>;

export function sessionHandlers(p: PeopleContext): SessionHandlers {
  return {
    getSession: async (_arg, ctx) => sessionInfo(p, ctx.token),
    createFirstAdmin: async (input, ctx) => {
      const added = await addFirstAdmin(p, input);
      const token = p.sessions.open(added);
      const { name, displayName } = added.person;
      ctx.record(name, { name, displayName }, sessionPerson(added.person));
      return { token, session: await sessionInfo(p, token) };
    },
    signIn: async ({ name, password }, ctx) => {
      const wait = p.throttle.waitMs(name);
      if (wait > 0) throw new WatchroomError('auth.slow-down', `Too many failed sign-ins for ${name}. Try again in ${Math.ceil(wait / 1000)} s.`);
      // Read from the directory, not the roster: a password changed on another workstation a moment ago counts.
      const record = await p.roster.repository.signInRecord(name);
      written(p, record?.account ?? null);
      const found = record && { ...record, person: record.account.person };
      // An unknown name costs the same hashing as a known one: timing tells no names apart.
      const matches = await verifyPassword(password, found?.passwordHash ?? (await decoyHash()));
      if (!found || !matches || found.person.disabled) {
        const failures = p.throttle.failed(name);
        const why = !found ? 'unknown-name' : !matches ? 'wrong-password' : 'disabled';
        // Whoever tried is not known: the entry is Watchroom's. A name that is no account is kept only as
        // a hash (repeats still match): it may be a password typed into the wrong field.
        const typed = found ? { name } : { nameSha256: createHash('sha256').update(name).digest('hex').slice(0, 16) };
        p.ledger.append('system', 'auth.sign-in-failed', found ? name : 'unknown name', { ...typed, why, failuresInARow: failures });
        throw new WatchroomError('auth.bad-credentials', found?.person.disabled && matches ? 'This account is disabled. Ask an administrator.' : 'That name and password do not match an account.');
      }
      p.throttle.succeeded(name);
      const token = p.sessions.open(found.account);
      // A sign-in at the lock screen (or by a colleague taking over) replaces the caller's session:
      // the old token, locked or not, is worth nothing after it.
      const replaced = ctx.token !== null;
      if (ctx.token) p.sessions.close(ctx.token);
      ctx.record(found.person.name, { shell: p.shell, ...(replaced ? { replacedSessionOf: ctx.person?.name } : {}) }, sessionPerson(found.person));
      return { token, session: await sessionInfo(p, token) };
    },
    signOut: async (_arg, ctx) => {
      if (ctx.token) p.sessions.close(ctx.token);
      ctx.record(ctx.person!.name);
      return null;
    },
    lockSession: async ({ why }, ctx) => {
      if (ctx.token) p.sessions.lock(ctx.token);
      ctx.record(ctx.person!.name, { why });
      return null;
    },
    // The dispatcher keeps the session awake on every action; this one only says the person is there.
    reportActivity: async () => null,
    changePassword: async ({ current, next }, ctx) => {
      const me = ctx.person!;
      if (!(await verifyPassword(current, (await p.roster.repository.passwordHash(me.id)) ?? ''))) throw new WatchroomError('auth.bad-credentials', 'Your current password is not right.');
      const hash = await hashPassword(next);
      // Their other sessions end, on every workstation (the roster's change ends those here); this one goes on.
      written(p, await p.sessions.keepAcross(ctx.token!, () => p.roster.repository.setPasswordHash(me.id, hash)));
      ctx.record(me.name);
      return null;
    },
    mediaLink: async ({ path }, ctx) => p.sessions.signMedia(ctx.token!, path) ?? '',
  };
}
