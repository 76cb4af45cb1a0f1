/**
 * Which segment plays an instant. A day's segments (GET /api/recordings) are sorted by start; a
 * segment's media time 0 is its start, so instant t plays at media time t - start. Seeking into
 * a gap lands on the next footage; the end of a segment continues into the next one, across a
 * gap if there is one. The segment being written plays too (growingSegment.ts). Instants are
 * epoch milliseconds.
 */
import type { Recording } from '../../api/playback';

/** A segment with its bounds parsed once. */
export interface Segment {
  recording: Recording;
  start: number;
  end: number;
}

/** Playable segments (complete or being written, with a positive length), sorted by start. */
export function toSegments(recordings: Recording[]): Segment[] {
  return recordings
    .filter((r) => r.status === 'complete' || r.status === 'recording')
    .map((r) => ({ recording: r, start: Date.parse(r.start), end: Date.parse(r.end) }))
    .filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end) && s.end > s.start)
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Index of the first segment whose end is after `instant` (binary search; length if none). */
function firstEndingAfter(segments: Segment[], instant: number): number {
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid].end <= instant) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The segment covering `instant` (the later one where two overlap), or null. */
export function segmentAt(segments: Segment[], instant: number): Segment | null {
  let found: Segment | null = null;
  for (let i = firstEndingAfter(segments, instant); i < segments.length && segments[i].start <= instant; i += 1) {
    if (segments[i].end > instant) found = segments[i];
  }
  return found;
}

/** Where a seek to `instant` plays: the covering segment, else the next footage; null past the last. */
export function seekTarget(segments: Segment[], instant: number): { segment: Segment; offset: number } | null {
  const covering = segmentAt(segments, instant);
  if (covering) return { segment: covering, offset: (instant - covering.start) / 1000 };
  const next = segments.find((s) => s.start > instant);
  return next ? { segment: next, offset: 0 } : null;
}

/**
 * What follows `current` when it ends: the next segment and the media time to start it at (past
 * any overlap with `current`, so nothing plays twice), or null at the end of the day's footage.
 */
export function nextAfter(segments: Segment[], current: Segment): { segment: Segment; offset: number } | null {
  const index = segments.findIndex((s) => s.recording.id === current.recording.id);
  for (let i = index + 1; i < segments.length; i += 1) {
    const candidate = segments[i];
    if (candidate.end <= current.end) continue; // wholly inside the current one
    return { segment: candidate, offset: Math.max(0, (current.end - candidate.start) / 1000) };
  }
  return null;
}
