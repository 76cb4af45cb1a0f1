/**
 * What the ruler marks about the present: each camera's segment being written (from the recent
 * recordings the page asks for every few seconds) as a span whose end grows, and "now" on
 * today's ruler. Camera ids are compared without case (the API spells them upper-case, pages
 * may not). Instants are epoch milliseconds.
 */
import type { Recording } from '../../api/playback';
import type { DaySpan } from './viewWindow';

/** A segment being written, as the ruler draws it. */
export interface LiveSpan {
  id: string;
  start: number;
  end: number;
}

/** Whether a recording row is the segment being written. */
export function inProgress(recording: Recording): boolean {
  return recording.in_progress === true || recording.status === 'recording';
}

/** The camera's segments being written, clipped to the day, oldest first. */
export function liveSpans(recordings: Recording[], cameraId: string, day: DaySpan): LiveSpan[] {
  const id = cameraId.toLowerCase();
  return recordings
    .filter((r) => r.camera_id.toLowerCase() === id && inProgress(r))
    .map((r) => ({ id: r.id, start: Math.max(day.start, Date.parse(r.start)), end: Math.min(day.end, Date.parse(r.end)) }))
    .filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end) && s.end > s.start)
    .sort((a, b) => a.start - b.start);
}

/** `now` when the day holds it (today), else null. */
export function nowOnDay(day: DaySpan, now: number): number | null {
  return now >= day.start && now < day.end ? now : null;
}

/** The window [start, end) of recent recordings asked for to find the segments being written. */
export function recentWindow(now: number, backMs = 120_000, aheadMs = 60_000): { start: string; end: string } {
  return { start: new Date(now - backMs).toISOString(), end: new Date(now + aheadMs).toISOString() };
}
