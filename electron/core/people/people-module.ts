/**
 * People: accounts, sign-in, sessions and the idle lock. The first start asks for the first
 * administrator (in the UI, or `watchroom-host --create-admin NAME`); administrators then add people
 * in one of the four roles. Failed sign-ins are slowed and entered in the ledger.
 */
import { join } from 'node:path';
import type { Person, SessionInfo } from '../../../shared/api.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { FeatureModule } from '../feature-module.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { accountHandlers } from './account-handlers.js';
import { addFirstAdmin, idleLockMs, type PeopleContext } from './people-context.js';
import { PeopleStore } from './people-store.js';
import { sessionHandlers } from './session-handlers.js';
import { Sessions } from './sessions.js';
import { SignInThrottle } from './sign-in-throttle.js';

export interface PeopleModule extends FeatureModule {
  readonly sessions: Sessions;
  /** For `watchroom-host --create-admin`: the first administrator, made outside any session. */
  createFirstAdmin(input: { name: string; displayName: string; password: string }): Promise<Person>;
  /** An account as it is now (four-eyes disclosure asks whether a requester may still export). */
  person(id: string): Person | null;
}

export function createPeopleModule(deps: {
  dataDir: string;
  ledger: AuditLedger;
  settings: SettingsStore;
  appVersion: string;
  shell: SessionInfo['shell'];
  /** The idle-lock time until an administrator sets one (`--idle-lock`; tests). */
  idleLockMs?: number;
}): PeopleModule {
  const store = new PeopleStore(join(deps.dataDir, 'people.sqlite'));
  const lockAfter = () => idleLockMs(deps.settings, deps.idleLockMs);
  const sessions = new Sessions(store, lockAfter);
  const ctx: PeopleContext = { store, sessions, throttle: new SignInThrottle(), ledger: deps.ledger, settings: deps.settings, appVersion: deps.appVersion, shell: deps.shell, idleLockMs: lockAfter };
  return {
    sessions,
    async createFirstAdmin(input) {
      const added = await addFirstAdmin(ctx, input);
      deps.ledger.append('system', 'people.first-admin', added.name, { name: added.name, displayName: added.displayName, via: 'command-line' });
      return added;
    },
    person: (id) => store.byId(id),
    handlers: { ...sessionHandlers(ctx), ...accountHandlers(ctx) },
    dispose: () => store.close(),
  };
}
