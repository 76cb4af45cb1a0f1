/**
 * Following the live edge in Playback: the Live button (or L) jumps to a few seconds before now on
 * the chosen camera and keeps playing the segment being written as it grows. While following,
 * the player falls behind now only by the moments a fresh copy of the file takes to load; once it
 * is more than MAX_LAG_MS behind it jumps to LIVE_LAG_MS before now again, at most once every
 * JUMP_COOLDOWN_MS (so footage that trails now by more, a camera whose clock or upload lags,
 * does not make it jump over and over). A seek, a step or a pause by the viewer ends following.
 *
 * Pure decisions only; the page's hook (useFollowLive) runs them about once a second.
 */

/** Live starts this far behind now: the file holds footage up to about a second before now. */
export const LIVE_LAG_MS = 4000;
/** Further behind now than this, following jumps to the live edge again. */
export const MAX_LAG_MS = 8000;
/** At most one jump this often. */
export const JUMP_COOLDOWN_MS = 8000;

/** The instant the Live button plays. */
export function liveInstant(now: number): number {
  return now - LIVE_LAG_MS;
}

export type FollowStep = { kind: 'stay' } | { kind: 'jump'; to: number };

/**
 * One decision while following: `instant` is what is on screen (null while nothing is), and
 * `lastJumpAt` when following last jumped (null if never).
 */
export function followStep(now: number, instant: number | null, lastJumpAt: number | null): FollowStep {
  if (instant === null) return { kind: 'stay' };
  if (now - instant <= MAX_LAG_MS) return { kind: 'stay' };
  if (lastJumpAt !== null && now - lastJumpAt < JUMP_COOLDOWN_MS) return { kind: 'stay' };
  return { kind: 'jump', to: liveInstant(now) };
}

/** What the viewer did; everything but a play request (or Live itself) ends following. */
export type ViewerAction = 'seek' | 'step' | 'frame' | 'pause' | 'play' | 'camera' | 'day';

export function endsFollowing(action: ViewerAction): boolean {
  return action !== 'play';
}
