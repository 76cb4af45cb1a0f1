/**
 * What the Playback page shows, kept in the URL (`/playback?cameras=a,b&date=2026-11-29&span=3600&from=43200`)
 * so a reload or a shared link opens the same view, and the cameras and zoom also in localStorage
 * (`ronin.playback`) so the next visit from the navigation starts where the last one left off.
 * `span` is the ruler's window in seconds, `from` its start in seconds after the day's start.
 * Malformed values fall back field by field; the date defaults to today in the viewer's zone.
 */
import { isDate } from './calendarMonth';

export interface PlaybackSettings {
  cameras: string[];
  /** Local date YYYY-MM-DD, or null for today. */
  date: string | null;
  /** Ruler window length in seconds, or null for the whole day. */
  span: number | null;
  /** Ruler window start, seconds after day_start. */
  from: number;
}

export const STORAGE_KEY = 'ronin.playback';
const MAX_CAMERAS = 64;

function positive(text: string | null | undefined): number | null {
  if (text === null || text === undefined || text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) && n > 0 ? n : null;
}

function cameraList(value: unknown): string[] {
  const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
  const ids = list.filter((v): v is string => typeof v === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(v));
  return Array.from(new Set(ids)).slice(0, MAX_CAMERAS);
}

/** Settings from the page's query string, with `stored` (localStorage) filling what is missing. */
export function parseSettings(query: URLSearchParams, stored: string | null): PlaybackSettings {
  let saved: Partial<Record<keyof PlaybackSettings, unknown>> = {};
  try {
    const raw = stored ? JSON.parse(stored) : null;
    if (raw && typeof raw === 'object') saved = raw;
  } catch {
    /* unreadable: defaults */
  }
  const fromQuery = cameraList(query.get('cameras'));
  const date = query.get('date');
  const hasQuery = fromQuery.length > 0 || query.has('date');
  const savedSpan = typeof saved.span === 'number' && saved.span > 0 ? saved.span : null;
  return {
    cameras: fromQuery.length > 0 ? fromQuery : cameraList(saved.cameras),
    date: isDate(date) ? date : null,
    span: positive(query.get('span')) ?? (hasQuery ? null : savedSpan),
    from: positive(query.get('from')) ?? 0,
  };
}

/** The query string (with "?") that reopens `settings`. */
export function settingsQuery(settings: PlaybackSettings): string {
  const params = new URLSearchParams();
  if (settings.cameras.length > 0) params.set('cameras', settings.cameras.join(','));
  if (settings.date) params.set('date', settings.date);
  if (settings.span !== null) {
    params.set('span', String(Math.round(settings.span)));
    if (settings.from > 0) params.set('from', String(Math.round(settings.from)));
  }
  const text = params.toString().replace(/%2C/g, ',');
  return text ? `?${text}` : '';
}

/** What localStorage keeps: the cameras and the zoom, not the date (a new visit starts today). */
export function storedSettings(settings: PlaybackSettings): string {
  return JSON.stringify({ cameras: settings.cameras, span: settings.span });
}
