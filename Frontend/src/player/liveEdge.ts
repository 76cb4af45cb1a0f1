/**
 * The decisions that keep a live Media Source Extensions player near the live edge (the end of
 * what it has buffered), as pure functions of the buffered ranges and the playhead, so they can be
 * unit-checked under node (test/live.test.ts):
 *
 * - more than `JUMP_BEHIND_S` behind the edge: jump to `JUMP_TO_S` before it;
 * - the playhead before a hole in the buffer (fragments skipped, a restart): step over it;
 * - more than `FAST_BEHIND_S` behind: play at `RATE_FAST` (`RATE_FASTER` past `FAR_BEHIND_S`),
 *   and back at 1 once within `CAUGHT_UP_S` (between the two the rate stays, so it does not flap);
 * - media more than `BACK_BUFFER_S` behind the playhead is removed, in chunks of `TRIM_CHUNK_S`.
 *
 * Ranges are `[start, end]` in seconds, in order and not overlapping, as `SourceBuffer.buffered`
 * gives them.
 */

export type Range = readonly [number, number];

export const JUMP_BEHIND_S = 3;
export const JUMP_TO_S = 0.2;
export const FAST_BEHIND_S = 0.5;
export const FAR_BEHIND_S = 1.5;
export const CAUGHT_UP_S = 0.3;
export const RATE_FAST = 1.1;
export const RATE_FASTER = 1.25;
export const BACK_BUFFER_S = 30;
export const TRIM_CHUNK_S = 10;
/** Within this of the end of its range, a playhead with media after a hole steps over the hole. */
const GAP_LOOKAHEAD_S = 0.3;

export type EdgeAction = { kind: 'none' } | { kind: 'jump'; to: number } | { kind: 'rate'; rate: number };

const NONE: EdgeAction = { kind: 'none' };

/** Seconds from the playhead to the end of the buffer (0 when nothing is buffered). */
export function latency(ranges: readonly Range[], currentTime: number): number {
  return ranges.length === 0 ? 0 : Math.max(0, ranges[ranges.length - 1][1] - currentTime);
}

/** What to do now to stay near the live edge: jump, change the playback rate, or nothing. */
export function liveEdgeAction(ranges: readonly Range[], currentTime: number, playbackRate: number): EdgeAction {
  if (ranges.length === 0) return NONE;
  const [lastStart, end] = ranges[ranges.length - 1];
  const behind = end - currentTime;
  if (behind > JUMP_BEHIND_S) return { kind: 'jump', to: Math.max(lastStart, end - JUMP_TO_S) };

  const current = ranges.find(([s, e]) => currentTime >= s - 0.05 && currentTime < e);
  const ahead = ranges.find(([s]) => s > currentTime + 0.01);
  if (ahead && (!current || current[1] - currentTime < GAP_LOOKAHEAD_S)) {
    return { kind: 'jump', to: Math.min(ahead[1], ahead[0] + 0.05) };
  }

  let rate = playbackRate;
  if (behind > FAR_BEHIND_S) rate = RATE_FASTER;
  else if (behind > FAST_BEHIND_S) rate = RATE_FAST;
  else if (behind < CAUGHT_UP_S) rate = 1;
  return rate === playbackRate ? NONE : { kind: 'rate', rate };
}

/**
 * The end of the old media to remove (`SourceBuffer.remove(0, end)`), or null when there is not
 * enough of it: more than `keep` seconds behind the playhead, at least `chunk` seconds of it.
 */
export function trimEnd(ranges: readonly Range[], currentTime: number, keep = BACK_BUFFER_S, chunk = TRIM_CHUNK_S): number | null {
  if (ranges.length === 0) return null;
  const cutoff = currentTime - keep;
  return cutoff - ranges[0][0] >= chunk && cutoff > 0 ? cutoff : null;
}

/** Native HLS is placed this far before the end of what it can seek to. */
export const NATIVE_EDGE_S = 1;
/** Before its first picture native HLS goes to the edge when more than this behind it… */
export const NATIVE_START_BEHIND_S = 1.5;
/** …and while playing when more than this (two 2-second segments and a bit: no seeking back and forth). */
export const NATIVE_MAX_BEHIND_S = 5;
/**
 * Where a native HLS player should jump to stay near the live edge: `NATIVE_EDGE_S` before the end
 * of its seekable range when more than NATIVE_START_BEHIND_S behind it before the first picture
 * (`playing` false), or NATIVE_MAX_BEHIND_S later; null otherwise. Only where the browser can seek
 * in a live stream (Safari): Chromium's HLS reports no seekable range live and ignores seeks there
 * (and restarts the stream when its playback rate changes), so it keeps its own start, a few
 * segments back.
 */
export function nativeEdgeJump(seekable: readonly Range[], currentTime: number, playing: boolean): number | null {
  if (seekable.length === 0) return null;
  const [start, end] = seekable[seekable.length - 1];
  if (!Number.isFinite(end) || end <= start) return null;
  if (end - currentTime <= (playing ? NATIVE_MAX_BEHIND_S : NATIVE_START_BEHIND_S)) return null;
  return Math.max(start, end - NATIVE_EDGE_S);
}
