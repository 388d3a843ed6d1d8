/** Incident bookmarks on real recordings: search, thumbnails from the footage, evidence locks against retention. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookmarkInput } from '../../shared/incidents.js';
import { applyRetention } from '../../electron/core/recording/retention.js';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';

let h: TestHost;
let cameraId: string;

const ledger = () => readFileSync(join(h.dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; actor: string; subject: string; details?: Record<string, unknown> });

beforeAll(async () => {
  h = await startTestHost({ segmentSeconds: 2 });
  await h.core.ready;
  const cam = await startTestCamera({ codec: 'h264', label: 'Incidents' });
  cameraId = (await h.api.addCamera({ name: 'Stairwell B', url: cam.url })).id;
  await waitFor('10 s of recording', () => h.core.recordings.index.segments(cameraId, 0, Date.now() + 60_000).length >= 5, 40_000);
}, 60_000);

afterAll(async () => {
  await h?.close();
  await stopAllTestCameras();
});

describe('incident bookmarks', () => {
  const segments = () => h.core.recordings.index.segments(cameraId, 0, Date.now() + 60_000);
  const input = (over: Partial<BookmarkInput> = {}): BookmarkInput => ({
    cameraIds: [cameraId], atMs: segments()[2]!.startMs + 500, beforeMs: 1_000, afterMs: 1_000,
    title: 'Fight on the stairs', notes: 'Two men, one in a red jacket.', tags: ['assault', 'stairwell'], caseReference: 'CASE-77', ...over,
  });

  it('creates, edits and finds bookmarks by text, tag, camera and date range, and tells every view', async () => {
    const events: string[] = [];
    const off = h.core.onEvent((e) => events.push(e.type));
    const a = await h.api.createBookmark(input());
    const b = await h.api.createBookmark(input({ title: 'Bike theft', notes: '', tags: ['theft'], caseReference: '', atMs: a.atMs + 3_000 }));
    expect(a).toMatchObject({ createdBy: 'tester', locked: false, tags: ['assault', 'stairwell'] });
    const edited = await h.api.updateBookmark({ id: b.id, changes: { notes: 'Blue bike, bolt cutters', tags: ['theft', 'bike'] } });
    expect(edited).toMatchObject({ title: 'Bike theft', notes: 'Blue bike, bolt cutters', tags: ['theft', 'bike'] });
    const titles = async (q: Parameters<typeof h.api.listBookmarks>[0]) => (await h.api.listBookmarks(q)).map((x) => x.title);
    expect(await titles({})).toEqual(['Bike theft', 'Fight on the stairs']); // newest moment first
    expect(await titles({ text: 'red jacket' })).toEqual(['Fight on the stairs']);
    expect(await titles({ text: 'bolt' })).toEqual(['Bike theft']);
    expect(await titles({ text: 'case-77' })).toEqual(['Fight on the stairs']);
    expect(await titles({ text: '100%_' })).toEqual([]);
    expect(await titles({ tag: 'BIKE' })).toEqual(['Bike theft']);
    expect(await titles({ cameraId })).toHaveLength(2);
    expect(await titles({ fromMs: a.atMs + 1, toMs: a.atMs + 10_000 })).toEqual(['Bike theft']);
    expect(ledger().filter((e) => e.action.startsWith('bookmark.')).map((e) => e.action)).toEqual(['bookmark.create', 'bookmark.create', 'bookmark.update']);
    off();
    expect(events.filter((t) => t === 'bookmarks.changed')).toHaveLength(3);
  });

  it('serves a thumbnail taken from the footage at the bookmarked moment', async () => {
    const [bookmark] = await h.api.listBookmarks({ tag: 'assault' });
    const res = await fetch(`${h.baseUrl}${await h.api.mediaLink({ path: `/media/bookmarks/${bookmark!.id}/thumb.jpg` })}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const file = join(h.dataDir, 'thumb-check.jpg');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const width = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim();
    expect(width).toBe('320');
    expect((await fetch(`${h.baseUrl}/media/bookmarks/${bookmark!.id}/thumb.jpg`)).status).toBe(401); // no signed link, no picture
  });

  it('an evidence lock keeps the bookmarked footage through retention until lifted, on the record', async () => {
    const [bookmark] = await h.api.listBookmarks({ tag: 'assault' });
    const operator = (await h.as('olive', 'operator')).api;
    await expect(operator.setBookmarkLock({ id: bookmark!.id, locked: true, reason: 'court' })).rejects.toMatchObject({ code: 'auth.forbidden' });
    await h.api.setBookmarkLock({ id: bookmark!.id, locked: true, reason: 'Requested by CPS' });
    await expect(h.api.deleteBookmark({ id: bookmark!.id })).rejects.toMatchObject({ code: 'bookmark.locked' });
    // No edit quietly moves locked footage back into retention's reach; words may still change.
    await expect(h.api.updateBookmark({ id: bookmark!.id, changes: { afterMs: 0 } })).rejects.toMatchObject({ code: 'bookmark.locked' });
    await expect(h.api.updateBookmark({ id: bookmark!.id, changes: { atMs: bookmark!.atMs + 60_000 } })).rejects.toMatchObject({ code: 'bookmark.locked' });
    expect(await h.api.updateBookmark({ id: bookmark!.id, changes: { notes: 'CPS ref 44/1', afterMs: bookmark!.afterMs } })).toMatchObject({ notes: 'CPS ref 44/1', locked: true });

    const window = { startMs: bookmark!.atMs - bookmark!.beforeMs, endMs: bookmark!.atMs + bookmark!.afterMs };
    const inWindow = segments().filter((s) => s.startMs < window.endMs && s.endMs > window.startMs).map((s) => s.path);
    expect(inWindow.length).toBeGreaterThan(0);
    // Retention a day after the newest footage with a one-day limit: everything older than that
    // footage is "old" (retention never ages footage from a clock further ahead than that), and only
    // the locked footage stays. The camera records on meanwhile; what it adds is newer.
    const newest = h.core.recordings.index.newestEnd()!;
    const aDayOn = { now: newest + 86_400_000, policy: { maxAgeDays: 1, maxTotalBytes: 1e12, maxBytesPerCamera: null } };
    await applyRetention(h.core.recordings.index, h.core.recordings.root, aDayOn.policy, aDayOn.now, () => undefined);
    expect(segments().filter((s) => s.endMs < newest).map((s) => s.path)).toEqual(inWindow);

    await h.api.setBookmarkLock({ id: bookmark!.id, locked: false, reason: 'Case closed' });
    await applyRetention(h.core.recordings.index, h.core.recordings.root, aDayOn.policy, aDayOn.now, () => undefined);
    expect(segments().filter((s) => inWindow.includes(s.path))).toEqual([]);
    await h.api.deleteBookmark({ id: bookmark!.id });
    const locks = ledger().filter((e) => e.action === 'evidence.lock');
    expect(locks.map((e) => [e.actor, e.details?.locked, e.details?.reason])).toEqual([['tester', true, 'Requested by CPS'], ['tester', false, 'Case closed']]);
    expect(ledger().some((e) => e.action === 'bookmark.delete' && e.subject === bookmark!.id)).toBe(true);
  });
});
