/**
 * The part of the day the ruler shows: a window [start, start + span) inside the day's bounds.
 * Zooming keeps the instant under the pointer (or the cursor) where it is on screen; panning
 * slides the window; both clamp so the window never leaves the day and never gets shorter than
 * MIN_SPAN_MS. All values are epoch milliseconds.
 */

export interface ViewWindow {
  start: number;
  span: number;
}

export interface DaySpan {
  start: number;
  end: number;
}

/** The closest zoom: two minutes across the whole ruler. */
export const MIN_SPAN_MS = 2 * 60_000;
/** Each zoom step (button, key, wheel notch) divides or multiplies the span by this. */
export const ZOOM_STEP = 2;

/** The window moved and shrunk as needed to lie inside `day`. */
export function clampWindow(view: ViewWindow, day: DaySpan): ViewWindow {
  const length = Math.max(1, day.end - day.start);
  const span = Math.min(length, Math.max(Math.min(MIN_SPAN_MS, length), view.span));
  const start = Math.min(day.end - span, Math.max(day.start, view.start));
  return { start, span };
}

/** The whole day. */
export function wholeDay(day: DaySpan): ViewWindow {
  return { start: day.start, span: day.end - day.start };
}

/** Zoomed by `factor` (> 1 zooms in) keeping `anchor` at the same place on the ruler. */
export function zoomAt(view: ViewWindow, factor: number, anchor: number, day: DaySpan): ViewWindow {
  const span = view.span / factor;
  const fraction = view.span > 0 ? (anchor - view.start) / view.span : 0.5;
  return clampWindow({ start: anchor - fraction * span, span }, day);
}

/** Slid by `deltaMs` (positive = later). */
export function pan(view: ViewWindow, deltaMs: number, day: DaySpan): ViewWindow {
  return clampWindow({ start: view.start + deltaMs, span: view.span }, day);
}

/** Slid just enough that `instant` is inside, with a margin of a tenth of the span. */
export function follow(view: ViewWindow, instant: number, day: DaySpan): ViewWindow {
  const margin = view.span / 10;
  if (instant >= view.start + margin && instant <= view.start + view.span - margin) return view;
  return clampWindow({ start: instant - view.span / 2, span: view.span }, day);
}

/** How many times closer than the whole day ("1×" = whole day). */
export function zoomLevel(view: ViewWindow, day: DaySpan): number {
  return (day.end - day.start) / view.span;
}

/** The fraction of the window (0 at its start, 1 at its end) where `instant` lies. */
export function fractionOf(view: ViewWindow, instant: number): number {
  return (instant - view.start) / view.span;
}

/** The instant at `fraction` of the window. */
export function instantAt(view: ViewWindow, fraction: number): number {
  return view.start + fraction * view.span;
}
