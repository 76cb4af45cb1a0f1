/**
 * The ML page's address: which tab is shown (`tab=status|settings`, the activity log without
 * one), the log's filters (eventFilters.ts), the event open in the lightbox (`event=<id>`) and
 * the camera whose settings are shown (`scope=<id>`). A reload or a shared link shows the same.
 * Pure functions, checked by Frontend/test/events.test.ts.
 */
import { filterFromQuery, filterToQuery, NO_FILTER, type EventFilter } from './eventFilters';

export type MlTab = 'activity' | 'status' | 'settings';

export const ML_TABS: { tab: MlTab; label: string }[] = [
  { tab: 'activity', label: 'Activity' },
  { tab: 'status', label: 'Status' },
  { tab: 'settings', label: 'Settings' },
];

export interface MlView {
  tab: MlTab;
  filter: EventFilter;
  eventId: string | null;
  scope: string | null;
}

export function readView(query: URLSearchParams): MlView {
  const tab = query.get('tab');
  return {
    tab: tab === 'status' || tab === 'settings' ? tab : 'activity',
    filter: filterFromQuery(query),
    eventId: query.get('event') || null,
    scope: query.get('scope') || null,
  };
}

/** The page's path for a view; the filters travel with every tab so coming back keeps them. */
export function viewPath(view: MlView): string {
  const params = new URLSearchParams(filterToQuery(view.filter).slice(1));
  if (view.tab !== 'activity') params.set('tab', view.tab);
  if (view.eventId) params.set('event', view.eventId);
  if (view.scope) params.set('scope', view.scope);
  const text = params.toString().replace(/%2C/g, ',');
  return text ? `/ml?${text}` : '/ml';
}

export const DEFAULT_VIEW: MlView = { tab: 'activity', filter: NO_FILTER, eventId: null, scope: null };
