/**
 * Digital zoom for an enlarged camera: pure geometry plus a hook wiring the mouse wheel, +/-
 * buttons and drag-to-pan. The view is `translate(x, y) scale(s)` with origin top-left on the
 * video, which fills its frame; x and y are clamped so the zoomed picture always covers the frame.
 */
import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type RefObject } from 'react';

export interface ZoomView {
  scale: number;
  x: number;
  y: number;
}

export const IDENTITY: ZoomView = { scale: 1, x: 0, y: 0 };
export const MIN_SCALE = 1;
export const MAX_SCALE = 8;
export const BUTTON_STEP = 1.5;

/** Keeps the scaled picture covering a frame of `width` x `height`. */
export function clampView(view: ZoomView, width: number, height: number): ZoomView {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale));
  if (scale === 1) return IDENTITY;
  const minX = width * (1 - scale);
  const minY = height * (1 - scale);
  return { scale, x: Math.min(0, Math.max(minX, view.x)), y: Math.min(0, Math.max(minY, view.y)) };
}

/** Zooms by `factor` keeping the frame point (px, py) where it is on screen. */
export function zoomAt(view: ZoomView, factor: number, px: number, py: number, width: number, height: number): ZoomView {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  const ratio = scale / view.scale;
  return clampView({ scale, x: px - (px - view.x) * ratio, y: py - (py - view.y) * ratio }, width, height);
}

export function viewTransform(view: ZoomView): string | undefined {
  if (view.scale === 1) return undefined;
  return `translate(${view.x.toFixed(1)}px, ${view.y.toFixed(1)}px) scale(${view.scale.toFixed(3)})`;
}

export interface Zoom {
  view: ZoomView;
  zoomIn(): void;
  zoomOut(): void;
  reset(): void;
  /** Spread on the frame element for drag-to-pan. */
  panHandlers: {
    onPointerDown: (e: ReactPointerEvent<HTMLElement>) => void;
    onPointerMove: (e: ReactPointerEvent<HTMLElement>) => void;
    onPointerUp: (e: ReactPointerEvent<HTMLElement>) => void;
    onPointerCancel: (e: ReactPointerEvent<HTMLElement>) => void;
  };
  dragging: boolean;
}

/** Zoom state for the frame in `frameRef`; `enabled` false resets and ignores input. */
export function useZoom(frameRef: RefObject<HTMLElement>, enabled: boolean): Zoom {
  const [view, setView] = useState<ZoomView>(IDENTITY);
  const [dragging, setDragging] = useState(false);
  const drag = useRef<{ id: number; x: number; y: number; start: ZoomView } | null>(null);

  const size = useCallback(() => {
    const el = frameRef.current;
    return el ? { width: el.clientWidth, height: el.clientHeight } : { width: 1, height: 1 };
  }, [frameRef]);

  useEffect(() => {
    if (!enabled) setView(IDENTITY);
  }, [enabled]);

  // React's wheel listeners are passive; zooming must stop the page from scrolling.
  useEffect(() => {
    const el = frameRef.current;
    if (!el || !enabled) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = el.getBoundingClientRect();
      const factor = Math.exp(-event.deltaY * 0.0015);
      setView((v) => zoomAt(v, factor, event.clientX - rect.left, event.clientY - rect.top, rect.width, rect.height));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [frameRef, enabled]);

  const zoomBy = useCallback(
    (factor: number) => {
      const { width, height } = size();
      setView((v) => zoomAt(v, factor, width / 2, height / 2, width, height));
    },
    [size],
  );

  const panHandlers: Zoom['panHandlers'] = {
    onPointerDown: (e) => {
      if (!enabled || view.scale === 1 || e.button !== 0) return;
      if ((e.target as HTMLElement).closest('button')) return;
      e.currentTarget.setPointerCapture(e.pointerId);
      drag.current = { id: e.pointerId, x: e.clientX, y: e.clientY, start: view };
      setDragging(true);
    },
    onPointerMove: (e) => {
      const d = drag.current;
      if (!d || d.id !== e.pointerId) return;
      const { width, height } = size();
      setView(clampView({ ...d.start, x: d.start.x + e.clientX - d.x, y: d.start.y + e.clientY - d.y }, width, height));
    },
    onPointerUp: (e) => {
      if (drag.current?.id !== e.pointerId) return;
      drag.current = null;
      setDragging(false);
    },
    onPointerCancel: () => {
      drag.current = null;
      setDragging(false);
    },
  };

  return {
    view,
    zoomIn: () => zoomBy(BUTTON_STEP),
    zoomOut: () => zoomBy(1 / BUTTON_STEP),
    reset: () => setView(IDENTITY),
    panHandlers,
    dragging,
  };
}
