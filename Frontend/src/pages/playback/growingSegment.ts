/**
 * The segment being written, as the Playback player sees it (docs/design/live.md, The segment
 * being written). Its row says `status: "recording"` / `in_progress`, its end moves on every couple
 * of seconds, and its file plays up to its last fragment: a `<video>` holds a copy of the file as
 * long as it was when loaded, so the player fetches a fresh copy (a cache-busting query) before
 * the copy it plays runs out, and carries on from the same media time. When the segment closes
 * the same id turns `complete` and its file is the finished one.
 *
 * Pure decisions only: which segment plays an instant near now, where a seek lands in a copy,
 * when to fetch a fresh copy and what to do at the end of one. Times are epoch milliseconds for
 * instants and media seconds for positions.
 */
import { seekTarget, type Segment } from './segmentLookup';

/** A fresh copy is fetched when the one playing holds less than this much more footage. */
export const FETCH_AHEAD_S = 3;
/** A seek past the end of a copy lands this far before its end. */
export const EDGE_MARGIN_S = 0.3;
/** A fresh copy that held nothing new is asked for again after this long. */
export const RETRY_MS = 1000;
/** A copy "holds more" than a position when it reaches at least this far past it. */
const MORE_S = 0.1;
/** A finished segment's row may say a little more than its file plays (probe rounding). */
const ROW_SLACK_S = 0.5;
/** A seek this far past now still plays the newest footage (clocks differ a little). */
const FUTURE_SLACK_MS = 2000;

/** The segment is still being written: its file grows and its row's end moves on. */
export function isGrowing(segment: Segment): boolean {
  return segment.recording.in_progress === true || segment.recording.status === 'recording';
}

/** Media seconds the segment's row says it holds. */
export function knownSeconds(segment: Segment): number {
  return (segment.end - segment.start) / 1000;
}

/** The file address for one copy: a growing file gets a query of its own, so no cache answers with an older, shorter copy. */
export function copyUrl(base: string, growing: boolean, version: number): string {
  return growing ? `${base}${base.includes('?') ? '&' : '?'}v=${version}` : base;
}

/** Where a seek to `offset` lands in a copy holding `seconds` of media: clamped to what exists. */
export function clampOffset(offset: number, seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return Math.max(0, offset);
  return Math.max(0, Math.min(offset, seconds - EDGE_MARGIN_S));
}

/**
 * Which segment plays `instant` and from what media time: the footage covering it (or the next),
 * else the segment being written when the instant lies past the end its row knew of but not in
 * the future (the row's end trails the file by a few seconds). Null when nothing plays it.
 */
export function targetNearNow(segments: Segment[], instant: number, now: number): { segment: Segment; offset: number } | null {
  const target = seekTarget(segments, instant);
  if (target) return target;
  const last = segments[segments.length - 1];
  if (last && isGrowing(last) && instant >= last.start && instant <= now + FUTURE_SLACK_MS) return { segment: last, offset: (instant - last.start) / 1000 };
  return null;
}

/**
 * Whether a seek to `offset` needs a fresher copy than one holding `seconds`: the seek lies past
 * the copy's end and the file holds more (it grows, or it was finished since the copy was loaded).
 */
export function seekNeedsFreshCopy(segment: Segment, offset: number, seconds: number): boolean {
  if (offset <= seconds - EDGE_MARGIN_S) return false;
  return isGrowing(segment) || knownSeconds(segment) > seconds + ROW_SLACK_S;
}

/** A fresh copy on the standby element: still loading, or how much it holds and how old it is. */
export interface FreshCopy {
  loading: boolean;
  seconds: number;
  ageMs: number;
  /** The segment was still being written when the copy was asked for. */
  ofGrowing: boolean;
}

/** While playing a growing segment: fetch a fresh copy now? (`seconds` is what the playing copy holds.) */
export function shouldFetchAhead(segment: Segment, position: number, seconds: number, fresh: FreshCopy | null): boolean {
  if (!isGrowing(segment) || seconds - position > FETCH_AHEAD_S) return false;
  if (!fresh) return true;
  if (fresh.loading || fresh.seconds > seconds + ROW_SLACK_S) return false;
  return fresh.ageMs >= RETRY_MS;
}

/**
 * What to do when the copy on screen has played to `position` (its end):
 * - `swap`: the fresh copy holds more, play it from the position;
 * - `wait`: a fresh copy is on its way;
 * - `refetch`: ask for a fresh copy now;
 * - `retry`: the fresh copy held nothing new yet, ask again after RETRY_MS;
 * - `next`: the segment ends here; go on to the next footage.
 */
export type EdgeStep = 'swap' | 'wait' | 'refetch' | 'retry' | 'next';

export function edgeStep(segment: Segment, position: number, fresh: FreshCopy | null): EdgeStep {
  if (fresh && !fresh.loading && fresh.seconds > position + MORE_S) return 'swap';
  if (fresh?.loading) return 'wait';
  const growing = isGrowing(segment);
  if (!growing && knownSeconds(segment) <= position + ROW_SLACK_S) return 'next';
  if (!fresh) return 'refetch';
  // The fresh copy holds nothing past the position.
  if (!growing) return fresh.ofGrowing ? 'refetch' : 'next';
  return fresh.ageMs >= RETRY_MS ? 'refetch' : 'retry';
}

/** Media seconds a loaded `<video>` holds (its duration, else the end of what it can seek to). */
export function heldSeconds(media: { duration: number; seekable: { length: number; end(index: number): number } }): number {
  if (Number.isFinite(media.duration) && media.duration > 0) return media.duration;
  return media.seekable.length > 0 ? media.seekable.end(media.seekable.length - 1) : 0;
}
