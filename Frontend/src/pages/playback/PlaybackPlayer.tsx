/**
 * The recorded-video stage: two stacked `<video>` elements driven by a SegmentPlayer (one plays,
 * the other preloads the next segment). The page gets the player through `onPlayer` and its
 * state through `onState`; the stage shows calm overlays before the first seek and when the
 * day's footage runs out. Clicking the picture plays or pauses. `children` lie over the
 * picture, under the labels (the detection overlay).
 *
 * The picture zoom (usePictureZoom.ts) draws both videos with the same transform, so the preloaded
 * segment comes on screen as zoomed as the one before; the wheel zooms, a drag pans (and is not a
 * click), and the zoom controls sit in the top-right corner while footage shows. While Live
 * follows the footage being recorded, the label says so. The stage carries
 * data-zoom (the magnification) and data-transform ("scale,x,y" in CSS pixels) for tests and tools.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { PictureZoomControls } from './PictureZoomControls';
import { transformStyle } from './pictureZoom';
import { SegmentPlayer, type PlayerState } from './segmentPlayer';
import type { PictureZoomControl } from './usePictureZoom';

interface Props {
  onPlayer: (player: SegmentPlayer | null) => void;
  onState: (state: PlayerState) => void;
  state: PlayerState | null;
  /** What to say before anything plays. */
  idleText: string;
  cameraName: string | null;
  /** Live: the stage says it follows the footage being recorded. */
  following: boolean;
  muted: boolean;
  onToggle: () => void;
  zoom: PictureZoomControl;
  children?: ReactNode;
}

export function PlaybackPlayer({ onPlayer, onState, state, idleText, cameraName, following, muted, onToggle, zoom, children }: Props) {
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
  const { transform } = zoom.view;
  const zoomed = zoom.zoom.scale > 1;
  return (
    <div
      ref={zoom.stageRef}
      className={`playback-stage${zoomed ? ' zoomed' : ''}${zoom.dragging ? ' dragging' : ''}`}
      data-testid="playback-stage"
      data-playing={state?.playing ? 'true' : 'false'}
      data-zoom={Math.round(zoom.zoom.scale * 1000) / 1000}
      data-transform={[transform.scale, transform.x, transform.y].map((v) => Math.round(v * 100) / 100).join(',')}
      {...zoom.panHandlers}
    >
      {[first, second].map((ref, index) => (
        <video
          key={index}
          ref={ref}
          className="playback-video"
          data-testid="playback-video"
          playsInline
          preload="metadata"
          style={{ transform: transformStyle(transform) }}
          onClick={() => {
            if (!zoom.takeDrag()) onToggle();
          }}
        />
      ))}
      {!idle && children}
      {cameraName && !idle && (
        <div className="playback-stage-label">
          {cameraName}
          {following && (
            <span className="playback-stage-live" data-testid="stage-live">
              Live
            </span>
          )}
        </div>
      )}
      {!idle && <PictureZoomControls scale={zoom.zoom.scale} onZoom={zoom.zoomBy} onReset={zoom.reset} />}
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
