/**
 * What the timeline draws for each camera of the playback: its recorded ranges (gaps are what lies
 * between) and the bookmarks on it, for the window shown; reloaded when the window moves, every few
 * seconds (recording goes on, even under a window held still), and when bookmarks change.
 */
import { useEffect, useMemo, useState } from 'react';
import type { CameraView, RecordedRange } from '../../../shared/api.js';
import type { Bookmark } from '../../../shared/incidents.js';
import { api, subscribeEvents } from '../api/client';

export interface TimelineTrack {
  camera: CameraView;
  ranges: readonly RecordedRange[];
  bookmarks: readonly Bookmark[];
}

const REFRESH_MS = 10_000;

export function useTimelineTracks(cameras: readonly CameraView[], fromMs: number, toMs: number): TimelineTrack[] {
  const [ranges, setRanges] = useState<ReadonlyMap<string, RecordedRange[]>>(new Map());
  const [bookmarks, setBookmarks] = useState<Bookmark[]>([]);
  const [reload, setReload] = useState(0);
  // The cameras' ids, not the array: a parent's re-render must not refetch.
  const ids = cameras.map((c) => c.id).join(',');

  useEffect(() => {
    const again = () => setReload((n) => n + 1);
    const timer = setInterval(again, REFRESH_MS);
    const off = subscribeEvents((event) => event.type === 'bookmarks.changed' && again());
    return () => (clearInterval(timer), off());
  }, []);

  useEffect(() => {
    let stale = false;
    const cameraIds = ids ? ids.split(',') : [];
    const lists = cameraIds.map((cameraId) => api.listRecordings({ cameraId, fromMs, toMs }).catch(() => [] as RecordedRange[]));
    void Promise.all(lists).then((all) => stale || setRanges(new Map(cameraIds.map((id, i) => [id, all[i]!]))));
    api.listBookmarks({ fromMs, toMs }).then((found) => stale || setBookmarks(found), () => undefined);
    return () => void (stale = true);
  }, [ids, fromMs, toMs, reload]);

  return useMemo(
    () => cameras.map((camera) => ({ camera, ranges: ranges.get(camera.id) ?? [], bookmarks: bookmarks.filter((b) => b.cameraIds.includes(camera.id)) })),
    [cameras, ranges, bookmarks],
  );
}
