/**
 * A `<video>` playing one camera stream live: over the camera's WebSocket (player/wsPlayer.ts) by
 * default, or HLS through the browser's own player or our MSE player (player/livePlayer.ts
 * chooses). When the WebSocket player gives way (refused, a codec MSE cannot play, no media), the
 * HLS player takes over for this stream. The player is created when the stream changes and
 * destroyed on unmount, so switching sub-stream <-> main stream or leaving the page stops all its
 * requests. `muted` is applied to the element directly (React's `muted` prop only sets the initial
 * value).
 *
 * The element says what runs: `data-player` (`ws`, `hls-native` or `hls-mse`), `data-src` (the
 * socket or playlist address), and `data-fallback` (why the WebSocket gave way, when it did).
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, useState, type CSSProperties } from 'react';
import { livePlaylistUrl, liveSocketUrl, type LiveStream } from '../api/live';
import { choosePlayer, type LivePlayer, type PlaybackState, type PlayerKind } from '../player/livePlayer';
import { MseLivePlayer } from '../player/msePlayer';
import { NativeHlsPlayer } from '../player/nativePlayer';
import { WsLivePlayer } from '../player/wsPlayer';

interface LiveVideoProps {
  cameraId: string;
  stream: LiveStream;
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
  { cameraId, stream, muted, className, style, onPlayback, onAutoplayMuted, testId = 'live-video' },
  ref,
) {
  const videoRef = useRef<HTMLVideoElement>(null);
  useImperativeHandle<HTMLVideoElement | null, HTMLVideoElement | null>(ref, () => videoRef.current, []);
  const [running, setRunning] = useState<{ kind: PlayerKind; url: string; fallbackReason?: string } | null>(null);
  /** The WebSocket player gave way for the stream `key`: play it with `kind` (HLS). */
  const [fallback, setFallback] = useState<{ key: string; kind: PlayerKind; reason: string } | null>(null);
  const key = `${cameraId}/${stream}`;
  const onPlaybackRef = useRef(onPlayback);
  onPlaybackRef.current = onPlayback;
  const onAutoplayMutedRef = useRef(onAutoplayMuted);
  onAutoplayMutedRef.current = onAutoplayMuted;

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const report = (state: PlaybackState, detail?: string) => onPlaybackRef.current?.(state, detail);
    const choice = choosePlayer(video);
    const handedOver = fallback && fallback.key === key ? fallback : null;
    const kind = handedOver ? handedOver.kind : choice.kind;
    const playlist = livePlaylistUrl(cameraId, stream);
    let player: LivePlayer;
    let url = playlist;
    if (kind === 'ws') {
      url = liveSocketUrl(window.location, cameraId, stream);
      const next = choice.fallback;
      player = new WsLivePlayer(video, url, report, next ? (reason) => setFallback({ key, kind: next, reason }) : null);
    } else if (kind === 'hls-mse') {
      player = new MseLivePlayer(video, playlist, report);
    } else {
      player = new NativeHlsPlayer(video, playlist, report);
    }
    setRunning({ kind: player.kind, url, fallbackReason: handedOver?.reason });
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
  }, [key, fallback]);

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
  }, [muted, key, running]);

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
      data-player={running?.kind}
      data-src={running?.url}
      data-fallback={running?.fallbackReason}
    />
  );
});
