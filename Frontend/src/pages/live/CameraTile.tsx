/**
 * One camera on the Live View: the video (sub-stream in the grid when the camera has one, main
 * stream enlarged or with sound), its name and pipeline state on top with what live detection
 * sees ("person ×2") under them, the last error when the camera is in trouble, and the controls
 * (sound, enlarge; zoom when enlarged). In the grid a click anywhere on the picture enlarges it.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import { chooseStream } from '../../api/live';
import type { Camera, CameraStatus } from '../../api/types';
import { CameraStateBadge, isTroubled } from '../../components/CameraStateBadge';
import { ExpandIcon, ResetIcon, SpeakerIcon, ZoomIcon } from '../../components/icons';
import { LiveVideo } from '../../components/LiveVideo';
import { Spinner } from '../../components/Status';
import { presenceLabel, type SeenObjects } from '../../events/presence';
import type { PlaybackState } from '../../player/livePlayer';
import { useZoom, viewTransform } from './zoom';

interface CameraTileProps {
  camera: Camera;
  status: CameraStatus | undefined;
  enlarged: boolean;
  audioOn: boolean;
  onToggleAudio: (on: boolean) => void;
  onEnlarge?: () => void;
  /** What live detection sees on the camera now. */
  seen: SeenObjects;
}

/** Why there is no picture to try, or null when the camera should be streaming. */
function offlineReason(camera: Camera, status: CameraStatus | undefined): string | null {
  if (!camera.enabled) return 'Camera disabled';
  if (status?.state === 'stopped') return 'Not streaming';
  return null;
}

