/**
 * Which feed a tile shows. A change of camera or stream keeps the old picture on screen until the new
 * one plays (or, if it cannot, for a few seconds at most), so a tour or a maximise never goes black.
 */
import { useEffect, useState } from 'react';
import { streamKey, type StreamVariant } from '../../../shared/events.js';

export interface Feed {
  cameraId: string;
  stream: StreamVariant;
}
export const feedKey = (f: Feed) => streamKey(f.cameraId, f.stream);

/** How long a picture is kept while the next one cannot play. */
const HOLD_PICTURE_MS = 3_000;

export interface TileFeed {
  /** The feed on screen, or null for an empty tile. */
  shown: Feed | null;
  /** The feed asked for; differs from `shown` while it is loading underneath. */
  wanted: Feed | null;
  switching: boolean;
  /** The wanted feed plays: it takes the screen. */
  playing(feed: Feed): void;
}

export function useTileFeed(wanted: Feed | null): TileFeed {
  /** The feed whose picture is on screen; an empty tile, or one becoming empty, needs no hold. */
  const [onScreen, setOnScreen] = useState<Feed | null>(wanted);
  if ((wanted === null) !== (onScreen === null)) setOnScreen(wanted);
  const shown = wanted === null ? null : (onScreen ?? wanted);
  const switching = shown !== null && wanted !== null && feedKey(shown) !== feedKey(wanted);
  const wantedKey = wanted ? feedKey(wanted) : '';
  useEffect(() => {
    if (!switching) return;
    const timer = setTimeout(() => setOnScreen(wanted), HOLD_PICTURE_MS);
    return () => clearTimeout(timer);
    // Keyed by the wanted feed: a new one restarts the wait.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [switching, wantedKey]);
  return { shown, wanted, switching, playing: (feed) => feed !== shown && setOnScreen(feed) };
}
