/**
 * Incident bookmarks as the API offers them. Creating, editing and deleting are audited; so are
 * evidence locks, which keep a bookmark's footage (its window on each of its cameras) out of
 * retention until lifted. A locked bookmark can neither be deleted nor moved to other footage: the
 * lock must be lifted first, on the record, so no edit quietly releases footage to retention.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bookmark, BookmarkInput, BookmarkQuery } from '../../../shared/incidents.js';
import { WatchroomError } from '../../../shared/errors.js';
import { can, type Role } from '../../../shared/roles.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { SegmentIndex } from '../recording/segment-index.js';
import { BookmarkStore } from './bookmark-store.js';
import { grabFrame } from './frame-grab.js';

export interface IncidentDeps {
  dataDir: string;
  recordingsRoot: string;
  index: SegmentIndex;
  ledger: AuditLedger;
  /** Throws camera.not-found for an unknown camera. */
  checkCamera(id: string): void;
  /** Called after every change, so every open view can reload. */
  onChange(): void;
}

const lockReason = (id: string) => `bookmark:${id}`;

/** The fields that say which footage a bookmark covers. */
const FOOTAGE_FIELDS = ['cameraIds', 'atMs', 'beforeMs', 'afterMs'] as const;

export function createIncidentService(deps: IncidentDeps) {
  const store = new BookmarkStore(join(deps.dataDir, 'incidents.sqlite'));
  const thumbs = join(deps.dataDir, 'thumbnails');

  const find = (id: string): Bookmark => {
    const b = store.get(id);
    if (!b) throw new WatchroomError('bookmark.not-found', 'There is no bookmark with that id.');
    return b;
  };
  const placeLock = (b: Bookmark) => {
    for (const cameraId of b.cameraIds) deps.index.addLock(cameraId, { startMs: b.atMs - b.beforeMs, endMs: b.atMs + b.afterMs }, lockReason(b.id));
  };
  const summary = (b: Bookmark) => ({ title: b.title, caseReference: b.caseReference, cameras: b.cameraIds, fromMs: b.atMs - b.beforeMs, toMs: b.atMs + b.afterMs });

  return {
    /** A JPEG of the bookmarked moment on its first camera, made once from the recording; null if none. */
    async thumbnail(id: string): Promise<string | null> {
      const b = find(id);
      const file = join(thumbs, `${b.id}-${b.atMs}.jpg`);
      if (existsSync(file)) return file;
      const seg = deps.index.segments(b.cameraIds[0]!, b.atMs, b.atMs + 1).find((s) => s.startMs <= b.atMs && s.endMs > b.atMs);
      if (!seg) return null;
      mkdirSync(thumbs, { recursive: true });
      return (await grabFrame(join(deps.recordingsRoot, seg.path), (b.atMs - seg.startMs) / 1000, file)) ? file : null;
    },
    close: () => store.close(),
    api(actor: string, role: Role) {
      return {
        async createBookmark(input: BookmarkInput): Promise<Bookmark> {
          input.cameraIds.forEach(deps.checkCamera);
          const now = Date.now();
          const b: Bookmark = { ...input, id: randomUUID(), createdBy: actor, createdAt: now, updatedAt: now, locked: false };
          store.insert(b);
          deps.ledger.append(actor, 'bookmark.create', b.id, summary(b));
          deps.onChange();
          return b;
        },
        async updateBookmark({ id, changes }: { id: string; changes: Partial<BookmarkInput> }): Promise<Bookmark> {
          const before = find(id);
          changes.cameraIds?.forEach(deps.checkCamera);
          const moved = FOOTAGE_FIELDS.filter((f) => changes[f] !== undefined && JSON.stringify(changes[f]) !== JSON.stringify(before[f]));
          if (before.locked && moved.length > 0) {
            throw new WatchroomError('bookmark.locked', 'This bookmark holds an evidence lock, so the footage it covers cannot change. Lift the lock first; that is recorded.');
          }
          const after = store.update(id, changes, Date.now())!;
          deps.ledger.append(actor, 'bookmark.update', id, { before: summary(before), after: summary(after) });
          deps.onChange();
          return after;
        },
        async deleteBookmark({ id }: { id: string }): Promise<void> {
          const b = find(id);
          if (b.locked) throw new WatchroomError('bookmark.locked', 'This bookmark holds an evidence lock. Lift the lock first; that is recorded.');
          store.delete(id);
          deps.ledger.append(actor, 'bookmark.delete', id, summary(b));
          deps.onChange();
        },
        async listBookmarks(query: BookmarkQuery): Promise<Bookmark[]> {
          return store.search(query);
        },
        async setBookmarkLock({ id, locked, reason }: { id: string; locked: boolean; reason: string }): Promise<Bookmark> {
          if (!can(role, 'lock')) throw new WatchroomError('auth.forbidden', `The ${role} role cannot place or lift evidence locks.`);
          const b = find(id);
          if (b.locked === locked) return b;
          deps.index.removeLocks(lockReason(id));
          const after = store.update(id, { locked }, Date.now())!;
          if (locked) placeLock(after);
          deps.ledger.append(actor, locked ? 'evidence.lock' : 'evidence.unlock', id, { ...summary(after), reason });
          deps.onChange();
          return after;
        },
      };
    },
  };
}
