/**
 * People: accounts, sign-in, sessions and the idle lock. The first start asks for the first
 * administrator (in the UI, or `watchroom-host --create-admin NAME`); administrators then add people
 * in one of the four roles. Failed sign-ins are slowed and entered in the ledger.
 */
import { join } from 'node:path';
import type { Person, SessionInfo } from '../../../shared/api.js';
import { WatchroomError } from '../../../shared/errors.js';
import type { Role } from '../../../shared/roles.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { FeatureModule } from '../feature-module.js';
import { decoyHash, hashPassword, verifyPassword } from './password-hash.js';
import { PeopleStore } from './people-store.js';
import { Sessions } from './sessions.js';
import { SignInThrottle } from './sign-in-throttle.js';

export const DEFAULT_IDLE_LOCK_MINUTES = 15;

export interface PeopleModule extends FeatureModule {
  readonly sessions: Sessions;
  /** For `watchroom-host --create-admin`: the first administrator, made outside any session. */
  createFirstAdmin(input: { name: string; displayName: string; password: string }): Promise<Person>;
}

export function createPeopleModule(deps: {
  dataDir: string;
  ledger: AuditLedger;
  settings: SettingsStore;
  appVersion: string;
  shell: SessionInfo['shell'];
  /** Overrides the saved idle-lock time (tests). */
  idleLockMs?: number;
}): PeopleModule {
  const store = new PeopleStore(join(deps.dataDir, 'people.sqlite'));
  const idleLockMs = () => deps.idleLockMs ?? (Number(deps.settings.get('idleLockMinutes')) || DEFAULT_IDLE_LOCK_MINUTES) * 60_000;
  const sessions = new Sessions(store, idleLockMs);
  const throttle = new SignInThrottle();
  const person = (p: Person) => ({ id: p.id, name: p.name, displayName: p.displayName, role: p.role });

  const sessionInfo = (token: string | null): SessionInfo => {
    const resolved = sessions.resolve(token);
    return { person: resolved?.person ?? null, needsFirstAdmin: store.count() === 0, locked: resolved?.locked ?? false, idleLockMs: idleLockMs(), appVersion: deps.appVersion, shell: deps.shell };
  };
  const addFirst = async (input: { name: string; displayName: string; password: string }) => {
    const added = store.addFirst({ ...input, role: 'admin', passwordHash: await hashPassword(input.password) });
    if (!added) throw new WatchroomError('people.first-admin-exists', 'Watchroom already has an administrator; sign in instead.');
    return added;
  };
  const mustFind = (id: string) => {
    const found = store.byId(id);
    if (!found) throw new WatchroomError('people.not-found', 'There is no such account.');
    return found;
  };
  /** Whether `changes` would leave nobody able to manage accounts. */
  const removesLastAdmin = (before: Person, changes: { role?: Role; disabled?: boolean }) =>
    before.role === 'admin' && !before.disabled && ((changes.role !== undefined && changes.role !== 'admin') || changes.disabled === true) && store.activeAdmins() <= 1;

  return {
    sessions,
    createFirstAdmin: async (input) => {
      const added = await addFirst(input);
      deps.ledger.append('system', 'people.first-admin', added.name, { name: added.name, displayName: added.displayName, via: 'command-line' });
      return added;
    },
    handlers: {
      getSession: async (_arg, ctx) => sessionInfo(ctx.token),
      createFirstAdmin: async (input, ctx) => {
        const added = await addFirst(input);
        const token = sessions.open(added.id);
        ctx.record(added.name, { name: added.name, displayName: added.displayName }, person(added));
        return { token, session: sessionInfo(token) };
      },
      signIn: async ({ name, password }, ctx) => {
        const wait = throttle.waitMs(name);
        if (wait > 0) throw new WatchroomError('auth.slow-down', `Too many failed sign-ins for ${name}. Try again in ${Math.ceil(wait / 1000)} s.`);
        const found = store.byName(name);
        const matches = await verifyPassword(password, found?.passwordHash ?? (await decoyHash()));
        if (!found || !matches || found.person.disabled) {
          const failures = throttle.failed(name);
          const why = !found ? 'unknown-name' : !matches ? 'wrong-password' : 'disabled';
          deps.ledger.append('system', 'auth.sign-in-failed', name, { name, why, failuresInARow: failures });
          throw new WatchroomError('auth.bad-credentials', found?.person.disabled && matches ? 'This account is disabled. Ask an administrator.' : 'That name and password do not match an account.');
        }
        throttle.succeeded(name);
        const token = sessions.open(found.person.id);
        ctx.record(found.person.name, { shell: deps.shell }, person(found.person));
        return { token, session: sessionInfo(token) };
      },
      signOut: async (_arg, ctx) => {
        if (ctx.token) sessions.close(ctx.token);
        ctx.record(ctx.person!.name);
        return null;
      },
      // The dispatcher keeps the session awake on every action; this one only says the person is there.
      reportActivity: async () => null,
      changePassword: async ({ current, next }, ctx) => {
        const me = ctx.person!;
        if (!(await verifyPassword(current, store.passwordHash(me.id) ?? ''))) throw new WatchroomError('auth.bad-credentials', 'Your current password is not right.');
        store.setPasswordHash(me.id, await hashPassword(next));
        sessions.closeAllOf(me.id, ctx.token ?? undefined);
        ctx.record(me.name);
        return null;
      },
      mediaLink: async ({ path }, ctx) => sessions.signMedia(ctx.token!, path) ?? '',
      listPeople: async () => store.list(),
      addPerson: async ({ password, ...input }, ctx) => {
        const added = store.add({ ...input, passwordHash: await hashPassword(password) });
        if (!added) throw new WatchroomError('people.name-taken', `The name ${input.name} is taken (perhaps by a disabled account).`, [{ field: 'name', code: 'people.name-taken', message: 'This name is taken.' }]);
        ctx.record(added.name, { name: added.name, displayName: added.displayName, role: added.role });
        return added;
      },
      updatePerson: async ({ id, changes }, ctx) => {
        const before = mustFind(id);
        if (removesLastAdmin(before, changes)) throw new WatchroomError('people.last-admin', 'Watchroom needs at least one active administrator: make another one first.');
        const after = store.update(id, changes)!;
        if (after.disabled) sessions.closeAllOf(id);
        ctx.record(after.name, { before: { displayName: before.displayName, role: before.role, disabled: before.disabled }, after: { displayName: after.displayName, role: after.role, disabled: after.disabled } });
        return after;
      },
      resetPassword: async ({ id, password }, ctx) => {
        const target = mustFind(id);
        store.setPasswordHash(id, await hashPassword(password));
        sessions.closeAllOf(id);
        ctx.record(target.name);
        return null;
      },
      setIdleLock: async ({ minutes }, ctx) => {
        const before = idleLockMs() / 60_000;
        deps.settings.set('idleLockMinutes', minutes);
        ctx.record('idle-lock', { before, after: minutes });
        return null;
      },
    },
    dispose: () => store.close(),
  };
}
