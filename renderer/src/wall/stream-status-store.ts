/**
 * Every camera's stream status in one store: a full list at start (and after the event feed
 * reconnects), then one `stream.status` event at a time; statuses pushed on a tile's live socket come
 * in through `report`. Components read it with small hooks, each re-rendering only for what it reads,
 * instead of a map passed down through every level.
 */
import { createContext, useCallback, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import { streamKey, type StreamStatus, type StreamVariant } from '../../../shared/events.js';
import { api, subscribeEvents } from '../api/client';

/** Keyed by streamKey(camera, stream): a camera's main stream and its sub-stream report apart. */
export type StreamStatuses = ReadonlyMap<string, StreamStatus>;

const keyOf = (status: StreamStatus) => streamKey(status.cameraId, status.stream);

export interface StreamStatusStore {
  all(): StreamStatuses;
  get(cameraId: string, stream?: StreamVariant): StreamStatus | undefined;
  report(status: StreamStatus): void;
  subscribe(listener: () => void): () => void;
  /** Follows the core's list and events until the returned function is called. */
  follow(): () => void;
}

export function createStreamStatusStore(): StreamStatusStore {
  let statuses: StreamStatuses = new Map();
  const listeners = new Set<() => void>();
  const replace = (next: StreamStatuses) => {
    statuses = next;
    listeners.forEach((listener) => listener());
  };
  const report = (status: StreamStatus) => replace(new Map(statuses).set(keyOf(status), status));

  const follow = () => {
    let disposed = false;
    // Streams with an event since the list was requested: the event is newer than the list's entry.
    let updatedSinceList = new Set<string>();
    const loadList = () => {
      const updated = new Set<string>();
      updatedSinceList = updated;
      api.listStreams().then(
        (list) => {
          if (disposed) return;
          const next = new Map(statuses);
          for (const status of list) if (!updated.has(keyOf(status))) next.set(keyOf(status), status);
          replace(next);
        },
        // Statuses keep arriving as events; a failed list only delays those of idle cameras.
        () => undefined,
      );
    };
    const unsubscribe = subscribeEvents((event) => {
      if (event.type === 'stream.status') {
        updatedSinceList.add(keyOf(event.status));
        report(event.status);
      }
      if (event.type === 'events.connected') loadList();
    });
    loadList();
    return () => {
      disposed = true;
      unsubscribe();
    };
  };

  return {
    all: () => statuses,
    get: (cameraId, stream = 'main') => statuses.get(streamKey(cameraId, stream)),
    report,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    follow,
  };
}

const StoreContext = createContext<StreamStatusStore | null>(null);
export const StreamStatusProvider = StoreContext.Provider;

function useStore(): StreamStatusStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('Stream statuses are read inside a StreamStatusProvider');
  return store;
}

/** The store for the page's lifetime, following the core while mounted. */
export function useFollowedStreamStatusStore(): StreamStatusStore {
  const [store] = useState(createStreamStatusStore);
  useEffect(() => store.follow(), [store]);
  return store;
}

/** One stream's status; re-renders only when that status changes. */
export function useStreamStatus(cameraId: string | undefined, stream: StreamVariant = 'main'): StreamStatus | undefined {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, () => (cameraId === undefined ? undefined : store.get(cameraId, stream)));
}

/** Every status (the camera list and its summary). */
export function useStreamStatuses(): StreamStatuses {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, store.all);
}

/** Hands a status pushed on a live socket to the store. */
export function useReportStreamStatus(): (status: StreamStatus) => void {
  const store = useStore();
  return useCallback((status: StreamStatus) => store.report(status), [store]);
}
