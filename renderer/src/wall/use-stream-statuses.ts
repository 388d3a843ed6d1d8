/**
 * Every camera's stream status: a full list at start (and after the event feed reconnects), then one
 * `stream.status` event at a time. Statuses pushed on a tile's live socket come in through `report`.
 */
import { useCallback, useEffect, useState } from 'react';
import type { StreamStatus } from '../../../shared/events.js';
import { api, subscribeEvents } from '../api/client';

export type StreamStatuses = ReadonlyMap<string, StreamStatus>;

export function useStreamStatuses(): { statuses: StreamStatuses; report(status: StreamStatus): void } {
  const [statuses, setStatuses] = useState<StreamStatuses>(new Map());

  const report = useCallback((status: StreamStatus) => {
    setStatuses((current) => new Map(current).set(status.cameraId, status));
  }, []);

  useEffect(() => {
    let disposed = false;
    // Cameras with an event since the list was requested: the event is newer than the list's entry.
    let updatedSinceList = new Set<string>();
    const loadList = () => {
      const updated = new Set<string>();
      updatedSinceList = updated;
      api.listStreams().then(
        (list) => {
          if (disposed) return;
          setStatuses((current) => {
            const next = new Map(current);
            for (const status of list) if (!updated.has(status.cameraId)) next.set(status.cameraId, status);
            return next;
          });
        },
        // Statuses keep arriving as events; a failed list only delays those of idle cameras.
        () => undefined,
      );
    };
    const unsubscribe = subscribeEvents((event) => {
      if (event.type === 'stream.status') {
        updatedSinceList.add(event.status.cameraId);
        report(event.status);
      }
      if (event.type === 'events.reconnected') loadList();
    });
    loadList();
    return () => {
      disposed = true;
      unsubscribe();
    };
  }, [report]);

  return { statuses, report };
}
