/**
 * Our own live HLS player over Media Source Extensions, for browsers without native HLS (and
 * forced with `?player=mse` so tests exercise it everywhere). It plays the playlists our server
 * writes: fMP4 segments behind one `#EXT-X-MAP` init segment, a sliding window of ~10 segments.
 *
 * One session = one MediaSource and one SourceBuffer:
 *   1. fetch and parse the playlist; fetch init.mp4 and build the codecs string from its boxes;
 *   2. append the init segment, then the playlist's last segment (start at the live edge);
 *   3. every half target duration reload the playlist and append the new segments in sequence order;
 *      trim what is more than BACK_BUFFER_S behind the playhead; jump gaps and catch up if the
 *      playhead falls too far behind the edge.
 * Any failure (fetch, parse, append, decode, a stall, the playlist starting over after ffmpeg
 * restarted) ends the session; a new one starts after a backoff, reporting `reconnecting`.
 *
 * Invariant: every SourceBuffer operation happens on the single async chain of `runSession`, so
 * no two overlap; `destroy()` aborts that chain and releases the MediaSource.
 */
import { releaseMediaSource } from './releaseMedia';
import { requestRaw } from '../api/client';
import { backoffMs, type LivePlayer, type PlaybackListener } from './livePlayer';
import { describeInitSegment, mimeTypeFor, Mp4Error } from './mp4';
import { fetchLivePlaylist } from './fetchPlaylist';
import { liveStartSequence, resolveUri, segmentsFrom, type MediaPlaylist } from './playlist';

/** Seconds of already-played media kept in the buffer. */
const BACK_BUFFER_S = 30;
/** Start this many segments from the end of the playlist: the last one, the live edge. */
const START_SEGMENTS_FROM_END = 1;
/** If the playhead trails the buffered end by more than this many target durations, jump forward. */
const MAX_LATENCY_TARGETS = 4;
/** How often the playlist is asked for while it has nothing new: a segment is played as soon as it is listed. */
const POLL_MS = 250;
/**
 * Just after a segment arrived, the playhead trails the buffered end by a segment's length and
 * this margin at most (the segment it plays, and some slack against a late one); further behind,
 * it plays a little faster until it is back.
 */
const EDGE_MARGIN_S = 0.4;
const CATCH_UP_RATE = 1.1;
/** A session that shows no progress for this long is restarted. */
const STALL_MS = 15_000;

class SessionEnd extends Error {
  constructor(message: string, readonly retry = true) {
    super(message);
    this.name = 'SessionEnd';
  }
}

function abortError(): DOMException {
  return new DOMException('Aborted', 'AbortError');
}

function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError());
    const timer = window.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      window.clearTimeout(timer);
      reject(abortError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves on `event` from `target`; rejects on `failEvent` (a SessionEnd) or on abort. */
function once(target: EventTarget, event: string, signal: AbortSignal, failEvent?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError());
    const cleanup = () => {
      target.removeEventListener(event, onEvent);
      if (failEvent) target.removeEventListener(failEvent, onFail);
      signal.removeEventListener('abort', onAbort);
    };
    const onEvent = () => {
      cleanup();
      resolve();
    };
    const onFail = () => {
      cleanup();
      reject(new SessionEnd(`The browser refused the media (${failEvent})`));
    };
    const onAbort = () => {
      cleanup();
      reject(abortError());
    };
    target.addEventListener(event, onEvent);
    if (failEvent) target.addEventListener(failEvent, onFail);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function bufferedRanges(buffer: SourceBuffer | null): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  if (!buffer) return ranges;
  try {
    for (let i = 0; i < buffer.buffered.length; i++) ranges.push([buffer.buffered.start(i), buffer.buffered.end(i)]);
  } catch {
    /* the SourceBuffer was removed from its MediaSource */
  }
  return ranges;
}

