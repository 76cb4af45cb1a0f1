/**
 * Live HLS through the browser's own player (`<video src="...m3u8">`). Media requests carry the
 * HttpOnly session cookie, which the server accepts on GET. The browser does the HLS work; we add
 * what it does not: a check that the stream is live before each (re)load (for a readable reason
 * when it is not), a start at the live edge where the browser can seek live (Safari; it would
 * begin a few segments back), retry with backoff after an error (camera offline, playlist not there
 * yet), and a watchdog that reloads when the picture stops advancing.
 */
import { fetchLivePlaylist } from './fetchPlaylist';
import { nativeEdgeJump, type Range } from './liveEdge';
import { backoffMs, type LivePlayer, type PlaybackListener } from './livePlayer';

/** Reload when the playhead has not moved for this long while it should play. */
const STALL_MS = 12_000;
const WATCH_INTERVAL_MS = 2000;
/** When the browser may know more of the stream: look at the live edge again. */
const EDGE_EVENTS = ['loadedmetadata', 'canplay', 'progress'] as const;

export class NativeHlsPlayer implements LivePlayer {
  readonly kind = 'hls-native' as const;
  private destroyed = false;
  private attempt = 0;
  private retryTimer: number | null = null;
  private watchTimer: number | null = null;
  private lastTime = -1;
  private lastProgressAt = Date.now();
  private playing = false;
  private check: AbortController | null = null;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly url: string,
    private readonly onState: PlaybackListener,
  ) {
    video.addEventListener('error', this.handleError);
    video.addEventListener('timeupdate', this.handleProgress);
    for (const event of EDGE_EVENTS) video.addEventListener(event, this.goLive);
    this.onState('connecting');
    this.load();
    this.watchTimer = window.setInterval(this.watch, WATCH_INTERVAL_MS);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.check?.abort();
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    if (this.watchTimer !== null) window.clearInterval(this.watchTimer);
    this.video.removeEventListener('error', this.handleError);
    this.video.removeEventListener('timeupdate', this.handleProgress);
    for (const event of EDGE_EVENTS) this.video.removeEventListener(event, this.goLive);
    this.video.removeAttribute('src');
    this.video.load();
  }

  /** Checks that the stream is live (through our client, for a useful error), then hands it to the browser. */
  private load(): void {
    this.lastProgressAt = Date.now();
    this.lastTime = -1;
    const check = new AbortController();
    this.check = check;
    fetchLivePlaylist(this.url, check.signal).then(
      () => {
        if (this.destroyed || check.signal.aborted) return;
        this.lastProgressAt = Date.now();
        this.video.src = this.url;
        this.video.play().catch(() => undefined);
      },
      (err: unknown) => {
        if (this.destroyed || check.signal.aborted) return;
        this.scheduleRetry(err instanceof Error ? err.message : String(err));
      },
    );
  }

  /**
   * Keeps the playhead near the live edge where the browser can seek in the stream (liveEdge.ts):
   * it would start a few segments back.
   */
  private goLive = () => {
    const seekable = this.video.seekable;
    const ranges = Array.from({ length: seekable.length }, (_, i) => [seekable.start(i), seekable.end(i)] as Range);
    const to = nativeEdgeJump(ranges, this.video.currentTime, this.playing);
    if (to !== null) this.video.currentTime = to;
  };

  private handleProgress = () => {
    const t = this.video.currentTime;
    if (t !== this.lastTime) {
      this.lastTime = t;
      this.lastProgressAt = Date.now();
      if (t > 0 && !this.playing) {
        this.playing = true;
        this.attempt = 0;
        this.onState('playing');
      }
    }
  };

  private handleError = () => {
    const code = this.video.error?.code;
    this.scheduleRetry(code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED ? 'The live stream is not available' : 'The live stream failed');
  };

  private watch = () => {
    if (this.destroyed || this.retryTimer !== null) return;
    if (this.video.paused && this.playing) this.video.play().catch(() => undefined);
    if (Date.now() - this.lastProgressAt > STALL_MS) this.scheduleRetry('The live stream stalled');
  };

  private scheduleRetry(reason: string): void {
    if (this.destroyed || this.retryTimer !== null) return;
    this.attempt += 1;
    this.playing = false;
    this.onState('reconnecting', reason);
    this.video.removeAttribute('src');
    this.video.load();
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = null;
      if (!this.destroyed) this.load();
    }, backoffMs(this.attempt));
  }
}
