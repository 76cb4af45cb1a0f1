/**
 * Wall-clock time in an IANA time zone, from Intl alone (no time-zone data of our own). The
 * ruler and every label on the Playback page use these, so a DST day shows 23 or 25 hours with
 * the hour labels the viewer's clock showed, and a half-hour zone labels its own hours.
 * Formatters are cached per zone; all inputs and outputs are epoch milliseconds (UTC).
 */

/** A local date and time as its parts (month 1-12). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The viewer's time zone as the browser knows it ("Europe/Berlin"); UTC when it cannot tell. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The wall clock in `tz` at instant `ms`. */
export function wallClock(ms: number, tz: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

/** How far `tz` is ahead of UTC at instant `ms`, in milliseconds (whole seconds). */
export function zoneOffsetMs(ms: number, tz: string): number {
  const w = wallClock(ms, tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The local date at `ms` as YYYY-MM-DD. */
export function localDate(ms: number, tz: string): string {
  const w = wallClock(ms, tz);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** The local time at `ms` as HH:MM:SS (or HH:MM without seconds). */
export function localTime(ms: number, tz: string, seconds = true): string {
  const w = wallClock(ms, tz);
  return seconds ? `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` : `${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * The instant local date `date` (YYYY-MM-DD) begins in `tz`. On a day whose midnight the clock
 * skips, the first instant of the day that exists.
 */
export function startOfLocalDay(date: string, tz: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  // The offset at the wall time taken as UTC, then at the instant that gives: two steps settle it.
  let instant = wall - zoneOffsetMs(wall, tz);
  instant = wall - zoneOffsetMs(instant, tz);
  while (localDate(instant, tz) < date) instant += 15 * 60_000;
  return instant;
}

/** The local date and time at `ms`, e.g. "2026-11-29 14:03:07". */
export function localDateTime(ms: number, tz: string): string {
  return `${localDate(ms, tz)} ${localTime(ms, tz)}`;
}

/** Tick steps the ruler may use, shortest first (milliseconds). */
export const TICK_STEPS_MS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600].map((s) => s * 1000);

/** The shortest step giving at most `maxTicks` ticks over `spanMs`. */
export function tickStep(spanMs: number, maxTicks: number): number {
  return TICK_STEPS_MS.find((step) => spanMs / step <= maxTicks) ?? TICK_STEPS_MS[TICK_STEPS_MS.length - 1];
}

/**
 * The instants in [startMs, endMs] where the local clock in `tz` reads a whole multiple of
 * `stepMs` since local midnight (every local hour for one hour, 00/15/30/45 for 15 minutes).
 * Across a DST change the repeated hour appears twice and the skipped one not at all, exactly
 * as the viewer's clock ran. Work grows with the span over min(step, 15 min), never per second.
 */
export function localTicks(startMs: number, endMs: number, stepMs: number, tz: string): number[] {
  // Zone offsets are whole multiples of 15 minutes (every zone in use today), so a grid of
  // min(step, 15 min) in UTC meets every local boundary of `step`.
  const probe = Math.min(stepMs, 15 * 60_000);
  const ticks: number[] = [];
  for (let t = Math.ceil(startMs / probe) * probe; t <= endMs; t += probe) {
    const local = t + zoneOffsetMs(t, tz);
    if (((local % stepMs) + stepMs) % stepMs === 0) ticks.push(t);
  }
  return ticks;
}
