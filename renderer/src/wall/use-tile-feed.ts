/**
 * Which feed a tile shows. A change of camera or stream keeps the old picture on screen until the new
 * one plays, so a tour or a maximise never goes black. Another camera is waited for a few seconds at
 * most: past that, the tile owns up to what it was asked to show. The same camera's other stream
 * (sub ↔ main on a maximise) is waited for until it plays or fails, however busy the machine: the
 * picture meanwhile is still that camera's, live.
 */
import { useEffect, useState } from 'react';
import { streamKey, type StreamState, type StreamVariant } from '../../../shared/events.js';
import { useStreamStatus } from './stream-status-store';

export interface Feed {
  cameraId: string;
  stream: StreamVariant;
}
export const feedKey = (f: Feed) => streamKey(f.cameraId, f.stream);

/** How long another camera's picture is kept while the next one cannot play. */
const HOLD_PICTURE_MS = 3_000;
/** States in which a stream will not play without someone fixing something. */
const FAILED: ReadonlySet<StreamState> = new Set(['unauthorized', 'unreachable', 'unsupported']);

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
  const sameCamera = switching && shown.cameraId === wanted.cameraId;
  const wantedState = useStreamStatus(switching ? wanted.cameraId : undefined, wanted?.stream)?.state;
  const wantedFailed = wantedState !== undefined && FAILED.has(wantedState);
  useEffect(() => {
    if (!switching || (sameCamera && !wantedFailed)) return;
    const timer = setTimeout(() => setOnScreen(wanted), sameCamera ? 0 : HOLD_PICTURE_MS);
    return () => clearTimeout(timer);
    // Keyed by the wanted feed: a new one restarts the wait.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [switching, wantedKey, sameCamera, wantedFailed]);
  return { shown, wanted, switching, playing: (feed) => feed !== shown && setOnScreen(feed) };
}
