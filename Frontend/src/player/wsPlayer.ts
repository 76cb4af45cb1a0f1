/**
 * Live view over the camera's WebSocket (docs/design/live.md): fragmented MP4 into Media Source
 * Extensions (`ManagedMediaSource` where there is no `MediaSource`, iOS Safari), within about a
 * second of the camera.
 *
 * One connection at a time. A text `start` (re)creates the MediaSource and its SourceBuffer for
 * its mime (codecs may change when a camera comes back); the binary messages after it (the init
 * segment, then a fragment per frame) are appended in order. A timer keeps the playhead near the
 * live edge (liveEdge.ts: jump when 3 s behind, play a little faster when half a second behind),
 * removes media 30 s behind and restarts a connection whose picture stalls. `skipped` leaves a
 * hole in the buffer that the playhead steps over; `waiting` (a camera outage) reports
 * `reconnecting` and keeps the socket for the next `start`. A closed socket is opened again after
 * `backoffMs`.
 *
 * Fallback: until the first picture has played, a socket closed before any `start` (the server
 * refused the upgrade: 401/404/426, LIVE_WEBSOCKET=false), a mime the browser cannot play, no media
 * within FIRST_MEDIA_MS (unless the server said `waiting`), a stall or a decode error hand over to
 * HLS through `onFallback`. Without one (a forced `?player=ws`) it retries, or reports
 * `unsupported` for the mime.
 *
 * Invariant: SourceBuffer operations run one at a time from the connection's `pump`, in message
 * order; a connection's work stops when its AbortController fires (`endConnection`), so nothing
 * of an old connection or MediaSource acts on the next one. `destroy()` ends everything.
 */
import { releaseMediaSource } from './releaseMedia';
import { backoffMs, mediaSourceClass, noteWebSocketRefused, type LivePlayer, type PlaybackListener } from './livePlayer';
import { JUMP_TO_S, liveEdgeAction, trimEnd, type Range } from './liveEdge';
import { LiveMessageError, parseLiveMessage, type StartMessage } from './liveMessages';

/** No media this long after connecting (and no `waiting`): the WebSocket does not work here. */
const FIRST_MEDIA_MS = 6000;
/** The picture has not moved for this long while media should flow: reconnect. */
const STALL_MS = 10_000;
const TICK_MS = 250;
/** On a full buffer (QuotaExceededError), keep this much behind the playhead. */
const QUOTA_KEEP_S = 2;

/** Called once, when this player gives way to HLS; `reason` says why (for diagnostics). */
export type FallbackListener = (reason: string) => void;

interface Connection {
  socket: WebSocket;
  abort: AbortController;
  queue: Array<StartMessage | ArrayBuffer>;
  pumping: boolean;
  /** A `start` arrived on this connection. */
  started: boolean;
  /** Media was appended after the latest `start`. */
  media: boolean;
}

class Aborted extends Error {}

/** Resolves on `event`; rejects on `failEvent` or when `signal` aborts. */
function once(target: EventTarget, event: string, signal: AbortSignal, failEvent?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Aborted());
    const finish = (fn: () => void) => () => {
      target.removeEventListener(event, onEvent);
      if (failEvent) target.removeEventListener(failEvent, onFail);
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const onEvent = finish(resolve);
    const onFail = finish(() => reject(new Error(`the browser refused the media (${failEvent})`)));
    const onAbort = finish(() => reject(new Aborted()));
    target.addEventListener(event, onEvent);
    if (failEvent) target.addEventListener(failEvent, onFail);
    signal.addEventListener('abort', onAbort);
  });
}

function rangesOf(buffer: SourceBuffer | null): Range[] {
  const ranges: Range[] = [];
  if (!buffer) return ranges;
  try {
    for (let i = 0; i < buffer.buffered.length; i++) ranges.push([buffer.buffered.start(i), buffer.buffered.end(i)]);
  } catch {
    /* the SourceBuffer left its MediaSource */
  }
  return ranges;
}

