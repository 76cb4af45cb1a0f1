/**
 * Keeping a shown list of events current: pages appended by "Load more" without repeats, and
 * events from the stream merged in (an update replaces its row where it stands, a new event goes
 * where its start puts it, newest first). A new event older than the oldest row shown while more
 * pages remain is left for "Load more" to bring. Pure functions, checked by
 * Frontend/test/events.test.ts.
 */
import type { ActivityEvent } from '../api/events';

export interface EventListState {
  events: ActivityEvent[];
  /** Every match the server counted, adjusted as streamed events come and go. */
  total: number;
  /** The next page's cursor; null when every page is shown. */
  cursor: string | null;
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Newest first by start; one start shared by several events by id, highest first, as the server pages them. */
export function newerFirst(a: ActivityEvent, b: ActivityEvent): number {
  const [x, y] = [a.id.toUpperCase(), b.id.toUpperCase()];
  return Date.parse(b.start) - Date.parse(a.start) || (x < y ? 1 : x > y ? -1 : 0);
}

/** The list with a further page after it (rows already shown are not repeated). */
export function appendPage(state: EventListState, page: { events: ActivityEvent[]; total: number; next_cursor: string | null }): EventListState {
  const shown = new Set(state.events.map((e) => e.id.toLowerCase()));
  const fresh = page.events.filter((e) => !shown.has(e.id.toLowerCase()));
  return { events: [...state.events, ...fresh], total: page.total, cursor: page.next_cursor };
}

/**
 * The list after the stream sent `event`. `matches` says whether the event belongs in this list
 * (the filters): an update that no longer matches leaves it; `limit` caps a feed's length.
 */
export function mergeEvent(state: EventListState, event: ActivityEvent, matches: boolean, limit = Infinity): EventListState {
  const at = state.events.findIndex((e) => sameId(e.id, event.id));
  if (at >= 0) {
    if (!matches) return { ...state, events: state.events.filter((_, i) => i !== at), total: Math.max(0, state.total - 1) };
    const events = [...state.events];
    events[at] = event;
    return { ...state, events };
  }
  if (!matches) return state;
  const oldest = state.events[state.events.length - 1];
  if (state.cursor !== null && oldest && newerFirst(event, oldest) > 0) return state;
  const events = [...state.events, event].sort(newerFirst).slice(0, limit);
  return { ...state, events, total: state.total + 1 };
}

/** The list without an event (deleted). */
export function removeEvent(state: EventListState, id: string): EventListState {
  const events = state.events.filter((e) => !sameId(e.id, id));
  return events.length === state.events.length ? state : { ...state, events, total: Math.max(0, state.total - 1) };
}
