/**
 * The single-machine directory: the SQLite stores in the data folder, as before there was a choice.
 * Only this process writes them (the data folder is locked to it), so a change is announced in-process,
 * right after the write; and a check, its read and the write run without a pause, so nothing comes between.
 */
import { join } from 'node:path';
import { BookmarkStore } from '../incidents/bookmark-store.js';
import { MaskVersionStore } from '../masks/mask-versions.js';
import { PeopleStore, type Account } from '../people/people-store.js';
import { DisclosureStore } from '../disclosure/disclosure-store.js';
import { Emitter } from '../emitter.js';
import type { DisclosureRepository } from '../disclosure/disclosure-repository.js';
import { topicListener, type Directory, type DirectoryChange, type DirectoryTopic } from './directory.js';

export function openEmbeddedDirectory(dataDir: string): Directory {
  const store = new BookmarkStore(join(dataDir, 'incidents.sqlite'));
  const masks = new MaskVersionStore(join(dataDir, 'masks.sqlite'));
  const people = new PeopleStore(join(dataDir, 'people.sqlite'));
  const disclosures = new DisclosureStore(join(dataDir, 'disclosures.db'), async (id) => {
    const account = await people.get(id);
    return account && { role: account.person.role, disabled: account.person.disabled };
  });
  const changes = new Emitter<DirectoryChange>();
  const announce = (topic: DirectoryTopic, id: string) => void changes.fire({ topic, id }).catch(() => undefined);
  const announced = (account: Account | null) => {
    if (account) announce('people', account.person.id);
    return account;
  };
  return {
    ready: Promise.resolve(),
    site: null,
    bookmarks: {
      get: async (id) => store.get(id),
      async insert(bookmark) {
        store.insert(bookmark);
        announce('bookmarks', bookmark.id);
      },
      async update(id, changes, now, check) {
        const current = store.get(id);
        if (!current) return null;
        check?.(current);
        const next = store.update(id, changes, now);
        if (next) announce('bookmarks', id);
        return next;
      },
      async delete(id, check) {
        const current = store.get(id);
        if (!current) return;
        check?.(current);
        if (store.delete(id)) announce('bookmarks', id);
      },
      search: async (query) => store.search(query),
      locked: async () => store.locked(),
    },
    people: {
      list: () => people.list(),
      get: (id) => people.get(id),
      signInRecord: (name) => people.signInRecord(name),
      passwordHash: (id) => people.passwordHash(id),
      add: async (input, options) => announced(await people.add(input, options)),
      update: async (id, changes, check) => announced(await people.update(id, changes, check)),
      setPasswordHash: async (id, hash) => announced(await people.setPasswordHash(id, hash)),
    },
    masks: {
      current: async () => masks.current(),
      latest: async (cameraId) => masks.latest(cameraId),
      async add(next) {
        const saved = masks.add(next);
        announce('masks', next.cameraId);
        return saved;
      },
    },
    disclosures: announcing(disclosures, (id) => announce('disclosures', id)),
    onChange: topicListener(changes),
    async close() {
      changes.dispose();
      store.close();
      masks.close();
      people.close();
      disclosures.close();
    },
  };
}

/** The store's writes, each announced once done (the ids of requests whose state moved). */
function announcing(store: DisclosureRepository, announce: (id: string) => void): DisclosureRepository {
  const after = <T>(id: string, write: Promise<T>) => write.then((result) => (announce(id), result));
  return {
    get: (id) => store.get(id),
    list: (now, requesterId) => store.list(now, requesterId),
    approvedToBuild: (node) => store.approvedToBuild(node),
    insert: (request) => after(request.id, store.insert(request)),
    decide: (id, ...rest) => after(id, store.decide(id, ...rest)),
    claimBuild: (id, ...rest) => after(id, store.claimBuild(id, ...rest)),
    ended: (id, outcome) => after(id, store.ended(id, outcome)),
    failInterrupted: (node) => store.failInterrupted(node),
  };
}