export class WsLivePlayer implements LivePlayer {
  readonly kind = 'ws' as const;
  private destroyed = false;
  private connection: Connection | null = null;
  private mediaSource: MediaSource | null = null;
  private objectUrl: string | null = null;
  private buffer: SourceBuffer | null = null;
  /** The playhead has been placed in the media of the current SourceBuffer. */
  private placed = false;
  private attempt = 0;
  private everPlayed = false;
  private playing = false;
  /** The server said the camera's stream is down (`waiting`) and no `start` has come since. */
  private serverWaiting = false;
  private lastTime = -1;
  private lastProgressAt = Date.now();
  private retryTimer: number | null = null;
  private firstMediaTimer: number | null = null;
  private readonly tickTimer: number;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly url: string,
    private readonly onState: PlaybackListener,
    private readonly onFallback: FallbackListener | null = null,
  ) {
    video.addEventListener('timeupdate', this.handleProgress);
    video.addEventListener('waiting', this.keepUp);
    video.addEventListener('error', this.handleVideoError);
    this.onState('connecting');
    this.connect();
    this.tickTimer = window.setInterval(this.tick, TICK_MS);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    window.clearInterval(this.tickTimer);
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.endConnection();
    this.video.removeEventListener('timeupdate', this.handleProgress);
    this.video.removeEventListener('waiting', this.keepUp);
    this.video.removeEventListener('error', this.handleVideoError);
    this.video.playbackRate = 1;
    delete this.video.dataset.mime;
    this.releaseMedia(true);
  }

  // -- the connection -----------------------------------------------------------------------

  private connect(): void {
    this.retryTimer = null;
    if (this.destroyed) return;
    const socket = new WebSocket(this.url);
    socket.binaryType = 'arraybuffer';
    const connection: Connection = { socket, abort: new AbortController(), queue: [], pumping: false, started: false, media: false };
    this.connection = connection;
    this.serverWaiting = false;
    this.lastProgressAt = Date.now();
    socket.onmessage = (event: MessageEvent) => this.handleMessage(connection, event.data);
    socket.onclose = (event: CloseEvent) => this.handleClose(connection, event);
    this.firstMediaTimer = window.setTimeout(() => {
      this.firstMediaTimer = null;
      if (this.connection === connection && !connection.media && !this.serverWaiting) {
        this.failBeforePlaying(`No live video arrived over the WebSocket within ${FIRST_MEDIA_MS / 1000} s`);
      }
    }, FIRST_MEDIA_MS);
  }

  private handleMessage(connection: Connection, data: unknown): void {
    if (this.connection !== connection) return;
    if (data instanceof ArrayBuffer) {
      if (connection.started) this.enqueue(connection, data);
      return;
    }
    let message;
    try {
      message = parseLiveMessage(String(data));
    } catch (err) {
      if (err instanceof LiveMessageError) return this.restart(`The server sent an unreadable message: ${err.message}`);
      throw err;
    }
    if (message?.type === 'start') {
      connection.started = true;
      connection.media = false;
      this.serverWaiting = false;
      this.lastProgressAt = Date.now();
      this.enqueue(connection, message);
    } else if (message?.type === 'waiting') {
      this.serverWaiting = true;
      this.playing = false;
      this.video.playbackRate = 1;
      this.onState('reconnecting', "The camera's stream stopped; waiting for it to come back");
    }
    // `skipped`: the fragments after it start at a keyframe further on, which leaves a hole in
    // the buffer; keepUp steps over it when the playhead gets there.
  }

  private handleClose(connection: Connection, event: CloseEvent): void {
    if (this.connection !== connection) return;
    const why = `The live connection closed (code ${event.code})`;
    if (!connection.started && !this.everPlayed && this.onFallback) {
      // Closed before any `start`: the server refused the WebSocket or has none for this camera.
      noteWebSocketRefused();
      return this.handOver(why);
    }
    this.restart(why);
  }

  private endConnection(): void {
    const connection = this.connection;
    this.connection = null;
    if (this.firstMediaTimer !== null) window.clearTimeout(this.firstMediaTimer);
    this.firstMediaTimer = null;
    if (!connection) return;
    connection.abort.abort();
    connection.queue.length = 0;
    connection.socket.onmessage = null;
    connection.socket.onclose = null;
    if (connection.socket.readyState <= WebSocket.OPEN) connection.socket.close();
  }

  /** Ends the connection and opens a new one after the backoff, reporting `reconnecting`. */
  private restart(reason: string): void {
    if (this.destroyed || this.retryTimer !== null) return;
    this.endConnection();
    this.releaseMedia(true);
    this.playing = false;
    this.attempt += 1;
    this.onState('reconnecting', reason);
    this.retryTimer = window.setTimeout(() => this.connect(), backoffMs(this.attempt));
  }

  /** A failure before the first picture: hand over to HLS when we may, else retry. */
  private failBeforePlaying(reason: string): void {
    if (!this.everPlayed && this.onFallback) this.handOver(reason);
    else this.restart(reason);
  }

  private handOver(reason: string): void {
    const onFallback = this.onFallback;
    this.destroy();
    onFallback?.(reason);
  }

  // -- media --------------------------------------------------------------------------------

  private enqueue(connection: Connection, item: StartMessage | ArrayBuffer): void {
    connection.queue.push(item);
    if (!connection.pumping) void this.pump(connection);
  }

  /** Applies the connection's queued messages one at a time, in order. */
  private async pump(connection: Connection): Promise<void> {
    connection.pumping = true;
    const signal = connection.abort.signal;
    try {
      while (connection.queue.length > 0 && !signal.aborted) {
        const item = connection.queue.shift() as StartMessage | ArrayBuffer;
        if (item instanceof ArrayBuffer) await this.append(connection, new Uint8Array(item), signal);
        else await this.begin(item, signal);
      }
    } catch (err) {
      if (!(err instanceof Aborted) && this.connection === connection) {
        this.failBeforePlaying(`The live stream could not be played: ${err instanceof Error ? err.message : String(err)}`);
      }
    } finally {
      connection.pumping = false;
    }
  }

  /** A new stream: a fresh MediaSource and SourceBuffer for its mime. */
  private async begin(start: StartMessage, signal: AbortSignal): Promise<void> {
    const Source = mediaSourceClass();
    this.video.dataset.mime = start.mime; // for diagnostics and the browser tests
    if (!Source || !Source.isTypeSupported(start.mime)) {
      const reason = `This browser cannot play ${start.mime}`;
      if (this.onFallback && !this.everPlayed) return this.handOver(reason);
      this.destroy();
      this.onState('unsupported', reason);
      return;
    }
    this.releaseMedia(false);
    const mediaSource = new Source();
    this.mediaSource = mediaSource;
    this.objectUrl = URL.createObjectURL(mediaSource);
    // ManagedMediaSource plays only where AirPlay is off or has another source.
    if (Source !== (window as { MediaSource?: unknown }).MediaSource) this.video.disableRemotePlayback = true;
    this.video.src = this.objectUrl;
    await once(mediaSource, 'sourceopen', signal);
    this.buffer = mediaSource.addSourceBuffer(start.mime);
    this.placed = false;
  }

  private async append(connection: Connection, bytes: Uint8Array, signal: AbortSignal): Promise<void> {
    const buffer = this.buffer;
    if (!buffer) return;
    const cutoff = trimEnd(rangesOf(buffer), this.video.currentTime);
    if (cutoff !== null) await this.remove(buffer, cutoff, signal);
    try {
      buffer.appendBuffer(bytes);
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'QuotaExceededError')) throw err;
      // The buffer is full: drop what has been played and try once more.
      await this.remove(buffer, this.video.currentTime - QUOTA_KEEP_S, signal);
      buffer.appendBuffer(bytes);
    }
    await once(buffer, 'updateend', signal, 'error');
    const ranges = rangesOf(buffer);
    if (ranges.length === 0) return;
    connection.media = true;
    if (!this.placed && connection.queue.length === 0) {
      // The stream's first media is in (the feed sends the GOP so far in one burst, from a
      // keyframe): start at its live edge rather than a GOP behind, and play.
      this.placed = true;
      const [start, end] = ranges[ranges.length - 1];
      this.video.currentTime = Math.max(start, end - JUMP_TO_S);
      this.video.play().catch(() => undefined);
    }
  }

  private async remove(buffer: SourceBuffer, end: number, signal: AbortSignal): Promise<void> {
    if (end <= 0) return;
    buffer.remove(0, end);
    await once(buffer, 'updateend', signal, 'error');
  }

  private releaseMedia(detach: boolean): void {
    this.buffer = null;
    this.placed = false;
    releaseMediaSource(this.mediaSource, this.objectUrl, this.video, detach);
    this.mediaSource = null;
    this.objectUrl = null;
  }

  // -- staying live -------------------------------------------------------------------------

  /** Near the live edge: jump, step over a hole, or play a little faster (liveEdge.ts). */
  private keepUp = () => {
    if (!this.buffer || !this.placed) return;
    const action = liveEdgeAction(rangesOf(this.buffer), this.video.currentTime, this.video.playbackRate);
    if (action.kind === 'jump') this.video.currentTime = action.to;
    else if (action.kind === 'rate') this.video.playbackRate = action.rate;
  };

  private tick = () => {
    if (this.destroyed || !this.connection || this.serverWaiting) return;
    this.keepUp();
    if (this.placed && this.video.paused) this.video.play().catch(() => undefined);
    if (Date.now() - this.lastProgressAt > STALL_MS && this.connection.started) {
      this.failBeforePlaying('The live stream stalled');
    }
  };

  private handleProgress = () => {
    const t = this.video.currentTime;
    if (t === this.lastTime) return;
    this.lastTime = t;
    this.lastProgressAt = Date.now();
    if (!this.playing && !this.video.paused && this.placed && !this.serverWaiting) {
      this.playing = true;
      this.everPlayed = true;
      this.attempt = 0;
      this.onState('playing');
    }
  };

  private handleVideoError = () => {
    if (!this.objectUrl || this.video.currentSrc !== this.objectUrl) return; // not our media
    const message = this.video.error?.message;
    this.failBeforePlaying(`The browser could not decode the stream${message ? `: ${message}` : ''}`);
  };
}
