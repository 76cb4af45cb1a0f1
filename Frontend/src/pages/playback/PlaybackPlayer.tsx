/**
 * The recorded-video stage: two stacked `<video>` elements driven by a SegmentPlayer (one plays,
 * the other preloads the next segment). The page gets the player through `onPlayer` and its
 * state through `onState`; the stage shows calm overlays before the first seek and when the
 * day's footage runs out. Clicking the picture plays or pauses. `children` lie over the
 * picture, under the labels (the detection overlay).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { SegmentPlayer, type PlayerState } from './segmentPlayer';

interface Props {
  onPlayer: (player: SegmentPlayer | null) => void;
  onState: (state: PlayerState) => void;
  state: PlayerState | null;
  /** What to say before anything plays. */
  idleText: string;
  cameraName: string | null;
  muted: boolean;
  onToggle: () => void;
  children?: ReactNode;
}

export function PlaybackPlayer({ onPlayer, onState, state, idleText, cameraName, muted, onToggle, children }: Props) {
  const first = useRef<HTMLVideoElement>(null);
  const second = useRef<HTMLVideoElement>(null);
  const onStateRef = useRef(onState);
  onStateRef.current = onState;

  useEffect(() => {
    if (!first.current || !second.current) return;
    const player = new SegmentPlayer([first.current, second.current], (s) => onStateRef.current(s));
    onPlayer(player);
    return () => {
      onPlayer(null);
      player.destroy();
    };
  }, [onPlayer]);

  useEffect(() => {
    for (const video of [first.current, second.current]) if (video) video.muted = muted;
  }, [muted]);

  const idle = !state?.segment;
  return (
    <div className="playback-stage" data-testid="playback-stage" data-playing={state?.playing ? 'true' : 'false'}>
      {[first, second].map((ref, index) => (
        <video
          key={index}
          ref={ref}
          className="playback-video"
          data-testid="playback-video"
          playsInline
          preload="metadata"
          onClick={onToggle}
        />
      ))}
      {!idle && children}
      {cameraName && !idle && <div className="playback-stage-label">{cameraName}</div>}
      {idle && (
        <div className="playback-overlay" data-testid="playback-idle">
          <span>{idleText}</span>
        </div>
      )}
      {state?.message && !idle && (
        <div className="playback-overlay playback-overlay-note" role="status" data-testid="playback-message">
          <span>{state.message}</span>
        </div>
      )}
    </div>
  );
}
