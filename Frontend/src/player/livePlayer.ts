/**
 * What both live players (native HLS and our MSE player) share: the state they report, the
 * reconnect backoff, and the choice between them.
 */

/**
 * - `connecting`: first load, nothing shown yet.
 * - `playing`: frames are advancing.
 * - `reconnecting`: the stream failed or stalled (camera offline, pipeline restarting); retrying
 *   with backoff. `detail` says why.
 * - `unsupported`: this browser cannot play the stream (codec); not retried.
 */
export type PlaybackState = 'connecting' | 'playing' | 'reconnecting' | 'unsupported';

export type PlaybackListener = (state: PlaybackState, detail?: string) => void;

/** A running player bound to one <video> element and one playlist. */
export interface LivePlayer {
  readonly kind: PlayerKind;
  /** Stops all network activity and timers and detaches from the element. Idempotent. */
  destroy(): void;
}

export type PlayerKind = 'native' | 'mse';

/** Delay before retry number `attempt` (1-based): 1 s doubling to 10 s, with ±20 % jitter. */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(10_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

const STORAGE_KEY = 'ronin.player';

function readSetting(storage: () => Storage): string | null {
  try {
    return storage().getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/**
 * The player to use. `?player=mse|native|auto` in the address (remembered for the tab in
 * sessionStorage) or localStorage `ronin.player` forces one; otherwise native HLS where the
 * browser has it (Safari, recent Chromium), else our MSE player.
 */
export function choosePlayer(video: HTMLVideoElement): PlayerKind {
  const fromUrl = new URLSearchParams(window.location.search).get('player');
  if (fromUrl) {
    try {
      if (fromUrl === 'auto') window.sessionStorage.removeItem(STORAGE_KEY);
      else window.sessionStorage.setItem(STORAGE_KEY, fromUrl);
    } catch {
      /* storage unavailable */
    }
  }
  const forced = fromUrl ?? readSetting(() => window.sessionStorage) ?? readSetting(() => window.localStorage);
  const hasMse = typeof window.MediaSource !== 'undefined';
  const hasNative = video.canPlayType('application/vnd.apple.mpegurl') !== '';
  if (forced === 'mse' && hasMse) return 'mse';
  if (forced === 'native' && hasNative) return 'native';
  if (hasNative) return 'native';
  return 'mse';
}
