/**
 * The Playback page's Live mode (followLive.ts decides): `start()` plays a few seconds before now
 * on the player's segments and follows the live edge, jumping back to it about once a second's
 * check finds the picture too far behind; `viewerDid(action)` ends it when the viewer seeks,
 * steps, pauses or picks another camera or day. A jump that finds no footage (the camera stopped recording) ends
 * following.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { endsFollowing, followStep, liveInstant, type ViewerAction } from './followLive';
import type { SegmentPlayer } from './segmentPlayer';

const CHECK_MS = 1000;

export interface FollowLive {
  following: boolean;
  /** Plays the live edge and follows it; false when there is no footage near now. */
  start: () => boolean;
  /** Tells what the viewer did; most of it ends following. */
  viewerDid: (action: ViewerAction) => void;
}

export function useFollowLive(player: SegmentPlayer | null): FollowLive {
  const [following, setFollowing] = useState(false);
  const lastJump = useRef<number | null>(null);

  useEffect(() => {
    if (!following || !player) return;
    const timer = window.setInterval(() => {
      const now = Date.now();
      const step = followStep(now, player.instantNow(), lastJump.current);
      if (step.kind !== 'jump') return;
      lastJump.current = now;
      if (!player.seek(step.to)) setFollowing(false);
    }, CHECK_MS);
    return () => window.clearInterval(timer);
  }, [following, player]);

  // Another player (the stage was rebuilt) follows nothing.
  useEffect(() => setFollowing(false), [player]);

  const start = useCallback(() => {
    if (!player) return false;
    const now = Date.now();
    lastJump.current = now;
    const found = player.seek(liveInstant(now));
    setFollowing(found);
    return found;
  }, [player]);

  const viewerDid = useCallback((action: ViewerAction) => {
    if (endsFollowing(action)) setFollowing(false);
  }, []);

  return { following, start, viewerDid };
}
