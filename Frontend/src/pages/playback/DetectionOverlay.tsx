/**
 * What detection saw, drawn over the playing video: a box in its class's colour (the legend's)
 * with the class and confidence, for each class's analysed frame nearest the picture on screen
 * (detectionFrames.ts). While playing it follows the picture frame by frame; paused, seeking and
 * stepping it follows the player's reports. Classes switched off in the legend are not drawn.
 * Detections come from a DetectionCache in chunks around the playhead, never per frame.
 *
 * Boxes are absolutely positioned elements in CSS pixels over the stage, placed inside the
 * letterboxed picture and moved with the picture zoom (overlayGeometry.ts `placeBox`), so they
 * stay sharp and in place at any size and magnification; a box is clipped to what shows of the
 * picture (its cut sides dashed) and one wholly off screen is not drawn. For tests and tools the
 * root carries data-coverage (ready, loading, failed, unsupported) and data-picture
 * ("x,y,width,height" of the visible picture), and each box data-class, data-confidence,
 * data-time and data-rect ("x,y,width,height" relative to the root, as clipped).
 */
import { useEffect, useState } from 'react';
import { findDetections, type DetectionPage } from '../../api/detections';
import { DetectionCache, type CoverState, type PageLoader } from './detectionCache';
import { classColor } from './detectionClasses';
import type { TimedDetection } from './detectionFrames';
import { placeBox, rectAttribute, visiblePicture, type PlacedBox } from './overlayGeometry';
import type { PlayerState, SegmentPlayer } from './segmentPlayer';
import type { StageView } from './usePictureZoom';

/** Detections asked for per request. */
const PAGE_SIZE = 5000;
/** A label above a box needs this much room; nearer the top it goes inside the box. */
const LABEL_ROOM = 18;

const loadPage: PageLoader = (cameraId, start, end, cursor, signal): Promise<DetectionPage | null> =>
  findDetections(cameraId, start, end, { limit: PAGE_SIZE, cursor }, signal);

interface Shown {
  key: string;
  frames: TimedDetection[];
  coverage: CoverState | 'idle';
}

const NOTHING: Shown = { key: 'idle', frames: [], coverage: 'idle' };

interface Props {
  player: SegmentPlayer | null;
  state: PlayerState | null;
  /** Classes switched off in the legend. */
  hidden: ReadonlySet<string>;
  /** How far from the picture's instant an analysed frame may be (ms). */
  toleranceMs: number;
  /** The stage, the unzoomed picture in it and the picture zoom's transform. */
  view: StageView;
}

/** The border style of a placed box: dashed on the sides the stage's edges cut off. */
function borderStyle({ clipped }: PlacedBox): string {
  const side = (cut: boolean) => (cut ? 'dashed' : 'solid');
  return [clipped.top, clipped.right, clipped.bottom, clipped.left].map(side).join(' ');
}

export function DetectionOverlay({ player, state, hidden, toleranceMs, view }: Props) {
  const [cache, setCache] = useState<DetectionCache | null>(null);
  const [loads, setLoads] = useState(0);
  const [shown, setShown] = useState<Shown>(NOTHING);

  useEffect(() => {
    const created = new DetectionCache(loadPage, () => setLoads((n) => n + 1));
    setCache(created);
    return () => created.destroy();
  }, []);

  const cameraId = state?.segment?.recording.camera_id ?? null;
  const playing = Boolean(state?.playing);
  const pausedInstant = playing ? null : state?.instant ?? null;

  useEffect(() => {
    const show = (next: Shown) => setShown((s) => (s.key === next.key ? s : next));
    if (!cache || !player || !cameraId) {
      show(NOTHING);
      return;
    }
    const pick = (instant: number | null) => {
      if (instant === null) return show(NOTHING);
      cache.want(cameraId, instant, toleranceMs);
      const frames = cache.framesNear(cameraId, instant, toleranceMs).filter((d) => !hidden.has(d.detection.class));
      const coverage = cache.coverage(cameraId, instant, toleranceMs);
      show({ key: `${coverage}|${frames.map((d) => d.detection.id).join(',')}`, frames, coverage });
    };
    if (!playing) {
      pick(pausedInstant);
      return;
    }
    let handle = 0;
    const tick = () => {
      pick(player.instantNow());
      handle = window.requestAnimationFrame(tick);
    };
    tick();
    return () => window.cancelAnimationFrame(handle);
  }, [cache, player, cameraId, playing, pausedInstant, hidden, toleranceMs, loads]);

  const { stage, picture, transform } = view;
  const visible = picture && visiblePicture(stage, picture, transform);
  return (
    <div
      className="detection-overlay"
      data-testid="detection-overlay"
      data-coverage={shown.coverage}
      data-picture={visible ? rectAttribute(visible) : ''}
      aria-hidden="true"
    >
      {picture &&
        shown.frames.map(({ detection }) => {
          const placed = placeBox(detection.box, picture, transform, stage);
          if (!placed) return null;
          const { rect } = placed;
          const color = classColor(detection.class);
          const percent = Math.round(detection.confidence * 100);
          return (
            <div
              key={detection.id}
              className="detection-box"
              data-testid="detection-box"
              data-class={detection.class}
              data-confidence={detection.confidence}
              data-time={detection.time}
              data-rect={rectAttribute(rect)}
              style={{ left: rect.x, top: rect.y, width: rect.width, height: rect.height, borderColor: color, borderStyle: borderStyle(placed) }}
            >
              <span className={`detection-label${rect.y < LABEL_ROOM ? ' inside' : ''}`} style={{ background: color }}>
                {detection.class} {percent}%
              </span>
            </div>
          );
        })}
    </div>
  );
}
