/**
 * Every camera's privacy masks, as the signed-in person sees them (with their own lifts), in one
 * store shared by every tile and player: loaded when the first view asks, reloaded when the core says
 * masks changed or the event feed reconnects (a new session may hold other lifts), let go with the last view.
 */
import { useSyncExternalStore } from 'react';
import type { CameraMasks } from '../../../shared/masks.js';
import { api, subscribeEvents } from '../api/client';

let masks: ReadonlyMap<string, CameraMasks> = new Map();
const listeners = new Set<() => void>();
let stopFollowing: (() => void) | null = null;

function follow(): () => void {
  let latest = 0;
  const load = () => {
    const ticket = ++latest;
    api.listMasks().then(
      (list) => {
        if (ticket !== latest) return;
        masks = new Map(list.map((m) => [m.cameraId, m]));
        listeners.forEach((listener) => listener());
      },
      // A failed load keeps the masks already known: better a stale mask than none.
      () => undefined,
    );
  };
  const unsubscribe = subscribeEvents((event) => {
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
    }
  };
}

/** The camera's masks (null: none), kept current. */
export function useCameraMasks(cameraId: string): CameraMasks | null {
  return useSyncExternalStore(subscribe, () => masks.get(cameraId) ?? null);
}

/** Every camera's masks by camera id, kept current. */
export function useAllMasks(): ReadonlyMap<string, CameraMasks> {
  return useSyncExternalStore(subscribe, () => masks);
}