export class MseLivePlayer implements LivePlayer {
  readonly kind = 'hls-mse' as const;
  private readonly lifetime = new AbortController();
  private session: AbortController | null = null;
  private mediaSource: MediaSource | null = null;
  private objectUrl: string | null = null;
  /** The current session's SourceBuffer (read-only use outside the session chain). */
  private buffer: SourceBuffer | null = null;
  private failures = 0;
  private playing = false;
  private lastTime = -1;
  private lastProgressAt = 0;
  /** Why the current session was ended from outside its chain (a decode error). */
  private abortReason: string | null = null;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly url: string,
    private readonly onState: PlaybackListener,
  ) {
    video.addEventListener('timeupdate', this.handleProgress);
    video.addEventListener('error', this.handleVideoError);
    video.addEventListener('waiting', this.handleWaiting);
    this.onState('connecting');
    void this.run();
  }

  destroy(): void {
    if (this.lifetime.signal.aborted) return;
    this.lifetime.abort();
    this.session?.abort();
    this.video.removeEventListener('timeupdate', this.handleProgress);
    this.video.removeEventListener('error', this.handleVideoError);
    this.video.removeEventListener('waiting', this.handleWaiting);
    delete this.video.dataset.mime;
    this.releaseMedia();
  }

  // -- session loop ------------------------------------------------------------------------

  private async run(): Promise<void> {
    const lifetime = this.lifetime.signal;
    while (!lifetime.aborted) {
      const session = new AbortController();
      this.session = session;
      let retryDelay = 0;
      try {
        await this.runSession(session.signal);
      } catch (err) {
        if (lifetime.aborted) return;
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof SessionEnd && !err.retry) {
          this.releaseMedia();
          this.onState('unsupported', message);
          return;
        }
        this.failures += 1;
        this.playing = false;
        this.onState('reconnecting', this.abortReason ?? (isAbort(err) ? 'The live stream was interrupted' : message));
        retryDelay = backoffMs(this.failures);
      } finally {
        session.abort();
        this.abortReason = null;
        this.releaseMedia();
      }
      try {
        await sleep(retryDelay, lifetime);
      } catch {
        return;
      }
    }
  }

  private endSession(reason: string): void {
    if (this.session && !this.session.signal.aborted) {
      this.abortReason = reason;
      this.session.abort();
    }
  }

  private async runSession(signal: AbortSignal): Promise<void> {
    let playlist = await this.loadPlaylist(signal);
    while (playlist.segments.length === 0) {
      await sleep(Math.max(1, playlist.targetDuration) * 1000, signal);
      playlist = await this.loadPlaylist(signal);
    }
    if (!playlist.mapUri) throw new SessionEnd('The live playlist has no initialisation segment (not fMP4)', false);

    const init = await this.fetchBytes(resolveUri(playlist.mapUri, this.url), signal);
    let mime: string;
    try {
      mime = mimeTypeFor(describeInitSegment(init));
    } catch (err) {
      if (err instanceof Mp4Error) throw new SessionEnd(`Unreadable initialisation segment: ${err.message}`);
      throw err;
    }
    this.video.dataset.mime = mime; // for diagnostics (and the browser tests)
    if (!MediaSource.isTypeSupported(mime)) throw new SessionEnd(`This browser cannot play ${mime}`, false);

    const mediaSource = new MediaSource();
    this.mediaSource = mediaSource;
    this.objectUrl = URL.createObjectURL(mediaSource);
    this.video.src = this.objectUrl;
    await once(mediaSource, 'sourceopen', signal);
    const buffer = mediaSource.addSourceBuffer(mime);
    this.buffer = buffer;
    await this.append(buffer, init, signal);

    let nextSequence = liveStartSequence(playlist, START_SEGMENTS_FROM_END) ?? playlist.mediaSequence;
    let lastSeenSequence = playlist.segments[playlist.segments.length - 1].sequence;
    let started = false;
    this.lastProgressAt = Date.now();

    for (;;) {
      // Append whatever is new, in order.
      const before = nextSequence;
      for (const segment of segmentsFrom(playlist, nextSequence)) {
        const data = await this.fetchBytes(resolveUri(segment.uri, this.url), signal);
        await this.trim(buffer, signal);
        await this.append(buffer, data, signal);
        nextSequence = segment.sequence + 1;
      }
      if (!started && bufferedRanges(buffer).length > 0) {
        started = true;
        this.jumpToLiveEdge(buffer, playlist.targetDuration);
        this.video.play().catch(() => undefined);
      }
      if (started) this.keepPlaying(buffer, playlist.targetDuration, nextSequence !== before);
      if (Date.now() - this.lastProgressAt > STALL_MS) throw new SessionEnd('The live stream stalled');
      if (playlist.ended) throw new SessionEnd('The live stream ended');

      // Our own server's playlist, asked for often: starting at the last segment leaves little
      // buffer, and a segment fetched as soon as it is listed is latency saved.
      await sleep(Math.min(POLL_MS, Math.max(1, playlist.targetDuration) * 500), signal);
      const next = await this.loadPlaylist(signal);
      const newest = next.segments.length ? next.segments[next.segments.length - 1].sequence : -1;
      if (newest < lastSeenSequence || next.mediaSequence < playlist.mediaSequence) {
        // The numbering started over: ffmpeg restarted, with a new init segment and timeline.
        throw new SessionEnd('The live stream restarted');
      }
      lastSeenSequence = newest;
      if (nextSequence < next.mediaSequence) {
        // We fell behind the sliding window: start again near its end.
        nextSequence = liveStartSequence(next, START_SEGMENTS_FROM_END) ?? next.mediaSequence;
        started = false;
      }
      playlist = next;
    }
  }

  // -- media helpers -----------------------------------------------------------------------

  private loadPlaylist(signal: AbortSignal): Promise<MediaPlaylist> {
    return fetchLivePlaylist(this.url, signal);
  }

  private async fetchBytes(path: string, signal: AbortSignal): Promise<Uint8Array> {
    const response = await requestRaw(path, { signal, headers: { Accept: '*/*' } });
    return new Uint8Array(await response.arrayBuffer());
  }

  private async append(buffer: SourceBuffer, data: Uint8Array, signal: AbortSignal): Promise<void> {
    try {
      buffer.appendBuffer(data);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'QuotaExceededError') {
        await this.trim(buffer, signal, 5);
        buffer.appendBuffer(data);
      } else {
        throw new SessionEnd(`Could not add media to the buffer: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    await once(buffer, 'updateend', signal, 'error');
  }

  /** Removes media more than `keep` seconds behind the playhead. */
  private async trim(buffer: SourceBuffer, signal: AbortSignal, keep = BACK_BUFFER_S): Promise<void> {
    const ranges = bufferedRanges(buffer);
    if (ranges.length === 0) return;
    const cutoff = this.video.currentTime - keep;
    // Trim in chunks of at least 10 s so we do not remove on every append.
    if (cutoff - ranges[0][0] < (keep === BACK_BUFFER_S ? 10 : 0.5)) return;
    buffer.remove(0, cutoff);
    await once(buffer, 'updateend', signal, 'error');
  }

  private jumpToLiveEdge(buffer: SourceBuffer, targetDuration: number): void {
    const ranges = bufferedRanges(buffer);
    if (ranges.length === 0) return;
    const [start, end] = ranges[ranges.length - 1];
    this.video.currentTime = Math.max(start, end - Math.max(1, targetDuration) - EDGE_MARGIN_S);
  }

  /**
   * Moves the playhead over a hole in the buffer (a stream restart or a segment with a short
   * track leaves one): when it is outside every buffered range, or within half a second of the
   * end of its range with more media after a gap. Returns whether it moved.
   */
  private skipGap(buffer: SourceBuffer): boolean {
    const ranges = bufferedRanges(buffer);
    const t = this.video.currentTime;
    const current = ranges.find(([s, e]) => t >= s - 0.05 && t < e);
    const ahead = ranges.find(([s]) => s > t + 0.01);
    if (!ahead || (current && current[1] - t > 0.5)) return false;
    this.video.currentTime = ahead[0] + 0.05;
    return true;
  }

  /** Skips gaps, catches up with the live edge, restarts playback the browser paused. */
  private keepPlaying(buffer: SourceBuffer, targetDuration: number, appended: boolean): void {
    const ranges = bufferedRanges(buffer);
    if (ranges.length === 0) return;
    const end = ranges[ranges.length - 1][1];
    const segment = Math.max(1, targetDuration);
    const behind = end - this.video.currentTime;
    if (!this.skipGap(buffer) && behind > MAX_LATENCY_TARGETS * segment) {
      this.jumpToLiveEdge(buffer, targetDuration);
    } else if (appended) {
      // Just after a segment arrived the playhead is as far behind as it gets in the cycle: a
      // segment and the margin is right; more, and it plays a little faster until it is back.
      if (behind > segment + EDGE_MARGIN_S + 0.2) this.video.playbackRate = CATCH_UP_RATE;
      else if (behind <= segment + EDGE_MARGIN_S) this.video.playbackRate = 1;
    }
    if (this.video.paused) this.video.play().catch(() => undefined);
  }

  private releaseMedia(): void {
    this.buffer = null;
    releaseMediaSource(this.mediaSource, this.objectUrl, this.video, true);
    this.mediaSource = null;
    this.objectUrl = null;
  }

  // -- video element events ------------------------------------------------------------------

  private handleProgress = () => {
    const t = this.video.currentTime;
    if (t === this.lastTime) return;
    this.lastTime = t;
    this.lastProgressAt = Date.now();
    if (!this.playing && !this.video.paused) {
      this.playing = true;
      this.failures = 0;
      this.onState('playing');
    }
  };

  /** The element ran out of data: if that is a hole in the buffer, jump it now. */
  private handleWaiting = () => {
    if (this.buffer) this.skipGap(this.buffer);
  };

  private handleVideoError = () => {
    if (!this.objectUrl) return; // our own teardown
    const error = this.video.error;
    this.endSession(`The browser could not decode the stream${error?.message ? `: ${error.message}` : ''}`);
  };
}
