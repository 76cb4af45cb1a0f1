/**
 * What the ruler draws for a window of the day, as fractions of its width: the pieces of spans
 * (ranges, gaps, marker buckets, the selection) that fall inside the window, and the local-time
 * ticks with their labels. Only what is visible is returned, so the DOM holds a handful of
 * elements per lane whatever the zoom.
 */
import { fractionOf, type ViewWindow } from './viewWindow';
import { localTicks, localTime, tickStep } from './zoneTime';

/** A span placed on the ruler: left and width as fractions (0-1) of the window. */
export interface Placed<T> {
  item: T;
  left: number;
  width: number;
}

export interface Tick {
  at: number;
  left: number;
  label: string;
}

/** The spans of `items` that overlap the window, clipped to it. */
export function place<T>(items: T[], view: ViewWindow, bounds: (item: T) => { start: number; end: number }): Placed<T>[] {
  const out: Placed<T>[] = [];
  const viewEnd = view.start + view.span;
  for (const item of items) {
    const { start, end } = bounds(item);
    if (end <= view.start || start >= viewEnd) continue;
    const left = Math.max(0, fractionOf(view, start));
    const right = Math.min(1, fractionOf(view, end));
    out.push({ item, left, width: Math.max(0, right - left) });
  }
  return out;
}

/** Local-time ticks across the window, about one per `minPixels` of a ruler `widthPx` wide. */
export function ticksFor(view: ViewWindow, tz: string, widthPx: number, minPixels = 70): Tick[] {
  const maxTicks = Math.max(2, Math.floor(widthPx / minPixels));
  const step = tickStep(view.span, maxTicks);
  const withSeconds = step < 60_000;
  return localTicks(view.start, view.start + view.span, step, tz).map((at) => ({
    at,
    left: fractionOf(view, at),
    label: localTime(at, tz, withSeconds),
  }));
}

/** A span given as ISO strings, in epoch milliseconds. */
export function parseSpan(span: { start: string; end: string }): { start: number; end: number } {
  return { start: Date.parse(span.start), end: Date.parse(span.end) };
}
