/**
 * Plays a day's segments as one continuous timeline on two `<video>` elements: the active one
 * plays the current segment while the standby one preloads the next; when the current segment
 * ends the two swap, so playback continues without a reload pause (and jumps over gaps to the
 * next footage). Seeks, steps and frame steps address instants (epoch ms), never media times.
 *
 * The segment being written (growingSegment.ts) plays too: a `<video>` holds the file as long as
 * it was when loaded, so a few seconds before that copy runs out the standby element loads a
 * fresh one (its own query, so no cache answers) and takes over from the same media time when
 * the copy on screen ends; a seek past what a copy holds loads a fresh one and lands as near the
 * instant as the file reaches. When the segment turns complete (same id) it plays on the same way.
 *
 * Invariants: only the active element's events move the state; every load carries a generation
 * number and a load superseded by a later seek is dropped; waits at the end of a growing copy
 * are dropped by any seek; the elements stream the files with HTTP ranges (the session cookie
 * authenticates them), nothing is read into the page.
 */
import { ElementLoader } from './elementLoader';
import { FrameWatch } from './frameWatch';
import { clampOffset, edgeStep, heldSeconds, isGrowing, RETRY_MS, seekNeedsFreshCopy, shouldFetchAhead, targetNearNow, type FreshCopy } from './growingSegment';
import { nextAfter, type Segment } from './segmentLookup';

export interface PlayerState {
  /** The instant on screen (epoch ms), or null before the first seek. */
  instant: number | null;
  playing: boolean;
  segment: Segment | null;
  /** Index (0/1) of the element on screen. */
  active: number;
  /** Set when the day's footage ran out or a file failed. */
  message: string | null;
}

type Listener = (state: PlayerState) => void;

/** A fresh copy of the growing segment on the standby element, and what to do once it has loaded. */
interface Fresh {
  id: string;
  element: number;
  askedAt: number;
  loaded: boolean;
  ofGrowing: boolean;
  then: (() => void) | null;
}

export class SegmentPlayer {
  private segments: Segment[] = [];
  private active = 0;
  private current: Segment | null = null;
  private generation = 0;
  private message: string | null = null;
  private readonly frames = new FrameWatch();
  private lastReported = -1;
  private fresh: Fresh | null = null;
  /** Bumped by every seek: a wait at the end of a growing copy from before it is dropped. */
  private edgeToken = 0;
  private retryTimer: number | undefined;
  private readonly loader = new ElementLoader();
  private readonly cleanups: (() => void)[] = [];

  constructor(private readonly videos: [HTMLVideoElement, HTMLVideoElement], private readonly listener: Listener) {
    videos.forEach((video, index) => {
      const on = <K extends keyof HTMLMediaElementEventMap>(type: K, handler: () => void) => {
        const wrapped = () => {
          if (index === this.active) handler();
        };
        video.addEventListener(type, wrapped);
        this.cleanups.push(() => video.removeEventListener(type, wrapped));
      };
      on('ended', () => this.continueAfterEnd());
      on('play', () => this.startTicking());
      on('pause', () => this.emit(true));
      on('seeked', () => this.emit(true));
      on('timeupdate', () => {
        this.emit(false);
        this.fetchAhead();
      });
      on('error', () => this.fail('This segment could not be played.'));
    });
    this.markActive();
  }

  /**
   * The segments of the shown day (asked again every few seconds for today): the current one is
   * replaced by its newer row (a growing end, or complete); playback stops if it is gone.
   */
  setSegments(segments: Segment[]): void {
    this.segments = segments;
    const current = this.current;
    if (!current) return;
    const same = segments.find((s) => s.recording.id === current.recording.id);
    if (!same) {
      this.stop();
      return;
    }
    this.current = same;
    if (same.start !== current.start || same.end !== current.end || same.recording.status !== current.recording.status) this.emit(true);
    this.preloadNext();
  }

  get state(): PlayerState {
    return { instant: this.instant(), playing: this.isPlaying(), segment: this.current, active: this.active, message: this.message };
  }

  /** Plays (or shows, when `play` is false) the footage at `instant`; false when there is none. */
  seek(instant: number, play = true): boolean {
    const target = targetNearNow(this.segments, instant, Date.now());
    if (!target) {
      this.message = 'No footage from here to the end of the day.';
      this.emit(true);
      return false;
    }
    this.message = null;
    this.cancelWaits();
    if (this.current && target.segment.recording.id === this.current.recording.id) {
      const video = this.videos[this.active];
      this.current = target.segment;
      if (seekNeedsFreshCopy(target.segment, target.offset, heldSeconds(video))) {
        this.playFreshCopy(target.offset, play);
        return true;
      }
      video.currentTime = clampOffset(target.offset, heldSeconds(video));
      if (play) void this.playElement(video);
      this.emit(true);
      return true;
    }
    this.show(target.segment, target.offset, play);
    return true;
  }

