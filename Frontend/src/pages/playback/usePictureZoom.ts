/**
 * The Playback picture's digital zoom, wired: the stage's size and the segment's frame size, the
 * zoom (pictureZoom.ts) and the transform it gives, the mouse wheel over the stage (about the
 * pointer), drag to pan while zoomed, and the buttons' and keys' actions (about the centre).
 *
 * The zoom belongs to the camera that plays: it stays through seeks, steps and segment changes,
 * and goes back to none when another camera plays. A drag that moved the picture is not a click:
 * `takeDrag()` tells the stage's click handler so, and the video does not pause or play.
 */
import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { pictureRect, type PictureTransform, type Rect, type Size } from './overlayGeometry';
import { clampZoom, NO_ZOOM, panZoom, SCALE_STEP, wheelFactor, zoomAbout, zoomCentred, zoomTransform, type PictureZoom } from './pictureZoom';
import type { PlayerState, SegmentPlayer } from './segmentPlayer';
import { useMediaSize } from './useMediaSize';

/** Pointer travel (CSS pixels) after which a press on the picture is a drag, not a click. */
const DRAG_THRESHOLD = 4;

/** The stage as the overlay needs it: its size, the unzoomed picture in it, and the zoom's transform. */
export interface StageView {
  stage: Size;
  picture: Rect | null;
  transform: PictureTransform;
}

export interface PanHandlers {
  onPointerDown: (e: ReactPointerEvent<HTMLElement>) => void;
  onPointerMove: (e: ReactPointerEvent<HTMLElement>) => void;
  onPointerUp: (e: ReactPointerEvent<HTMLElement>) => void;
  onPointerCancel: (e: ReactPointerEvent<HTMLElement>) => void;
}

export interface PictureZoomControl {
  /** Callback ref for the stage element. */
  stageRef: (element: HTMLDivElement | null) => void;
  view: StageView;
  /** The zoom in effect (clamped to the stage and picture on screen). */
  zoom: PictureZoom;
  zoomBy: (direction: 1 | -1) => void;
  reset: () => void;
  panHandlers: PanHandlers;
  dragging: boolean;
  /** True once after a press that dragged the picture: the click that ends it is not a click. */
  takeDrag: () => boolean;
}

const IDENTITY: PictureTransform = { scale: 1, x: 0, y: 0 };

interface Drag {
  id: number;
  x: number;
  y: number;
  start: PictureZoom;
  moved: boolean;
}

/**
 * The size inside an element's border in CSS pixels, fractions kept (clientWidth rounds, and a
 * zoom multiplies any rounding); {0, 0} until measured. Follows resizes with a ResizeObserver.
 */
function useInnerSize(element: HTMLElement | null): Size {
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  useEffect(() => {
    if (!element) return;
    const measure = () => {
      const bounds = element.getBoundingClientRect();
      const style = window.getComputedStyle(element);
      const width = bounds.width - parseFloat(style.borderLeftWidth) - parseFloat(style.borderRightWidth);
      const height = bounds.height - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth);
      setSize((s) => (s.width === width && s.height === height ? s : { width, height }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return size;
}

export function usePictureZoom(player: SegmentPlayer | null, state: PlayerState | null, cameraId: string | null): PictureZoomControl {
  const [stageElement, setStageElement] = useState<HTMLDivElement | null>(null);
  const stage = useInnerSize(stageElement);
  const media = useMediaSize(player, state);
  // No segment on screen (before the first seek, a camera without footage): nothing to zoom.
  const picture = state?.segment ? pictureRect(stage, media) : null;
  const [wanted, setWanted] = useState<PictureZoom>(NO_ZOOM);
  const [dragging, setDragging] = useState(false);
  const drag = useRef<Drag | null>(null);
  const dragged = useRef(false);

  // Another camera, another scene: its picture starts whole.
  useEffect(() => {
    setWanted(NO_ZOOM);
    drag.current = null;
    setDragging(false);
  }, [cameraId]);

  const zoom = picture ? clampZoom(wanted, stage, picture) : NO_ZOOM;
  const transform = picture ? zoomTransform(zoom, stage, picture) : IDENTITY;

  // The latest geometry for event handlers that outlive a render.
  const geometry = useRef({ stage, picture });
  geometry.current = { stage, picture };

  /** Applies `change` to the zoom in effect on the picture on screen now; nothing without a picture. */
  const change = useCallback((next: (from: PictureZoom, stage: Size, picture: Rect) => PictureZoom) => {
    const { stage: s, picture: p } = geometry.current;
    if (!p) return;
    setWanted((w) => next(clampZoom(w, s, p), s, p));
  }, []);

  // React's wheel listeners are passive; zooming must keep the page from scrolling.
  useEffect(() => {
    if (!stageElement) return;
    const onWheel = (event: WheelEvent) => {
      if (!geometry.current.picture || event.ctrlKey) return; // Ctrl+wheel stays the browser's page zoom
      event.preventDefault();
      const bounds = stageElement.getBoundingClientRect();
      const at = { x: event.clientX - bounds.left - stageElement.clientLeft, y: event.clientY - bounds.top - stageElement.clientTop };
      const factor = wheelFactor(event.deltaY, event.deltaMode);
      change((from, s, p) => zoomAbout(from, factor, at, s, p));
    };
    stageElement.addEventListener('wheel', onWheel, { passive: false });
    return () => stageElement.removeEventListener('wheel', onWheel);
  }, [stageElement, change]);

  const zoomBy = useCallback((direction: 1 | -1) => change((from, s, p) => zoomCentred(from, direction > 0 ? SCALE_STEP : 1 / SCALE_STEP, s, p)), [change]);
  const reset = useCallback(() => setWanted(NO_ZOOM), []);

  const endDrag = (e: ReactPointerEvent<HTMLElement>) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    drag.current = null;
    dragged.current = d.moved;
    setDragging(false);
  };

  const panHandlers: PanHandlers = {
    onPointerDown: (e) => {
      dragged.current = false;
      if (zoom.scale === 1 || e.button !== 0 || drag.current) return;
      if ((e.target as HTMLElement).closest('button, [data-no-pan]')) return;
      drag.current = { id: e.pointerId, x: e.clientX, y: e.clientY, start: zoom, moved: false };
    },
    onPointerMove: (e) => {
      const d = drag.current;
      if (!d || d.id !== e.pointerId) return;
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (!d.moved) {
        if (Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
        d.moved = true;
        e.currentTarget.setPointerCapture(e.pointerId);
        setDragging(true);
      }
      change((_from, s, p) => panZoom(d.start, dx, dy, s, p));
    },
    onPointerUp: endDrag,
    onPointerCancel: endDrag,
  };

  const takeDrag = useCallback(() => {
    const was = dragged.current;
    dragged.current = false;
    return was;
  }, []);

  return {
    stageRef: setStageElement,
    view: { stage, picture, transform },
    zoom,
    zoomBy,
    reset,
    panHandlers,
    dragging,
    takeDrag,
  };
}
