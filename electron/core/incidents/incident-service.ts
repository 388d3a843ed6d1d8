/**
 * Incident bookmarks as the API offers them. Creating, editing and deleting are audited; so are
 * evidence locks, which keep a bookmark's footage (its window on each of its cameras) out of
 * retention until lifted. A locked bookmark can neither be deleted nor moved to other footage: the
 * lock must be lifted first, on the record, so no edit quietly releases footage to retention.
 * Bookmarks live in the directory (embedded or shared by the site), which tells every view of a change.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionPerson } from '../../../shared/api.js';
import type { Bookmark } from '../../../shared/incidents.js';
import { WatchroomError } from '../../../shared/errors.js';
import type { Handlers } from '../api/handlers.js';
import type { BookmarkRepository } from '../directory/directory.js';
import type { FeatureModule, MediaRoute } from '../feature-module.js';
import { sendFile, sendText } from '../http-reply.js';
import type { Logger } from '../logger.js';
import type { SegmentIndex } from '../recording/segment-index.js';
import { grabFrame } from '../recording/frame-grab.js';
import type { LookingBack } from '../recording/looking-back.js';
import type { MaskFor } from '../recording/timeline-thumbnails.js';
import type { MomentFootage } from '../recording/moment-footage.js';

export interface IncidentDeps {
  /** Where thumbnails are kept. */
  dataDir: string;
  /** The directory's bookmarks. */
  bookmarks: BookmarkRepository;
  /** Evidence locks are placed in this process's segment index. */
  index: SegmentIndex;
  /** Where a bookmark's picture is taken from: this machine's recordings, or a site's recorders'. */
  footage: MomentFootage;
  logger: Logger;
  /** Throws camera.not-found for an unknown camera. */
  checkCamera(id: string): void;
  /** The privacy masks a picture of the camera must carry for this person. */
  maskFor: MaskFor;
  /** A bookmark's picture is shown without asking, so marking a moment past instant replay needs the person's playback session. */
  lookingBack: Pick<LookingBack, 'requireWatchable'>;
}

/** Every bookmark lock's reason starts so (a site's recorder replaces them all at once). */
export const BOOKMARK_LOCK_PREFIX = 'bookmark:';
const lockReason = (id: string) => `${BOOKMARK_LOCK_PREFIX}${id}`;
const notFound = () => new WatchroomError('bookmark.not-found', 'There is no bookmark with that id.');

/** The fields that say which footage a bookmark covers. */
const FOOTAGE_FIELDS = ['cameraIds', 'atMs', 'beforeMs', 'afterMs'] as const;

/** What the handlers and the thumbnail route share. */
interface Bookmarks {
  deps: IncidentDeps;
  store: BookmarkRepository;
  /** The bookmark, or bookmark.not-found. */
  find(id: string): Promise<Bookmark>;
}

export function createIncidentService(deps: IncidentDeps): FeatureModule {
  const store = deps.bookmarks;
  const find = async (id: string): Promise<Bookmark> => {
    const b = await store.get(id);
    if (!b) throw notFound();
    return b;
  };
  const bookmarks: Bookmarks = { deps, store, find };
  return {
    mediaRoutes: [thumbnailRoute(bookmarks)] satisfies MediaRoute[],
    handlers: bookmarkHandlers(bookmarks),
  };
}

/** A bookmark's evidence lock: its window on each of its cameras, kept out of retention. */
export const bookmarkLocks = (b: Bookmark) => b.cameraIds.map((cameraId) => ({ cameraId, range: { startMs: b.atMs - b.beforeMs, endMs: b.atMs + b.afterMs }, reason: lockReason(b.id) }));

function placeLock(index: SegmentIndex, b: Bookmark): void {
  for (const l of bookmarkLocks(b)) index.addLock(l.cameraId, l.range, l.reason);
}

const summary = (b: Bookmark) => ({ title: b.title, caseReference: b.caseReference, cameras: b.cameraIds, fromMs: b.atMs - b.beforeMs, toMs: b.atMs + b.afterMs });

