/**
 * The playback session recorded media is fetched under (looking back past instant replay needs one):
 * given by the look-back gate around the playback panel, absent on the live wall's instant replay.
 */
import { createContext, useContext } from 'react';

export const ViewingContext = createContext<string | null>(null);

/** `path` with the playback session named, when there is one. */
export function withViewing(path: string, viewingId: string | null): string {
  return viewingId ? `${path}${path.includes('?') ? '&' : '?'}viewing=${viewingId}` : path;
}

export const useViewingId = () => useContext(ViewingContext);
