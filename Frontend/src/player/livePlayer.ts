/**
 * What the live players (the WebSocket player, native HLS and our MSE HLS player) share: the state
 * they report, the reconnect backoff, and the choice between them (pure in `pickPlayer`).
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

/** A running player bound to one <video> element and one camera stream. */
export interface LivePlayer {
  readonly kind: PlayerKind;
  /** Stops all network activity and timers and detaches from the element. Idempotent. */
  destroy(): void;
}

/**
 * Which player runs, as `data-player` on the <video> says:
 * - `ws`: fragmented MP4 over the camera's live WebSocket into MSE (wsPlayer.ts), the default;
 * - `hls-native`: the browser's own HLS (nativePlayer.ts), the fallback where it has one;
 * - `hls-mse`: our HLS player over MSE (msePlayer.ts), the fallback elsewhere.
 */
export type PlayerKind = 'ws' | 'hls-native' | 'hls-mse';

/** Delay before retry number `attempt` (1-based): 1 s doubling to 10 s, with ±20 % jitter. */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(10_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** What the browser offers the players. */
export interface PlayerAbilities {
  /** `MediaSource`, or `ManagedMediaSource` (iOS Safari), exists. */
  mediaSource: boolean;
  /** The <video> element plays HLS itself (`canPlayType('application/vnd.apple.mpegurl')`). */
  nativeHls: boolean;
  /** The classic `MediaSource` our HLS player needs (not only iOS's ManagedMediaSource). */
  classicMediaSource?: boolean;
}

/** A forced choice: a player, `hls` (whichever HLS player fits), or null for the automatic one. */
export type PlayerSetting = PlayerKind | 'hls' | null;

/**
 * Reads a `?player=` or stored value: `ws`; `hls`; `native` or `hls-native`; `mse` or `hls-mse`;
 * anything else (`auto`, nothing) is the automatic choice.
 */
export function parsePlayerSetting(value: string | null): PlayerSetting {
  switch (value) {
    case 'ws':
    case 'hls':
      return value;
    case 'native':
    case 'hls-native':
      return 'hls-native';
    case 'mse':
    case 'hls-mse':
      return 'hls-mse';
    default:
      return null;
  }
}

/**
 * The HLS player: the one forced if the browser has it; else ours wherever the classic
 * MediaSource exists, because it starts at the live edge (Chromium's own HLS starts segments
 * back and cannot be seeked forward); else native HLS (iOS), else ours.
 */
export function hlsPlayer(abilities: PlayerAbilities, forced: PlayerSetting = null): PlayerKind {
  if (forced === 'hls-mse' && abilities.mediaSource) return 'hls-mse';
  if (forced === 'hls-native' && abilities.nativeHls) return 'hls-native';
  if (abilities.classicMediaSource) return 'hls-mse';
  return abilities.nativeHls ? 'hls-native' : 'hls-mse';
}

/** The player to start with and the one to fall back to when the WebSocket does not work (or null). */
export interface PlayerChoice {
  kind: PlayerKind;
  fallback: PlayerKind | null;
}

/**
 * The choice, pure: the WebSocket wherever MSE exists (unless the server refused it a moment ago),
 * with HLS as its fallback; HLS elsewhere. A forced `ws` has no fallback (it shows its failures);
 * a forced HLS player is used as long as the browser has it.
 */
export function pickPlayer(forced: PlayerSetting, abilities: PlayerAbilities, webSocketRefused = false): PlayerChoice {
  if (forced === 'ws' && abilities.mediaSource) return { kind: 'ws', fallback: null };
  if (forced === 'hls' || forced === 'hls-native' || forced === 'hls-mse') return { kind: hlsPlayer(abilities, forced), fallback: null };
  if (abilities.mediaSource && !webSocketRefused) return { kind: 'ws', fallback: hlsPlayer(abilities) };
  return { kind: hlsPlayer(abilities), fallback: null };
}

/** A server that refused the WebSocket is asked again only after this long (HLS meanwhile). */
const REFUSAL_MEMORY_MS = 5 * 60_000;
let webSocketRefusedAt: number | null = null;

/** The server refused the live WebSocket (LIVE_WEBSOCKET=false, an older server): other views go straight to HLS. */
export function noteWebSocketRefused(now = Date.now()): void {
  webSocketRefusedAt = now;
}

function webSocketRefusedRecently(now = Date.now()): boolean {
  return webSocketRefusedAt !== null && now - webSocketRefusedAt < REFUSAL_MEMORY_MS;
}

/** `MediaSource`, else `ManagedMediaSource` (iOS Safari 17+), else null. */
export function mediaSourceClass(): typeof MediaSource | null {
  const scope = window as unknown as { MediaSource?: typeof MediaSource; ManagedMediaSource?: typeof MediaSource };
  return scope.MediaSource ?? scope.ManagedMediaSource ?? null;
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
 * The player for `video`. `?player=ws|hls|native|mse|auto` in the address (remembered for the tab
 * in sessionStorage; `auto` forgets it) or localStorage `ronin.player` forces one; otherwise the
 * WebSocket where MSE exists, falling back to HLS (see pickPlayer).
 */
export function choosePlayer(video: HTMLVideoElement): PlayerChoice {
  const fromUrl = new URLSearchParams(window.location.search).get('player');
  if (fromUrl) {
    try {
      if (fromUrl === 'auto') window.sessionStorage.removeItem(STORAGE_KEY);
      else window.sessionStorage.setItem(STORAGE_KEY, fromUrl);
    } catch {
      /* storage unavailable */
    }
  }
  const forced = parsePlayerSetting(fromUrl ?? readSetting(() => window.sessionStorage) ?? readSetting(() => window.localStorage));
  const abilities = {
    mediaSource: mediaSourceClass() !== null,
    nativeHls: video.canPlayType('application/vnd.apple.mpegurl') !== '',
    classicMediaSource: typeof (window as unknown as { MediaSource?: unknown }).MediaSource !== 'undefined',
  };
  return pickPlayer(forced, abilities, webSocketRefusedRecently());
}
