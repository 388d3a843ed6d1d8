/**
 * Accounts, for administrators: add people in a role, change roles, disable (never delete: the
 * ledger names people by account), reset passwords, and the idle-lock time.
 */
import type { Person } from '../../../shared/api.js';
import { WatchroomError } from '../../../shared/errors.js';
import type { Handlers } from '../api/handlers.js';
import { hashPassword } from './password-hash.js';
import { written, type PeopleContext } from './people-context.js';
import { removesLastAdmin, type Account } from './people-store.js';

type AccountHandlers = Pick<Handlers, 'listPeople' | 'addPerson' | 'updatePerson' | 'resetPassword' | 'setIdleLock'>;

export function accountHandlers(p: PeopleContext): AccountHandlers {
  const mustFind = (account: Account | null) => {
    if (!account) throw new WatchroomError('people.not-found', 'There is no such account.');
    return written(p, account)!.person;
  };
  const shown = (x: Person) => ({ displayName: x.displayName, role: x.role, disabled: x.disabled });

  return {
    listPeople: async () => {
      await p.roster.ready;
      return p.roster.list();
    },
    addPerson: async ({ password, ...input }, ctx) => {
      const added = written(p, await p.roster.repository.add({ ...input, passwordHash: await hashPassword(password) }))?.person;
      if (!added) throw new WatchroomError('people.name-taken', `The name ${input.name} is taken (perhaps by a disabled account).`, [{ field: 'name', code: 'people.name-taken', message: 'This name is taken.' }]);
      ctx.record(added.name, { name: added.name, displayName: added.displayName, role: added.role });
      return added;
    },
    updatePerson: async ({ id, changes }, ctx) => {
      let before: Person | undefined;
      // Checked in the write, against the accounts as they are then: two administrators on two workstations cannot each demote the other.
      const after = mustFind(
        await p.roster.repository.update(id, changes, (current, activeAdmins) => {
          before = current;
          if (removesLastAdmin(current, changes, activeAdmins)) throw new WatchroomError('people.last-admin', 'Watchroom needs at least one active administrator: make another one first.');
        }),
      );
      // A disabled account's sessions end (the roster's change ends them here, each workstation's its own).
      ctx.record(after.name, { before: shown(before!), after: shown(after) });
      return after;
    },
    resetPassword: async ({ id, password }, ctx) => {
      const target = mustFind(await p.roster.repository.setPasswordHash(id, await hashPassword(password)));
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