  togglePlay(): void {
    const video = this.videos[this.active];
    if (!this.current) return;
    if (video.ended && isGrowing(this.current)) this.continueFrom(video.currentTime);
    else if (video.paused) void this.playElement(video);
    else video.pause();
  }

  /** Moves by `seconds` (negative = back), keeping the play/pause state. */
  step(seconds: number): void {
    const instant = this.instant();
    if (instant === null) return;
    this.seek(instant + seconds * 1000, this.isPlaying());
  }

  /** One frame forward or back, paused. */
  stepFrame(direction: 1 | -1): void {
    const instant = this.instant();
    if (instant === null) return;
    this.videos[this.active].pause();
    this.seek(instant + direction * this.frames.frameSeconds * 1000, false);
  }

  /** The instant on screen right now (epoch ms), read from the playing element; null before the first seek. */
  instantNow(): number | null {
    return this.instant();
  }

  /** The element on screen (the other one preloads). */
  activeVideo(): HTMLVideoElement {
    return this.videos[this.active];
  }

  destroy(): void {
    this.generation += 1;
    this.cancelWaits();
    this.loader.dropAll();
    for (const cleanup of this.cleanups) cleanup();
    for (const video of this.videos) {
      video.pause();
      video.removeAttribute('src');
      video.load();
    }
  }

  /** The element on screen carries data-active="true"; the stylesheet hides the other one. */
  private markActive(): void {
    this.videos.forEach((video, index) => {
      video.dataset.active = String(index === this.active);
    });
  }

  private instant(): number | null {
    if (!this.current) return null;
    return this.current.start + this.videos[this.active].currentTime * 1000;
  }

  private isPlaying(): boolean {
    const video = this.videos[this.active];
    return Boolean(this.current) && !video.paused && !video.ended;
  }

  private stop(): void {
    this.generation += 1;
    this.cancelWaits();
    this.fresh = null;
    for (const video of this.videos) video.pause();
    this.current = null;
    this.emit(true);
  }

  /** Puts `segment` on screen at `offset` seconds, through the standby element if it holds it. */
  private show(segment: Segment, offset: number, play: boolean): void {
    const standby = 1 - this.active;
    const outgoing = this.videos[this.active];
    if (this.videos[standby].dataset.segmentId === segment.recording.id) {
      this.active = standby;
      this.markActive();
    }
    outgoing.pause();
    this.current = segment;
    this.fresh = null;
    const video = this.videos[this.active];
    const generation = ++this.generation;
    this.loader.load(video, segment, () => {
      if (generation !== this.generation) return;
      video.currentTime = clampOffset(offset, heldSeconds(video));
      if (play) void this.playElement(video);
      this.emit(true);
      this.preloadNext();
    });
    this.emit(true);
  }

  private continueAfterEnd(): void {
    if (this.current) this.continueFrom(this.videos[this.active].currentTime);
  }

  /** The copy on screen played to `position`: go on in a fresh copy, wait for one, or go to the next footage. */
  private continueFrom(position: number): void {
    const segment = this.current;
    if (!segment) return;
    const token = this.edgeToken;
    const again = () => {
      if (token === this.edgeToken && this.current?.recording.id === segment.recording.id) this.continueFrom(position);
    };
    switch (edgeStep(segment, position, this.freshState(segment))) {
      case 'swap':
        this.swapToFresh(position, true);
        return;
      case 'wait':
        if (this.fresh) this.fresh.then = again;
        return;
      case 'refetch':
        this.fetchFresh(again);
        return;
      case 'retry':
        window.clearTimeout(this.retryTimer);
        this.retryTimer = window.setTimeout(again, RETRY_MS);
        return;
      case 'next':
        this.playNext();
    }
  }

  private playNext(): void {
    if (!this.current) return;
    const next = nextAfter(this.segments, this.current);
    if (!next) {
      this.message = 'End of the footage for this day.';
      this.emit(true);
      return;
    }
    this.show(next.segment, next.offset, true);
  }

