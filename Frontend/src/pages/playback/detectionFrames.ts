/**
 * Which detections belong on screen at an instant. Detection analyses footage at a fixed rate
 * (2 frames per second by default), so the detections of one frame share its instant and the
 * picture on screen lies between two analysed frames. For each class the overlay shows the
 * analysed frame nearest the instant, if it lies within half a frame interval (0.25 s at 2 fps):
 * a box follows its object while the video plays and disappears where no frame of its class is
 * near, instead of lingering. Instants are epoch milliseconds.
 */
import type { Detection } from '../../api/detections';

/** A detection with its instant parsed once. */
export interface TimedDetection {
  at: number;
  detection: Detection;
}

/** The analysis rate assumed when the server does not say (ML_FPS's default). */
export const DEFAULT_ANALYSIS_FPS = 2;

/** Half the interval between analysed frames, in milliseconds. */
export function frameTolerance(fps: number | null | undefined): number {
  const rate = fps && Number.isFinite(fps) && fps > 0 ? fps : DEFAULT_ANALYSIS_FPS;
  return 500 / rate;
}

/** Detections with readable instants, oldest first. */
export function toTimed(list: Detection[]): TimedDetection[] {
  return list
    .map((detection) => ({ at: Date.parse(detection.time), detection }))
    .filter((d) => Number.isFinite(d.at))
    .sort((a, b) => a.at - b.at);
}

/** Index of the first detection at or after `instant` (binary search; length if none). */
function firstAtOrAfter(sorted: TimedDetection[], instant: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].at < instant) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The detections of `sorted` with from <= at <= to. */
export function inWindow(sorted: TimedDetection[], from: number, to: number): TimedDetection[] {
  const out: TimedDetection[] = [];
  for (let i = firstAtOrAfter(sorted, from); i < sorted.length && sorted[i].at <= to; i += 1) out.push(sorted[i]);
  return out;
}

/**
 * Of `candidates`, per class only the detections of the frame nearest `instant` (on a tie the
 * earlier frame, the one already on screen while playing forward). Keeps the candidates' order.
 */
export function nearestPerClass(candidates: TimedDetection[], instant: number): TimedDetection[] {
  const best = new Map<string, number>();
  for (const { at, detection } of candidates) {
    const chosen = best.get(detection.class);
    const distance = Math.abs(at - instant);
    if (chosen === undefined || distance < Math.abs(chosen - instant) || (distance === Math.abs(chosen - instant) && at < chosen)) {
      best.set(detection.class, at);
    }
  }
  return candidates.filter(({ at, detection }) => best.get(detection.class) === at);
}

/** What to draw at `instant` from one sorted list: each class's nearest frame within `toleranceMs`. */
export function nearestFrames(sorted: TimedDetection[], instant: number, toleranceMs: number): TimedDetection[] {
  return nearestPerClass(inWindow(sorted, instant - toleranceMs, instant + toleranceMs), instant);
}
