/**
 * This process's copy of every account, so that resolving a session on each call and each media
 * request reads memory, not the directory. It is kept current three ways: loaded at start, told of
 * this process's own writes as they return, and reloaded when the directory announces a change made
 * by any process (people are few: the whole table, coalesced). A copy never replaces a newer one
 * (`revision`), so a reload that began before a write cannot undo it.
 */
import type { Person } from '../../../shared/api.js';
import { coalesced } from '../coalesced.js';
import type { Directory } from '../directory/directory.js';
import { Emitter } from '../emitter.js';
import type { Logger } from '../logger.js';
import type { Account, PeopleRepository } from './people-store.js';

export class PeopleRoster {
  /** Settles once the accounts are loaded; rejects with the directory's reason when they cannot be. */
  readonly ready: Promise<void>;
  private readonly accounts = new Map<string, Account>();
  private readonly changes = new Emitter<void>();
  /** Fires after any account changed here or elsewhere (sessions end those no longer valid). */
  readonly onDidChange = this.changes.event;
  private readonly reload: () => Promise<void>;
  private readonly stopListening: () => void;

  constructor(
    readonly repository: PeopleRepository,
    directory: Pick<Directory, 'onChange'>,
    logger: Logger,
  ) {
    this.reload = coalesced(async () => this.take(await repository.list()));
    this.ready = this.reload();
    this.ready.catch(() => undefined); // reported to whoever awaits it
    this.stopListening = directory.onChange('people', () =>
      void this.reload().catch((error: Error) => logger.log('warn', 'people: cannot reload the accounts', { error: error.message })),
    );
  }

  get(id: string): Account | null {
    return this.accounts.get(id) ?? null;
  }

  person(id: string): Person | null {
    return this.get(id)?.person ?? null;
  }

  list(): Person[] {
    return [...this.accounts.values()].map((a) => a.person).sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : 1));
  }

  count(): number {
    return this.accounts.size;
  }

  /** Takes accounts just read or written, keeping whichever copy of each is newer. */
  take(accounts: Account[]): void {
    for (const account of accounts) {
      const held = this.accounts.get(account.person.id);
      if (!held || held.revision < account.revision) this.accounts.set(account.person.id, account);
    }
    void this.changes.fire().catch(() => undefined);
  }

  dispose(): void {
    this.stopListening();
    this.changes.dispose();
  }
}
