/**
 * The activity log's data: the first page of events for the filters, further pages on "Load
 * more", and every event the stream brings merged in where it belongs (eventList.ts). After a
 * break in the stream the first page is read again, so nothing missed stays missing. Local
 * changes (reviewed, locked, deleted) are applied at once.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import { listEvents, type ActivityEvent } from '../../api/events';
import { appendPage, mergeEvent, removeEvent, type EventListState } from '../../events/eventList';
import { useActivity } from '../../hooks/useEventStream';
import { eventQuery, matchesFilter, type EventFilter } from './eventFilters';

const PAGE_SIZE = 50;

export interface EventLogOptions {
  pageSize?: number;
  /** At most this many rows are kept as the stream brings more (a feed); no cap by default. */
  cap?: number;
}

export interface EventLog {
  state: EventListState | null;
  error: string | null;
  loadingMore: boolean;
  loadMore(): void;
  reload(): void;
  /** Puts the server's copy of an event in place (after a change), or takes it out if filtered away. */
  replace(event: ActivityEvent): void;
  remove(id: string): void;
}

export function useEventLog(filter: EventFilter, tz: string, { pageSize = PAGE_SIZE, cap = Infinity }: EventLogOptions = {}): EventLog {
  const [state, setState] = useState<EventListState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [generation, setGeneration] = useState(0);
  const latest = useRef({ filter, tz, state, pageSize, cap });
  latest.current = { filter, tz, state, pageSize, cap };
  const key = JSON.stringify(filter);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    listEvents(eventQuery(filter, tz, pageSize), controller.signal)
      .then((page) => setState(appendPage({ events: [], total: 0, cursor: null }, page)))
      .catch((err) => {
        if (!controller.signal.aborted) setError(errorMessage(err));
      });
    return () => controller.abort();
    // `key` stands for the filter's contents: a new object with the same filters loads nothing.
  }, [key, tz, pageSize, generation]);

  // A new set of filters starts from an empty log, not the last one's rows.
  useEffect(() => setState(null), [key]);

  const merge = useCallback((event: ActivityEvent) => {
    const { filter: f, tz: zone, cap: most } = latest.current;
    setState((s) => (s ? mergeEvent(s, event, matchesFilter(event, f, zone), most) : s));
  }, []);

  useActivity({ onEvent: merge, onResumed: () => setGeneration((g) => g + 1) });

  const loadMore = useCallback(() => {
    const { filter: f, tz: zone, state: s, pageSize: size } = latest.current;
    if (!s?.cursor) return;
    setLoadingMore(true);
    listEvents(eventQuery(f, zone, size, s.cursor))
      .then((page) => setState((current) => (current && current.cursor === s.cursor ? appendPage(current, page) : current)))
      .catch((err) => setError(errorMessage(err)))
      .finally(() => setLoadingMore(false));
  }, []);

  return {
    state,
    error,
    loadingMore,
    loadMore,
    reload: () => setGeneration((g) => g + 1),
    replace: merge,
    remove: (id) => setState((s) => (s ? removeEvent(s, id) : s)),
  };
}
