/**
 * Every camera's privacy masks, as the signed-in person sees them (with their own lifts), in one
 * store shared by every tile and player: loaded when the first view asks, reloaded when the core says
 * masks changed or the event feed reconnects (a new session may hold other lifts), let go with the
 * last view. It fails closed: until the masks are known a picture is covered whole, and a reconnect
 * drops every lift until the core confirms it, so a lift never outlives the session that holds it.
 */
import { useSyncExternalStore } from 'react';
import type { CameraMasks } from '../../../shared/masks.js';
import { api, subscribeEvents } from '../api/client';

const NONE: ReadonlyMap<string, CameraMasks> = new Map();
/** null: not known yet. */
let masks: ReadonlyMap<string, CameraMasks> | null = null;
const listeners = new Set<() => void>();
let stopFollowing: (() => void) | null = null;

const replace = (next: ReadonlyMap<string, CameraMasks> | null) => {
  masks = next;
  listeners.forEach((listener) => listener());
};

function follow(): () => void {
  let latest = 0;
  const load = () => {
    const ticket = ++latest;
    api.listMasks().then(
      (list) => ticket === latest && replace(new Map(list.map((m) => [m.cameraId, m]))),
      // A failed load keeps the masks already known: better a stale mask than none.
      () => undefined,
    );
  };
  const unsubscribe = subscribeEvents((event) => {
    if (event.type === 'events.connected' && masks) replace(new Map([...masks].map(([id, m]) => [id, { ...m, lift: null }])));
    if (event.type === 'masks.changed' || event.type === 'events.connected') load();
  });
  load();
  return () => {
    latest++;
    unsubscribe();
  };
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  stopFollowing ??= follow();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      stopFollowing?.();
      stopFollowing = null;
      // The next view may be another person's (a sign-out unmounts the wall): start from nothing known.
      masks = null;
    }
  };
}

/** The camera's masks (null: none; undefined: not known yet), kept current. */
export function useCameraMasks(cameraId: string): CameraMasks | null | undefined {
  return useSyncExternalStore(subscribe, () => (masks ? (masks.get(cameraId) ?? null) : undefined));
}

/** Every camera's masks by camera id (empty while not known), kept current. */
export function useAllMasks(): ReadonlyMap<string, CameraMasks> {
  return useSyncExternalStore(subscribe, () => masks ?? NONE);
}
