/**
 * Activity events (docs/api.md, "Events"): arrivals, departures and state changes that live
 * detection and historical analysis write, with their snapshot, mosaic and clip. Listing is newest
 * first by `start`, a page at a time; anyone signed in may mark an event reviewed, admins lock,
 * unlock and delete. Media addresses are plain GET URLs, so `<img>` and `<video>` fetch them with
 * the session cookie.
 */
import { request } from './client';

export type EventKind = 'arrival' | 'departure' | 'state_change';
export type EventOrigin = 'live' | 'historical';
export type ArtifactsState = 'pending' | 'ready' | 'failed';

/** One box of the event in fractions (0..1) of the frame, at one analysed instant. */
export interface EventBox {
  time: string;
  x: number;
  y: number;
  width: number;
  height: number;
  confidence: number;
}

export interface ActivityEvent {
  id: string;
  camera_id: string;
  camera_name: string;
  kind: EventKind | string;
  class: string;
  track_id: number | null;
  source: EventOrigin | string;
  start: string;
  /** Null while the event is ongoing. */
  end: string | null;
  /** Seconds; for an ongoing event, so far. */
  duration: number;
  ongoing: boolean;
  peak_confidence: number;
  from_state: 'moving' | 'stationary' | string | null;
  to_state: 'moving' | 'stationary' | string | null;
  boxes: EventBox[];
  reviewed: boolean;
  locked: boolean;
  artifacts: ArtifactsState | string;
  snapshot_url: string;
  clean_url: string;
  mosaic_url: string;
  clip_url: string;
  created_at: string;
  updated_at: string;
}

export interface EventPage {
  events: ActivityEvent[];
  /** Every match, not only this page. */
  total: number;
  next_cursor: string | null;
}

/** The query of GET /api/events: every key optional, lists comma-joined. */
export type EventQuery = Record<string, string | number | boolean | undefined>;

/** The most one request may ask for. */
export const EVENT_PAGE_LIMIT = 500;

export function listEvents(query: EventQuery, signal?: AbortSignal): Promise<EventPage> {
  return request<EventPage>('/api/events', { query, signal });
}

export function getEvent(id: string, signal?: AbortSignal): Promise<ActivityEvent> {
  return request<ActivityEvent>(`/api/events/${encodeURIComponent(id)}`, { signal });
}

/** Marks reviewed (anyone) and locks or unlocks (admins); answers the event as stored. */
export function updateEvent(id: string, patch: { reviewed?: boolean; locked?: boolean }): Promise<ActivityEvent> {
  return request<ActivityEvent>(`/api/events/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch });
}

/** Deletes the event and its files (admins); a locked event answers 409 `event_locked`. */
export function deleteEvent(id: string): Promise<void> {
  return request<void>(`/api/events/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** A media address with extra query parameters (`height`, `boxes`) added to what it has. */
export function mediaUrl(url: string, params: Record<string, string | number | undefined>): string {
  const [path, existing = ''] = url.split('?', 2);
  const query = new URLSearchParams(existing);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