export function CameraTile({ camera, status, enlarged, audioOn, onToggleAudio, onEnlarge, seen }: CameraTileProps) {
  const frameRef = useRef<HTMLDivElement>(null);
  const [playback, setPlayback] = useState<{ state: PlaybackState; detail?: string }>({ state: 'connecting' });
  /** Sound is wanted but the browser refused it until the user interacts with the page. */
  const [soundBlocked, setSoundBlocked] = useState(false);
  /** Whether this tile has shown moving pictures since it mounted (then a failure is a reconnect). */
  const [hasPlayed, setHasPlayed] = useState(false);
  const zoom = useZoom(frameRef, enlarged);
  const canHear = camera.audio_enabled;
  /** Sound wanted for this camera (a stored choice counts only while the camera has audio). */
  const hearing = audioOn && canHear;
  const stream = chooseStream(camera, enlarged, hearing);
  const offline = offlineReason(camera, status);
  // A camera that is not streaming sees nothing, whatever the last message said.
  const detected = offline ? '' : presenceLabel(seen);
  const problem = status && isTroubled(status.state) ? status.last_error : null;
  // Before the first picture, a missing playlist just means the pipeline is still starting.
  const reconnecting = playback.state === 'reconnecting' && (hasPlayed || Boolean(status && isTroubled(status.state)));

  const enlargeOnKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (onEnlarge && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      onEnlarge();
    }
  };

  const gridProps = onEnlarge
    ? { role: 'button', tabIndex: 0, 'aria-label': `Enlarge ${camera.name}`, onClick: onEnlarge, onKeyDown: enlargeOnKey }
    : {};

  return (
    <div
      className={`live-cell${enlarged ? ' live-cell-enlarged' : ''}`}
      data-testid="live-cell"
      data-camera-id={camera.id}
      data-camera-name={camera.name}
      data-stream={stream}
      data-state={status?.state ?? 'unknown'}
      data-playback={offline ? 'offline' : playback.state === 'reconnecting' && !reconnecting ? 'connecting' : playback.state}
      data-audio={hearing ? 'on' : 'off'}
    >
      <div
        ref={frameRef}
        className={`live-frame${zoom.view.scale > 1 ? ' zoomed' : ''}${zoom.dragging ? ' dragging' : ''}`}
        data-testid="live-frame"
        {...gridProps}
        {...(enlarged ? zoom.panHandlers : {})}
      >
        {offline ? (
          <div className="live-placeholder" data-testid="live-offline">
            {offline}
          </div>
        ) : (
          <>
            <LiveVideo
              cameraId={camera.id}
              stream={stream}
              muted={!hearing || soundBlocked}
              className="live-video"
              style={{ transform: viewTransform(zoom.view) }}
              onPlayback={(state, detail) => {
                setPlayback({ state, detail });
                if (state === 'playing') setHasPlayed(true);
              }}
              onAutoplayMuted={() => setSoundBlocked(true)}
            />
            {playback.state !== 'playing' && (
              <div className="live-overlay" data-testid="live-overlay">
                {playback.state === 'unsupported' ? (
                  <span>{playback.detail ?? 'This browser cannot play the stream.'}</span>
                ) : (
                  <>
                    <Spinner />
                    <span>{reconnecting ? 'Reconnecting…' : 'Connecting…'}</span>
                    {reconnecting && playback.detail && <span className="live-overlay-detail">{playback.detail}</span>}
                    {!reconnecting && status?.state === 'starting' && <span className="live-overlay-detail">Waiting for the camera's stream</span>}
                  </>
                )}
              </div>
            )}
          </>
        )}
      </div>

      <div className="live-cell-top">
        <span className="live-cell-name" data-testid="live-cell-name" title={camera.name}>
          {camera.name}
        </span>
        <CameraStateBadge status={status} className="live-cell-state" testId="live-cell-state" />
      </div>
      {detected && (
        <span className="live-cell-detections" data-testid="live-detections" data-objects={JSON.stringify(seen)} title={`Live detection sees ${detected}`}>
          {detected}
        </span>
      )}

      <div className="live-cell-bottom">
        {problem ? (
          <span className="live-cell-error" data-testid="live-cell-error" title={problem}>
            {problem}
          </span>
        ) : (
          <span />
        )}
        <div className="live-controls" onClick={(e) => e.stopPropagation()}>
          {enlarged && !offline && (
            <>
              <span className="zoom-level" data-testid="zoom-level">
                {zoom.view.scale.toFixed(1)}×
              </span>
              <button type="button" className="live-button" onClick={zoom.zoomOut} disabled={zoom.view.scale <= 1} aria-label="Zoom out" title="Zoom out" data-testid="zoom-out">
                <ZoomIcon direction="out" />
              </button>
              <button type="button" className="live-button" onClick={zoom.zoomIn} aria-label="Zoom in" title="Zoom in (or use the mouse wheel)" data-testid="zoom-in">
                <ZoomIcon direction="in" />
              </button>
              <button type="button" className="live-button" onClick={zoom.reset} disabled={zoom.view.scale <= 1} aria-label="Reset zoom" title="Reset zoom" data-testid="zoom-reset">
                <ResetIcon />
              </button>
            </>
          )}
          {canHear && !offline && audioOn && soundBlocked && (
            <span className="sound-hint" data-testid="sound-hint">
              Click for sound
            </span>
          )}
          {canHear && !offline && (
            <button
              type="button"
              className={`live-button${audioOn ? (soundBlocked ? ' live-button-blocked' : ' live-button-on') : ''}`}
              onClick={() => {
                if (audioOn && soundBlocked) {
                  setSoundBlocked(false); // this click is the gesture the browser waited for
                } else {
                  setSoundBlocked(false);
                  onToggleAudio(!audioOn);
                }
              }}
              aria-pressed={audioOn && !soundBlocked}
              aria-label={audioOn && !soundBlocked ? `Mute ${camera.name}` : `Unmute ${camera.name}`}
              title={
                audioOn ? (soundBlocked ? 'The browser held back the sound until you click: click for sound' : 'Sound on: click to mute') : 'Muted: click for sound'
              }
              data-testid="audio-toggle"
              data-sound-blocked={soundBlocked ? 'true' : 'false'}
            >
              <SpeakerIcon on={audioOn && !soundBlocked} />
            </button>
          )}
          {onEnlarge && (
            <button type="button" className="live-button" onClick={onEnlarge} aria-label={`Enlarge ${camera.name}`} title="Enlarge" data-testid="enlarge-button">
              <ExpandIcon />
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
