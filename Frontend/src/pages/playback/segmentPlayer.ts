/**
 * Plays a day's segments as one continuous timeline on two `<video>` elements: the active one
 * plays the current segment while the standby one preloads the next; when the current segment
 * ends the two swap, so playback continues without a reload pause (and jumps over gaps to the
 * next footage). Seeks, steps and frame steps address instants (epoch ms), never media times.
 *
 * Invariants: only the active element's events move the state; every load carries a generation
 * number and a load superseded by a later seek is dropped; the elements stream the files with
 * HTTP ranges (the session cookie authenticates them), nothing is read into the page.
 */
import { recordingFileUrl } from '../../api/playback';
import { nextAfter, seekTarget, type Segment } from './segmentLookup';

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

/** requestVideoFrameCallback is in Chromium and Safari but not yet in TypeScript's DOM types. */
type FrameCallbackVideo = HTMLVideoElement & {
  requestVideoFrameCallback?: (callback: (now: number, frame: { mediaTime: number }) => void) => number;
};

const DEFAULT_FRAME_SECONDS = 1 / 25;

export class SegmentPlayer {
  private segments: Segment[] = [];
  private active = 0;
  private current: Segment | null = null;
  private generation = 0;
  private message: string | null = null;
  private frameSeconds = DEFAULT_FRAME_SECONDS;
  private learned = false;
  private lastReported = -1;
  /** Per element, how to drop the load it is still waiting for. */
  private readonly pending = new Map<HTMLVideoElement, () => void>();
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
      on('timeupdate', () => this.emit(false));
      on('error', () => this.fail('This segment could not be played.'));
    });
    this.markActive();
  }

  /** The segments of the shown day; playback stops if the current one is no longer among them. */
  setSegments(segments: Segment[]): void {
    this.segments = segments;
    if (this.current && !segments.some((s) => s.recording.id === this.current?.recording.id)) this.stop();
    else this.preloadNext();
  }

  get state(): PlayerState {
    return { instant: this.instant(), playing: this.isPlaying(), segment: this.current, active: this.active, message: this.message };
  }

  /** Plays (or shows, when `play` is false) the footage at `instant`; false when there is none. */
  seek(instant: number, play = true): boolean {
    const target = seekTarget(this.segments, instant);
    if (!target) {
      this.message = 'No footage from here to the end of the day.';
      this.emit(true);
      return false;
    }
    this.message = null;
    if (this.current && target.segment.recording.id === this.current.recording.id) {
      const video = this.videos[this.active];
      video.currentTime = target.offset;
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
    if (video.paused) void this.playElement(video);
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
    this.seek(instant + direction * this.frameSeconds * 1000, false);
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
    for (const drop of this.pending.values()) drop();
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
    const video = this.videos[this.active];
    const generation = ++this.generation;
    this.load(video, segment, () => {
      if (generation !== this.generation) return;
      video.currentTime = offset;
      if (play) void this.playElement(video);
      this.emit(true);
      this.preloadNext();
    });
    this.emit(true);
  }

  private continueAfterEnd(): void {
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
    standby.preload = 'auto';
    this.load(standby, next.segment, () => {
      standby.currentTime = next.offset;
    });
  }

  private load(video: HTMLVideoElement, segment: Segment, ready: () => void): void {
    this.pending.get(video)?.();
    if (video.dataset.segmentId === segment.recording.id && video.readyState >= HTMLMediaElement.HAVE_METADATA) {
      ready();
      return;
    }
    if (video.dataset.segmentId !== segment.recording.id) {
      video.dataset.segmentId = segment.recording.id;
      video.src = recordingFileUrl(segment.recording.id);
    }
    const onReady = () => {
      this.pending.delete(video);
      ready();
    };
    video.addEventListener('loadedmetadata', onReady, { once: true });
    this.pending.set(video, () => video.removeEventListener('loadedmetadata', onReady));
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

  /**
   * Follows the picture while playing: reports about ten times a second, and learns the frame
   * duration from the media times of consecutive presented frames (for frame steps).
   */
  private startTicking(): void {
    const video = this.videos[this.active] as FrameCallbackVideo;
    if (!video.requestVideoFrameCallback) return;
    let last: number | null = null;
    const onFrame = (_now: number, frame: { mediaTime: number }) => {
      if (last !== null) {
        const delta = frame.mediaTime - last;
        if (delta > 0.005 && delta < 0.5) {
          this.frameSeconds = this.learned ? Math.min(this.frameSeconds, delta) : delta;
          this.learned = true;
        }
      }
      last = frame.mediaTime;
      this.emit(false);
      if (!video.paused && !video.ended && this.videos[this.active] === video) video.requestVideoFrameCallback?.(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    this.emit(true);
  }

  private emit(force: boolean): void {
    const instant = this.instant();
    if (!force && instant !== null && Math.abs(instant - this.lastReported) < 100) return;
    this.lastReported = instant ?? -1;
    this.listener(this.state);
  }
}