/** /media/bookmarks/<id>/thumb.jpg */
function thumbnailRoute({ deps, find }: Bookmarks): MediaRoute {
  const thumbs = join(deps.dataDir, 'thumbnails');
  /** A JPEG of the bookmarked moment on its first camera, made once from the recording; null if none. */
  const thumbnail = async (id: string, person: SessionPerson): Promise<string | null> => {
    const b = await find(id);
    const cameraId = b.cameraIds[0]!;
    const masks = await deps.maskFor(cameraId, person);
    // Named by camera and moment: a bookmark moved to another camera never shows the first one's picture (a lifter's, unmasked).
    const file = join(thumbs, `${b.id}-${cameraId}-${b.atMs}${masks ? `.m${masks.version}` : ''}.jpg`);
    if (existsSync(file)) return file;
    const seg = (await deps.footage.segments(cameraId, b.atMs, b.atMs + 1)).find((s) => s.startMs <= b.atMs && s.endMs > b.atMs);
    const source = await seg?.open();
    if (!seg || !source) return null;
    mkdirSync(thumbs, { recursive: true });
    try {
      return (await grabFrame(source.path, (b.atMs - seg.startMs) / 1000, file, { masks: masks?.polygons ?? [] })) === true ? file : null;
    } finally {
      source.release();
    }
  };
  return {
    pattern: /^\/media\/bookmarks\/([0-9a-f-]{36})\/thumb\.jpg$/,
    async serve({ res, person }, match) {
      let file: string | null;
      try {
        file = await thumbnail(match[1]!, person);
      } catch {
        return sendText(res, 404, 'No such bookmark.');
      }
      if (!file) return sendText(res, 404, 'Nothing was recorded at that moment.');
      sendFile(res, file, deps.logger, { 'Content-Type': 'image/jpeg', 'Cache-Control': 'private, max-age=86400' });
    },
  };
}

/** An updated bookmark; gone meanwhile (deleted from another workstation): bookmark.not-found. */
async function found(update: Promise<Bookmark | null>): Promise<Bookmark> {
  const b = await update;
  if (!b) throw notFound();
  return b;
}

function bookmarkHandlers({ deps, store, find }: Bookmarks) {
  return {
    createBookmark: async (input, ctx) => {
      input.cameraIds.forEach(deps.checkCamera);
      if (ctx.person) deps.lookingBack.requireWatchable(ctx.person, input.atMs);
      const now = Date.now();
      const b: Bookmark = { ...input, id: randomUUID(), createdBy: ctx.person?.name ?? 'system', createdAt: now, updatedAt: now, locked: false };
      await store.insert(b);
      ctx.record(b.id, summary(b));
      return b;
    },
    updateBookmark: async ({ id, changes }, ctx) => {
      const before = await find(id);
      changes.cameraIds?.forEach(deps.checkCamera);
      const moved = (b: Bookmark) => FOOTAGE_FIELDS.filter((f) => changes[f] !== undefined && JSON.stringify(changes[f]) !== JSON.stringify(b[f]));
      const keepsLockedFootage = (current: Bookmark) => {
        if (current.locked && moved(current).length > 0) {
          throw new WatchroomError('bookmark.locked', 'This bookmark holds an evidence lock, so the footage it covers cannot change. Lift the lock first; that is recorded.');
        }
      };
      keepsLockedFootage(before);
      if (ctx.person && (moved(before).includes('atMs') || moved(before).includes('cameraIds'))) deps.lookingBack.requireWatchable(ctx.person, changes.atMs ?? before.atMs);
      // Checked again as it is written: another workstation may have locked it meanwhile.
      const after = await found(store.update(id, changes, Date.now(), keepsLockedFootage));
      ctx.record(id, { before: summary(before), after: summary(after) });
      return after;
    },
    deleteBookmark: async ({ id }, ctx) => {
      const b = await find(id);
      await store.delete(id, (current) => {
        if (current.locked) throw new WatchroomError('bookmark.locked', 'This bookmark holds an evidence lock. Lift the lock first; that is recorded.');
      });
      ctx.record(id, summary(b));
      return null;
    },
    listBookmarks: async (query) => store.search(query),
    setBookmarkLock: async ({ id, locked, reason }, ctx) => {
      const b = await find(id);
      ctx.record(id, { ...summary(b), locked, reason, changed: b.locked !== locked });
      if (b.locked === locked) return b;
      deps.index.removeLocks(lockReason(id));
      const after = await found(store.update(id, { locked }, Date.now()));
      if (locked) placeLock(deps.index, after);
      return after;
    },
  } satisfies Partial<Handlers>;
}
