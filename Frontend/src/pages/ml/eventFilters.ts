/**
 * The activity log's filters: camera, classes, kinds, source, reviewed and a range of local days.
 * They live in the page's URL (`/ml?camera=…&class=person,car&kind=arrival&source=live&reviewed=false&from=2026-02-01&to=2026-02-03`),
 * so a reload or a shared link shows the same log; they become GET /api/events's query, and
 * decide whether an event from the stream belongs in the log. Days are the viewer's, in `tz`.
 * Pure functions, checked by Frontend/test/events.test.ts.
 */
import type { ActivityEvent, EventQuery } from '../../api/events';
import { isDate, addDays } from '../playback/calendarMonth';
import { startOfLocalDay } from '../playback/zoneTime';

export type ReviewedFilter = 'reviewed' | 'unreviewed' | null;

export interface EventFilter {
  cameraId: string | null;
  classes: string[];
  kinds: string[];
  source: string | null;
  reviewed: ReviewedFilter;
  /** First local day shown (YYYY-MM-DD), or null for no lower bound. */
  from: string | null;
  /** Last local day shown, inclusive. */
  to: string | null;
}

export const NO_FILTER: EventFilter = { cameraId: null, classes: [], kinds: [], source: null, reviewed: null, from: null, to: null };

export const EVENT_KINDS = ['arrival', 'departure', 'state_change'];
export const EVENT_SOURCES = ['live', 'historical'];

function list(value: string | null, allowed?: string[]): string[] {
  const items = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return [...new Set(allowed ? items.filter((s) => allowed.includes(s)) : items)];
}

/** The filters a URL's query names; anything unreadable is left out. */
export function filterFromQuery(query: URLSearchParams): EventFilter {
  const reviewed = query.get('reviewed');
  const source = query.get('source');
  const from = query.get('from');
  const to = query.get('to');
  return {
    cameraId: query.get('camera') || null,
    classes: list(query.get('class')),
    kinds: list(query.get('kind'), EVENT_KINDS),
    source: source && EVENT_SOURCES.includes(source) ? source : null,
    reviewed: reviewed === 'true' ? 'reviewed' : reviewed === 'false' ? 'unreviewed' : null,
    from: isDate(from) ? from : null,
    to: isDate(to) ? to : null,
  };
}

/** The filters as the page's query string ("" for none), in a fixed order. */
export function filterToQuery(filter: EventFilter): string {
  const params = new URLSearchParams();
  if (filter.cameraId) params.set('camera', filter.cameraId);
  if (filter.classes.length > 0) params.set('class', filter.classes.join(','));
  if (filter.kinds.length > 0) params.set('kind', filter.kinds.join(','));
  if (filter.source) params.set('source', filter.source);
  if (filter.reviewed) params.set('reviewed', String(filter.reviewed === 'reviewed'));
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  const text = params.toString().replace(/%2C/g, ',');
  return text ? `?${text}` : '';
}

/** The UTC bounds [start, end) of the chosen days, in epoch ms (null where open). */
export function dayBounds(filter: EventFilter, tz: string): { start: number | null; end: number | null } {
  return {
    start: filter.from ? startOfLocalDay(filter.from, tz) : null,
    end: filter.to ? startOfLocalDay(addDays(filter.to, 1), tz) : null,
  };
}

/** GET /api/events's query for one page of the filtered log. */
export function eventQuery(filter: EventFilter, tz: string, limit: number, cursor: string | null = null): EventQuery {
  const { start, end } = dayBounds(filter, tz);
  return {
    camera_id: filter.cameraId ?? undefined,
    class: filter.classes.length > 0 ? filter.classes.join(',') : undefined,
    kind: filter.kinds.length > 0 ? filter.kinds.join(',') : undefined,
    source: filter.source ?? undefined,
    reviewed: filter.reviewed ? filter.reviewed === 'reviewed' : undefined,
    start: start !== null ? new Date(start).toISOString() : undefined,
    end: end !== null ? new Date(end).toISOString() : undefined,
    limit,
    cursor: cursor ?? undefined,
  };
}

/** Whether an event (from the stream) belongs in the log these filters show. */
export function matchesFilter(event: ActivityEvent, filter: EventFilter, tz: string): boolean {
  if (filter.cameraId && filter.cameraId.toLowerCase() !== event.camera_id.toLowerCase()) return false;
  if (filter.classes.length > 0 && !filter.classes.includes(event.class)) return false;
  if (filter.kinds.length > 0 && !filter.kinds.includes(event.kind)) return false;
  if (filter.source && filter.source !== event.source) return false;
  if (filter.reviewed && (filter.reviewed === 'reviewed') !== event.reviewed) return false;
  const { start, end } = dayBounds(filter, tz);
  const at = Date.parse(event.start);
  if (start !== null && at < start) return false;
  if (end !== null && at >= end) return false;
  return true;
}

/** How many filters are set (for the "Clear filters" button). */
export function activeFilters(filter: EventFilter): number {
  return [filter.cameraId, filter.classes.length, filter.kinds.length, filter.source, filter.reviewed, filter.from, filter.to].filter(Boolean).length;
}
