/**
 * Every camera's stream status: a full list at start (and after the event feed reconnects), then one
 * `stream.status` event at a time. Statuses pushed on a tile's live socket come in through `report`.
 */
import { useCallback, useEffect, useState } from 'react';
import { streamKey, type StreamStatus } from '../../../shared/events.js';
import { api, subscribeEvents } from '../api/client';

/** Keyed by streamKey(camera, stream): a camera's main stream and its sub-stream report apart. */
export type StreamStatuses = ReadonlyMap<string, StreamStatus>;

const keyOf = (status: StreamStatus) => streamKey(status.cameraId, status.stream);

export function useStreamStatuses(): { statuses: StreamStatuses; report(status: StreamStatus): void } {
  const [statuses, setStatuses] = useState<StreamStatuses>(new Map());

  const report = useCallback((status: StreamStatus) => {
    setStatuses((current) => new Map(current).set(keyOf(status), status));
  }, []);

  useEffect(() => {
    let disposed = false;
    // Streams with an event since the list was requested: the event is newer than the list's entry.
    let updatedSinceList = new Set<string>();
    const loadList = () => {
      const updated = new Set<string>();
      updatedSinceList = updated;
      api.listStreams().then(
        (list) => {
          if (disposed) return;
          setStatuses((current) => {
            const next = new Map(current);
            for (const status of list) if (!updated.has(keyOf(status))) next.set(keyOf(status), status);
            return next;
          });
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
  }, [report]);

  return { statuses, report };
}
