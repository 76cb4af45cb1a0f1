/**
 * A camera pipeline's state as a coloured badge (Recording, Live, Starting, Reconnecting, Error,
 * Stopped). The last error, when there is one, is the tooltip.
 */
import type { CameraStatus } from '../api/types';

const LABELS: Record<string, string> = {
  starting: 'Starting',
  recording: 'Recording',
  live: 'Live',
  reconnecting: 'Reconnecting',
  error: 'Error',
  stopped: 'Stopped',
};

export function stateLabel(state: string): string {
  return LABELS[state] ?? state.charAt(0).toUpperCase() + state.slice(1);
}

/** True for the states in which the camera has a problem worth showing its last error for. */
export function isTroubled(state: string): boolean {
  return state === 'error' || state === 'reconnecting';
}

interface Props {
  status: Pick<CameraStatus, 'state' | 'last_error' | 'enabled'> | null | undefined;
  className?: string;
  testId?: string;
}

export function CameraStateBadge({ status, className, testId = 'camera-state' }: Props) {
  if (!status) {
    return (
      <span className={`state-badge state-unknown${className ? ' ' + className : ''}`} data-testid={testId} data-state="unknown">
        …
      </span>
    );
  }
  const state = !status.enabled && status.state === 'stopped' ? 'disabled' : status.state;
  const label = state === 'disabled' ? 'Disabled' : stateLabel(state);
  return (
    <span
      className={`state-badge state-${state}${className ? ' ' + className : ''}`}
      title={status.last_error ? `${label}: ${status.last_error}` : label}
      data-testid={testId}
      data-state={status.state}
    >
      {label}
    </span>
  );
}
