/**
 * Accounts, for administrators: add people in a role, change roles, disable (never delete: the
 * ledger names people by account), reset passwords, and the idle-lock time.
 */
import type { Person } from '../../../shared/api.js';
import { WatchroomError } from '../../../shared/errors.js';
import type { Role } from '../../../shared/roles.js';
import type { Handlers } from '../api/handlers.js';
import { hashPassword } from './password-hash.js';
import type { PeopleContext } from './people-context.js';

type AccountHandlers = Pick<Handlers, 'listPeople' | 'addPerson' | 'updatePerson' | 'resetPassword' | 'setIdleLock'>;

export function accountHandlers(p: PeopleContext): AccountHandlers {
  const mustFind = (id: string) => {
    const found = p.store.byId(id);
    if (!found) throw new WatchroomError('people.not-found', 'There is no such account.');
    return found;
  };
  /** Whether `changes` would leave nobody able to manage accounts. */
  const removesLastAdmin = (before: Person, changes: { role?: Role; disabled?: boolean }) =>
    before.role === 'admin' && !before.disabled && ((changes.role !== undefined && changes.role !== 'admin') || changes.disabled === true) && p.store.activeAdmins() <= 1;
  const shown = (x: Person) => ({ displayName: x.displayName, role: x.role, disabled: x.disabled });

  return {
    listPeople: async () => p.store.list(),
    addPerson: async ({ password, ...input }, ctx) => {
      const added = p.store.add({ ...input, passwordHash: await hashPassword(password) });
      if (!added) throw new WatchroomError('people.name-taken', `The name ${input.name} is taken (perhaps by a disabled account).`, [{ field: 'name', code: 'people.name-taken', message: 'This name is taken.' }]);
      ctx.record(added.name, { name: added.name, displayName: added.displayName, role: added.role });
      return added;
    },
    updatePerson: async ({ id, changes }, ctx) => {
      const before = mustFind(id);
      if (removesLastAdmin(before, changes)) throw new WatchroomError('people.last-admin', 'Watchroom needs at least one active administrator: make another one first.');
      const after = p.store.update(id, changes)!;
      if (after.disabled) p.sessions.closeAllOf(id);
      ctx.record(after.name, { before: shown(before), after: shown(after) });
      return after;
    },
    resetPassword: async ({ id, password }, ctx) => {
      const target = mustFind(id);
      p.store.setPasswordHash(id, await hashPassword(password));
      p.sessions.closeAllOf(id);
      ctx.record(target.name);
      return null;
    },
    setIdleLock: async ({ minutes }, ctx) => {
      const before = p.idleLockMs() / 60_000;
      p.settings.set('idleLockMinutes', minutes);
      ctx.record('idle-lock', { before, after: minutes });
      return null;
    },
  };
}
