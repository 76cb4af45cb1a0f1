/**
 * The header's count of events nobody has looked at: events that began after the user last had
 * the ML page open. The count starts from the server's answer for that moment (its first page of
 * ids and its total) and grows with each new event from the stream; an event counted once is
 * never counted again when the stream sends it updated (an arrival closing). Opening the page
 * starts over from zero. Pure functions, checked by Frontend/test/events.test.ts.
 */
import type { ActivityEvent, EventPage } from '../api/events';

export interface UnseenState {
  /** Epoch ms the user last had the ML page open; events that began before it are seen. */
  since: number;
  /** Ids counted so far. */
  ids: readonly string[];
  /** Events the server counted beyond the ids it listed. */
  beyond: number;
}

/** Nothing unseen, as of `now`. */
export function seenAt(now: number): UnseenState {
  return { since: now, ids: [], beyond: 0 };
}

/** The state after the stream brought `event` (new or updated). */
export function countEvent(state: UnseenState, event: Pick<ActivityEvent, 'id' | 'start'>): UnseenState {
  const id = event.id.toLowerCase();
  if (Date.parse(event.start) < state.since || state.ids.includes(id)) return state;
  return { ...state, ids: [...state.ids, id] };
}

/** The state once the server answered which events began since `since` (one page and the total). */
export function withBacklog(state: UnseenState, page: Pick<EventPage, 'events' | 'total'>): UnseenState {
  let next = state;
  for (const event of page.events) next = countEvent(next, event);
  return { ...next, beyond: Math.max(0, page.total - page.events.length) };
}

export function unseenCount(state: UnseenState): number {
  return state.ids.length + state.beyond;
}

/** The badge's text: "" for none, "7", "99+" past 99. */
export function badgeText(count: number): string {
  if (count <= 0) return '';
  return count > 99 ? '99+' : String(count);
}
