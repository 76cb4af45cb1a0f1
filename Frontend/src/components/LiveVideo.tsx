/**
 * A `<video>` playing one live HLS playlist through the native player or our MSE player
 * (player/livePlayer.ts decides). The player is created when `src` changes and destroyed on
 * unmount, so switching sub-stream <-> main stream or leaving the page stops all its requests.
 * `muted` is applied to the element directly (React's `muted` prop only sets the initial value).
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, useState, type CSSProperties } from 'react';
import { choosePlayer, type LivePlayer, type PlaybackState, type PlayerKind } from '../player/livePlayer';
import { MseLivePlayer } from '../player/msePlayer';
import { NativeHlsPlayer } from '../player/nativePlayer';

interface LiveVideoProps {
  src: string;
  muted: boolean;
  className?: string;
  style?: CSSProperties;
  /** Reported on every change of the player's state. */
  onPlayback?: (state: PlaybackState, detail?: string) => void;
  /** The browser refused to start playback with sound; the video was muted to keep it playing. */
  onAutoplayMuted?: () => void;
  testId?: string;
}

export const LiveVideo = forwardRef<HTMLVideoElement | null, LiveVideoProps>(function LiveVideo(
  { src, muted, className, style, onPlayback, onAutoplayMuted, testId = 'live-video' },
  ref,
) {
  const videoRef = useRef<HTMLVideoElement>(null);
  useImperativeHandle<HTMLVideoElement | null, HTMLVideoElement | null>(ref, () => videoRef.current, []);
  const [kind, setKind] = useState<PlayerKind | null>(null);
  const onPlaybackRef = useRef(onPlayback);
  onPlaybackRef.current = onPlayback;
  const onAutoplayMutedRef = useRef(onAutoplayMuted);
  onAutoplayMutedRef.current = onAutoplayMuted;

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const report = (state: PlaybackState, detail?: string) => onPlaybackRef.current?.(state, detail);
    const chosen = choosePlayer(video);
    const player: LivePlayer = chosen === 'mse' ? new MseLivePlayer(video, src, report) : new NativeHlsPlayer(video, src, report);
    setKind(player.kind);
    // Without a user gesture on the page, browsers refuse to start playback with sound: fall back
    // to muted playback and say so, rather than showing a frozen picture.
    const startPlayback = () => {
      if (!video.paused) return;
      video.play().catch((err: unknown) => {
        if (err instanceof DOMException && err.name === 'NotAllowedError' && !video.muted) {
          video.muted = true;
          video.play().catch(() => undefined);
          onAutoplayMutedRef.current?.();
        }
      });
    };
    video.addEventListener('loadeddata', startPlayback);
    video.addEventListener('canplay', startPlayback);
    return () => {
      video.removeEventListener('loadeddata', startPlayback);
      video.removeEventListener('canplay', startPlayback);
      player.destroy();
    };
  }, [src]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    video.muted = muted;
    if (!muted && video.paused && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
      video.play().catch((err: unknown) => {
        if (err instanceof DOMException && err.name === 'NotAllowedError') {
          video.muted = true;
          video.play().catch(() => undefined);
          onAutoplayMutedRef.current?.();
        }
      });
    }
  }, [muted, src]);

  return (
    <video
      ref={videoRef}
      className={className}
      style={style}
      muted={muted}
      autoPlay
      playsInline
      disablePictureInPicture
      data-testid={testId}
      data-player={kind ?? undefined}
      data-src={src}
    />
  );
});