  /** Loads the segment after the current one into the standby element, parked at its offset. */
  private preloadNext(): void {
    if (!this.current) return;
    const next = nextAfter(this.segments, this.current);
    const standby = this.videos[1 - this.active];
    if (!next || standby.dataset.segmentId === next.segment.recording.id) return;
    // A fresh copy of the growing segment on its way keeps the standby element.
    if (this.fresh && !this.fresh.loaded) return;
    this.fresh = null;
    standby.preload = 'auto';
    this.loader.load(standby, next.segment, () => {
      standby.currentTime = next.offset;
    });
  }

  /** Drops what waits at the end of a growing copy (a seek or a new segment supersedes it). */
  private cancelWaits(): void {
    this.edgeToken += 1;
    window.clearTimeout(this.retryTimer);
    if (this.fresh) this.fresh.then = null;
  }

  private freshState(segment: Segment): FreshCopy | null {
    const fresh = this.fresh;
    if (!fresh || fresh.id !== segment.recording.id) return null;
    const seconds = fresh.loaded ? heldSeconds(this.videos[fresh.element]) : 0;
    return { loading: !fresh.loaded, seconds, ageMs: Date.now() - fresh.askedAt, ofGrowing: fresh.ofGrowing };
  }

  /** While a growing segment plays, a fresh copy is fetched a few seconds before the one on screen runs out. */
  private fetchAhead(): void {
    const segment = this.current;
    const video = this.videos[this.active];
    if (!segment || video.paused || !isGrowing(segment)) return;
    if (shouldFetchAhead(segment, video.currentTime, heldSeconds(video), this.freshState(segment))) this.fetchFresh(null);
  }

  /** Loads a fresh copy of the current segment into the standby element (or waits on the one loading), then `then`. */
  private fetchFresh(then: (() => void) | null): void {
    const segment = this.current;
    if (!segment) return;
    const loading = this.fresh;
    if (loading && loading.id === segment.recording.id && !loading.loaded) {
      if (then) loading.then = then;
      return;
    }
    const element = 1 - this.active;
    const video = this.videos[element];
    const copy: Fresh = { id: segment.recording.id, element, askedAt: Date.now(), loaded: false, ofGrowing: isGrowing(segment), then };
    this.fresh = copy;
    video.preload = 'auto';
    const settle = () => {
      if (this.fresh !== copy) return;
      copy.loaded = true;
      // Parked where it will take over, so its picture is ready.
      video.currentTime = clampOffset(this.videos[this.active].currentTime, heldSeconds(video));
      const next = copy.then;
      copy.then = null;
      next?.();
    };
    this.loader.load(video, segment, settle, settle);
  }

  /** A seek past what the copy on screen holds: a fresh copy plays from the instant, or as near as the file reaches. */
  private playFreshCopy(offset: number, play: boolean): void {
    const token = this.edgeToken;
    const fresh = this.fresh;
    const recent = fresh && fresh.loaded && fresh.id === this.current?.recording.id && Date.now() - fresh.askedAt < RETRY_MS;
    const go = () => {
      if (token === this.edgeToken) this.swapToFresh(offset, play);
    };
    if (recent) go();
    else this.fetchFresh(go);
  }

  /** The standby element's fresh copy comes on screen at `position` (clamped to what it holds). */
  private swapToFresh(position: number, play: boolean): void {
    const fresh = this.fresh;
    if (!fresh) return;
    this.fresh = null;
    const video = this.videos[fresh.element];
    if (fresh.element !== this.active) {
      const outgoing = this.videos[this.active];
      this.active = fresh.element;
      this.markActive();
      outgoing.pause();
    }
    video.currentTime = clampOffset(position, heldSeconds(video));
    if (play) void this.playElement(video);
    this.emit(true);
    this.preloadNext();
  }

  private async playElement(video: HTMLVideoElement): Promise<void> {
    try {
      await video.play();
    } catch (err) {
      // A newer load or pause interrupted the play request: not an error for the viewer.
      if (err instanceof DOMException && err.name === 'AbortError') return;
      this.fail('The browser refused to play this segment.');
    }
  }

  private fail(message: string): void {
    this.message = message;
    this.emit(true);
  }

  /** Follows the picture while playing: reports about ten times a second (and learns the frame duration). */
  private startTicking(): void {
    const video = this.videos[this.active];
    if (this.frames.watch(video, () => this.videos[this.active] === video, () => this.emit(false))) this.emit(true);
  }

  private emit(force: boolean): void {
    const instant = this.instant();
    if (!force && instant !== null && Math.abs(instant - this.lastReported) < 100) return;
    this.lastReported = instant ?? -1;
    this.listener(this.state);
  }
}
