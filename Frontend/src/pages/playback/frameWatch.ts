/**
 * Follows the frames a `<video>` presents (requestVideoFrameCallback, in Chromium and Safari):
 * calls back on every frame while the element plays and is still wanted, and learns the frame
 * duration from the media times of consecutive frames (the shortest seen, for frame steps).
 */

/** requestVideoFrameCallback is not yet in TypeScript's DOM types. */
type FrameCallbackVideo = HTMLVideoElement & {
  requestVideoFrameCallback?: (callback: (now: number, frame: { mediaTime: number }) => void) => number;
};

const DEFAULT_FRAME_SECONDS = 1 / 25;

export class FrameWatch {
  /** The frame duration learned so far (1/25 s until two frames were seen). */
  frameSeconds = DEFAULT_FRAME_SECONDS;
  private learned = false;

  /**
   * Calls `onFrame` on each presented frame of `video` until it pauses, ends or `wanted()` says
   * no; false where the browser cannot report frames.
   */
  watch(video: HTMLVideoElement, wanted: () => boolean, onFrame: () => void): boolean {
    const element = video as FrameCallbackVideo;
    if (!element.requestVideoFrameCallback) return false;
    let last: number | null = null;
    const next = (_now: number, frame: { mediaTime: number }) => {
      if (last !== null) {
        const delta = frame.mediaTime - last;
        if (delta > 0.005 && delta < 0.5) {
          this.frameSeconds = this.learned ? Math.min(this.frameSeconds, delta) : delta;
          this.learned = true;
        }
      }
      last = frame.mediaTime;
      onFrame();
      if (!video.paused && !video.ended && wanted()) element.requestVideoFrameCallback?.(next);
    };
    element.requestVideoFrameCallback(next);
    return true;
  }
}
