/**
 * The controls under the picture: play/pause and steps, sound, Live (a few seconds before now,
 * following the footage as it is recorded; pressed while following), the instant on screen in
 * local time, and the ruler's zoom.
 */
import { SpeakerIcon, ZoomIcon } from '../../components/icons';
import { localDate, localTime } from './zoneTime';

interface Props {
  tz: string;
  instant: number | null;
  playing: boolean;
  canPlay: boolean;
  onTogglePlay: () => void;
  onStep: (seconds: number) => void;
  zoomLabel: string;
  onZoom: (direction: 1 | -1) => void;
  onWholeDay: () => void;
  muted: boolean;
  onMuted: (muted: boolean) => void;
  following: boolean;
  onLive: () => void;
  canLive: boolean;
}

export function TransportBar(props: Props) {
  const { tz, instant, playing, canPlay } = props;
  return (
    <div className="transport" role="toolbar" aria-label="Playback controls" data-testid="transport">
      <div className="transport-group">
        <button type="button" className="button button-small" onClick={() => props.onStep(-10)} disabled={!canPlay} title="Back 10 s (←)" data-testid="step-back">
          −10s
        </button>
        <button
          type="button"
          className="button button-small button-primary transport-play"
          onClick={props.onTogglePlay}
          disabled={!canPlay}
          aria-label={playing ? 'Pause' : 'Play'}
          title={playing ? 'Pause (Space)' : 'Play (Space)'}
          data-testid="play-toggle"
          data-playing={playing}
        >
          {playing ? '❚❚' : '▶'}
        </button>
        <button type="button" className="button button-small" onClick={() => props.onStep(10)} disabled={!canPlay} title="Forward 10 s (→)" data-testid="step-forward">
          +10s
        </button>
        <button
          type="button"
          className={`button button-small${props.muted ? '' : ' active'}`}
          onClick={() => props.onMuted(!props.muted)}
          aria-pressed={!props.muted}
          aria-label={props.muted ? 'Sound on' : 'Sound off'}
          title={props.muted ? 'Sound on' : 'Sound off'}
          data-testid="sound-toggle"
        >
          <SpeakerIcon on={!props.muted} />
        </button>
        <button
          type="button"
          className={`button button-small transport-live${props.following ? ' following' : ''}`}
          onClick={props.onLive}
          disabled={!props.canLive}
          aria-pressed={props.following}
          title={props.following ? 'Following the footage being recorded (L)' : 'Play the last seconds and follow them (L)'}
          data-testid="go-live"
          data-following={props.following}
        >
          Live
        </button>
      </div>
      <div className="transport-clock" data-testid="playback-instant" data-instant={instant === null ? '' : Math.round(instant)}>
        {instant === null ? (
          <span className="muted">--:--:--</span>
        ) : (
          <>
            <span className="transport-time">{localTime(instant, tz)}</span>
            <span className="transport-date">{localDate(instant, tz)}</span>
          </>
        )}
      </div>
      <div className="transport-group transport-zoom-group">
        <button type="button" className="button button-small" onClick={() => props.onZoom(-1)} aria-label="Zoom out" title="Zoom out (−)" data-testid="ruler-zoom-out">
          <ZoomIcon direction="out" />
        </button>
        <span className="transport-zoom" data-testid="ruler-zoom-level">
          {props.zoomLabel}
        </span>
        <button type="button" className="button button-small" onClick={() => props.onZoom(1)} aria-label="Zoom in" title="Zoom in (+)" data-testid="ruler-zoom-in">
          <ZoomIcon direction="in" />
        </button>
        <button type="button" className="button button-small" onClick={props.onWholeDay} title="Show the whole day" data-testid="ruler-whole-day">
          Day
        </button>
      </div>
    </div>
  );
}
