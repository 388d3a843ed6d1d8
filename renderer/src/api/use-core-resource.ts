/**
 * A value held by the core (camera list, wall), loaded at mount and reloaded whenever the core says it
 * changed. Changes made here show at once and are then replaced by what the core answers; when
 * answers cross, the newest request wins so an old reply never overwrites a newer change.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../lib/error-message';
import type { ClientEvent } from './client-event';
import { subscribeEvents } from './client';

export interface CoreResource<T> {
  data: T | null;
  /** Why the last load or change failed, for the operator; null once one succeeds. */
  error: string | null;
  /** Shows `optimistic` now and the core's answer to `request` when it comes; if the core refuses, reloads and keeps the reason. */
  change(optimistic: T, request: Promise<T>): void;
}

/** `load` must keep its identity across renders (a module-level function): a new one reloads and resubscribes. */
export function useCoreResource<T>(load: () => Promise<T>, changedBy: ClientEvent['type']): CoreResource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  const track = useCallback((request: Promise<T>, onFailure: (message: string) => void, errorAfterSuccess: string | null = null) => {
    const ticket = ++latest.current;
    request.then(
      (value) => {
        if (ticket !== latest.current) return;
        setData(value);
        setError(errorAfterSuccess);
      },
      (failure: unknown) => {
        if (ticket === latest.current) onFailure(errorMessage(failure));
      },
    );
  }, []);

  const reload = useCallback((keepError: string | null = null) => track(load(), setError, keepError), [track, load]);

  const change = useCallback(
    (optimistic: T, request: Promise<T>) => {
      setData(optimistic);
      track(request, (message) => reload(message));
    },
    [track, reload],
  );

  useEffect(() => {
    reload();
    return subscribeEvents((event) => {
      if (event.type === changedBy || event.type === 'events.connected') reload();
    });
  }, [reload, changedBy]);

  return { data, error, change };
}
