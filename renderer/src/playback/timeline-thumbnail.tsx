/**
 * A small picture of a camera at the moment under the pointer, from its recording (the host grabs
 * one frame per 10 s bucket and caches it, so moving along a track asks for a new picture only when
 * the bucket changes). Links are signed per path and reused while they are valid.
 */
import { useEffect, useState } from 'react';
import { mediaUrl } from '../api/client';
import { useViewingId, withViewing } from './viewing';

/** As the host buckets them (recording/timeline-thumbnails.ts). */
const BUCKET_MS = 10_000;
/** Well within a signed link's life (30 min). */
const LINK_REUSE_MS = 10 * 60_000;
const links = new Map<string, { url: Promise<string>; at: number }>();

function signedLink(path: string): Promise<string> {
  const known = links.get(path);
  if (known && Date.now() - known.at < LINK_REUSE_MS) return known.url;
  const url = mediaUrl(path);
  links.set(path, { url, at: Date.now() });
  url.catch(() => links.delete(path));
  return url;
}

export function TimelineThumbnail({ cameraId, atMs }: { cameraId: string; atMs: number }) {
  const viewingId = useViewingId();
  const path = withViewing(`/media/${encodeURIComponent(cameraId)}/thumb.jpg?atMs=${Math.floor(atMs / BUCKET_MS) * BUCKET_MS}`, viewingId);
  const [shown, setShown] = useState<{ path: string; src: string } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let stale = false;
    signedLink(path).then((src) => stale || setShown({ path, src }), () => stale || setFailed(path));
    return () => void (stale = true);
  }, [path]);
  // The previous picture stays until the next one is there, so the picture does not flicker.
  if (!shown || failed === shown.path) return null;
  return <img className="timeline-thumb" data-testid="timeline-thumb" src={shown.src} alt="" onError={() => setFailed(shown.path)} />;
}
