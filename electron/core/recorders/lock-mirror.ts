/**
 * A site's evidence locks reach the footage they protect. A bookmark is locked on a workstation, in
 * the directory; its footage is on the recorders, whose retention reads only their own segment
 * index. So each recorder holds a copy of every bookmark lock in its index: reloaded whole when the
 * directory announces a bookmark change (after a reconnect too) and again before each retention
 * pass, so retention deletes nothing a lock placed a moment ago covers. The directory out of reach
 * leaves the copy as it was: a recorder keeps locked footage rather than guess.
 */
import type { Bookmark } from '../../../shared/incidents.js';
import type { BookmarkRepository, Directory } from '../directory/directory.js';
import { BOOKMARK_LOCK_PREFIX, bookmarkLocks } from '../incidents/incident-service.js';
import type { Logger } from '../logger.js';
import type { SegmentIndex } from '../recording/segment-index.js';

export type LockIndex = Pick<SegmentIndex, 'replaceLocks'>;

const ms = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);

/**
 * A locked bookmark whose cameras and span can be locked. Anyone who can write the directory can
 * leave a row that is none, and one such row must not keep every later lock from the recorders.
 */
function wellFormed(b: Bookmark): boolean {
  const cameras = Array.isArray(b.cameraIds) && b.cameraIds.length > 0 && b.cameraIds.every((c) => typeof c === 'string' && c.length > 0);
  return cameras && ms(b.atMs) && ms(b.beforeMs) && ms(b.afterMs) && b.beforeMs >= 0 && b.afterMs >= 0;
}

export function bookmarkLockMirror(deps: { bookmarks: Pick<BookmarkRepository, 'locked'>; onChange: Directory['onChange']; index: LockIndex; logger: Logger }) {
  // Reads run one after another, so the copy is always the latest read; an ask joins a read that has
  // not started yet (it will see everything up to now) and otherwise queues one after the running one.
  let tail = Promise.resolve();
  let waiting = false;
  const refresh = (): Promise<void> => {
    if (waiting) return tail;
    waiting = true;
    tail = tail
      .then(async () => {
        waiting = false;
        const locked = await deps.bookmarks.locked();
        const malformed = locked.filter((b) => !wellFormed(b));
        if (malformed.length) deps.logger.log('warn', 'site: locked bookmarks in the directory that are no bookmarks are left out', { ids: malformed.map((b) => String(b.id)).slice(0, 20) });
        deps.index.replaceLocks(BOOKMARK_LOCK_PREFIX, locked.filter(wellFormed).flatMap(bookmarkLocks));
      })
      .catch((error: Error) => deps.logger.log('warn', 'site: cannot read the evidence locks; the last ones read still hold', { error: error.message }));
    return tail;
  };
  const stop = deps.onChange('bookmarks', () => void refresh());
  void refresh();
  return { refresh, dispose: stop };
}
