/**
 * People: accounts, sign-in, sessions and the idle lock. The first start asks for the first
 * administrator (in the UI, or `watchroom-host --create-admin NAME`); administrators then add people
 * in one of the four roles. Failed sign-ins are slowed and entered in the ledger.
 */
import type { Person, SessionInfo } from '../../../shared/api.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { Directory } from '../directory/directory.js';
import type { Logger } from '../logger.js';
import type { FeatureModule } from '../feature-module.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { accountHandlers } from './account-handlers.js';
import { addFirstAdmin, idleLockMs, type PeopleContext } from './people-context.js';
import { PeopleRoster } from './people-roster.js';
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
  /** Where the accounts are: the data folder's people.sqlite, or the site's directory. */
  directory: Pick<Directory, 'people' | 'onChange'>;
  logger: Logger;
  ledger: AuditLedger;
  settings: SettingsStore;
  appVersion: string;
  shell: SessionInfo['shell'];
  /** The idle-lock time until an administrator sets one (`--idle-lock`; tests). */
  idleLockMs?: number;
}): PeopleModule {
  const roster = new PeopleRoster(deps.directory.people, deps.directory, deps.logger);
  const lockAfter = () => idleLockMs(deps.settings, deps.idleLockMs);
  const sessions = new Sessions((id) => roster.get(id), lockAfter);
  // An account changed here or on another workstation: the sessions it no longer holds end (their sockets close).
  roster.onDidChange(() => sessions.endInvalid());
  const ctx: PeopleContext = { roster, sessions, throttle: new SignInThrottle(), ledger: deps.ledger, settings: deps.settings, appVersion: deps.appVersion, shell: deps.shell, idleLockMs: lockAfter };
  return {
    sessions,
    async createFirstAdmin(input) {
      const { person } = await addFirstAdmin(ctx, input);
      deps.ledger.append('system', 'people.first-admin', person.name, { name: person.name, displayName: person.displayName, via: 'command-line' });
      return person;
    },
    person: (id) => roster.person(id),
    handlers: { ...sessionHandlers(ctx), ...accountHandlers(ctx) },
    dispose: () => roster.dispose(),
  };
}
