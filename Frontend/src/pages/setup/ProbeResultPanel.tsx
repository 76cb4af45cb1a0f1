/**
 * Shows the outcome of "Test connection": codec, resolution, frame rate, audio and elapsed time,
 * or the server's error message. `stale` marks a result whose settings were edited since.
 */
import type { ProbeAudio, ProbeResult } from '../../api/types';
import { Spinner } from '../../components/Status';

export type ProbeState =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'ok'; result: ProbeResult; key: string }
  | { status: 'error'; message: string; key: string };

function formatFps(fps: number): string {
  if (!Number.isFinite(fps) || fps <= 0) return 'unknown frame rate';
  const rounded = Math.round(fps * 100) / 100;
  return `${rounded} fps`;
}

function formatAudio(audio: ProbeAudio | null): string {
  if (!audio) return 'no audio';
  const parts = [audio.codec];
  if (audio.sample_rate) parts.push(audio.sample_rate % 1000 === 0 ? `${audio.sample_rate / 1000} kHz` : `${(audio.sample_rate / 1000).toFixed(1)} kHz`);
  if (audio.channels) parts.push(audio.channels === 1 ? 'mono' : audio.channels === 2 ? 'stereo' : `${audio.channels} channels`);
  return parts.join(' · ');
}

function formatElapsed(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function ProbeResultPanel({ state, stale }: { state: ProbeState; stale: boolean }) {
  if (state.status === 'idle') return null;

  if (state.status === 'running') {
    return (
      <div className="probe-result probe-running" data-testid="probe-result" data-status="running" role="status">
        <Spinner /> Connecting to the camera…
      </div>
    );
  }

  if (state.status === 'error') {
    return (
      <div className="probe-result probe-error" data-testid="probe-result" data-status="error" role="alert">
        <strong>Connection failed</strong>
        <p data-testid="probe-message">{state.message}</p>
        {stale && <p className="probe-stale">Settings changed since this test.</p>}
      </div>
    );
  }

  const { video, audio, elapsed_ms } = state.result;
  return (
    <div className="probe-result probe-ok" data-testid="probe-result" data-status="ok" role="status">
      <strong>Stream OK</strong>
      <dl className="probe-details">
        <dt>Video</dt>
        <dd data-testid="probe-video">
          {video ? `${video.codec} · ${video.width}x${video.height} · ${formatFps(video.fps)}` : 'no video stream'}
        </dd>
        <dt>Audio</dt>
        <dd data-testid="probe-audio">{formatAudio(audio)}</dd>
        <dt>Time</dt>
        <dd data-testid="probe-elapsed">{formatElapsed(elapsed_ms)}</dd>
      </dl>
      {stale && <p className="probe-stale">Settings changed since this test.</p>}
    </div>
  );
}
