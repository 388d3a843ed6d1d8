/** What the people handlers share: the accounts, the sessions, the throttle and the settings they read. */
import type { Person, SessionInfo, SessionPerson } from '../../../shared/api.js';
import { WatchroomError } from '../../../shared/errors.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { hashPassword } from './password-hash.js';
import type { PeopleRoster } from './people-roster.js';
import type { Account } from './people-store.js';
import type { Sessions } from './sessions.js';
import type { SignInThrottle } from './sign-in-throttle.js';

export const DEFAULT_IDLE_LOCK_MINUTES = 15;

export interface PeopleContext {
  /** Every account, in memory, over the directory's repository (where writes go). */
  roster: PeopleRoster;
  sessions: Sessions;
  throttle: SignInThrottle;
  ledger: AuditLedger;
  settings: SettingsStore;
  appVersion: string;
  shell: SessionInfo['shell'];
  idleLockMs(): number;
}

/** The idle time before a session locks: what an administrator set, else the start-up default (`--idle-lock`), else 15 minutes. */
export function idleLockMs(settings: SettingsStore, startDefault?: number): number {
  const saved = Number(settings.get('idleLockMinutes'));
  return saved > 0 ? saved * 60_000 : (startDefault ?? DEFAULT_IDLE_LOCK_MINUTES * 60_000);
}

export const sessionPerson = (p: Person): SessionPerson => ({ id: p.id, name: p.name, displayName: p.displayName, role: p.role });

/** Written accounts, taken into the roster at once: a change applies on this workstation before its notice comes back. */
export function written(ctx: PeopleContext, account: Account | null): Account | null {
  if (account) ctx.roster.take([account]);
  return account;
}

export async function sessionInfo(ctx: PeopleContext, token: string | null): Promise<SessionInfo> {
  await ctx.roster.ready;
  const resolved = ctx.sessions.resolve(token);
  return { person: resolved?.person ?? null, needsFirstAdmin: ctx.roster.count() === 0, locked: resolved?.locked ?? false, idleLockMs: ctx.idleLockMs(), appVersion: ctx.appVersion, shell: ctx.shell };
}

/** The first administrator, only while there is no account at all. */
export async function addFirstAdmin(ctx: PeopleContext, input: { name: string; displayName: string; password: string }): Promise<Account> {
  const added = written(ctx, await ctx.roster.repository.add({ ...input, role: 'admin', passwordHash: await hashPassword(input.password) }, { first: true }));
  if (!added) throw new WatchroomError('people.first-admin-exists', 'Watchroom already has an administrator; sign in instead.');
  return added;
}
