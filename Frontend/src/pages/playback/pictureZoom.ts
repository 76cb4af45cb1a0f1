/**
 * Digital zoom of the Playback picture, as pure geometry. A zoom is a magnification and the point
 * of the picture (fractions 0..1 of the frame, `cx` across and `cy` down) shown at the centre of
 * the stage. Held that way it means the same view whatever the stage's size (a window resized, a
 * phone turned) and whatever the segment's frame size, and it turns into the transform the videos
 * are drawn with (`translate(x, y) scale(scale)` from the stage's top-left: overlayGeometry's
 * PictureTransform) for the stage and picture on screen now.
 *
 * Invariant after `clampZoom`: on an axis where the zoomed picture is longer than the stage it
 * covers the stage edge to edge (no panning off into black); where it is shorter it stays centred,
 * as the unzoomed letterboxed picture is. Nothing here reads the DOM.
 */
import type { PictureTransform, Rect, Size } from './overlayGeometry';

export interface PictureZoom {
  scale: number;
  /** The picture point at the stage's centre, as fractions of the frame's width and height. */
  cx: number;
  cy: number;
}

export interface Point {
  x: number;
  y: number;
}

export const NO_ZOOM: PictureZoom = { scale: 1, cx: 0.5, cy: 0.5 };
export const MIN_SCALE = 1;
export const MAX_SCALE = 8;
/** One button press or key: 1.5× in, 1/1.5 out. */
export const SCALE_STEP = 1.5;

const clampScale = (scale: number) => (Number.isFinite(scale) ? Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale)) : MIN_SCALE);

/** The centre on one axis: within reach of the picture's edges, or the middle when it is shorter than the stage. */
function clampCentre(centre: number, scale: number, stageLength: number, pictureLength: number): number {
  const shown = scale * pictureLength;
  if (!(shown > stageLength)) return 0.5;
  const half = stageLength / 2 / shown;
  return Math.min(1 - half, Math.max(half, Number.isFinite(centre) ? centre : 0.5));
}

/** `zoom` kept within its limits for a `picture` (the unzoomed picture rectangle) on a `stage`. */
export function clampZoom(zoom: PictureZoom, stage: Size, picture: Rect): PictureZoom {
  const scale = clampScale(zoom.scale);
  if (scale === 1) return NO_ZOOM;
  return {
    scale,
    cx: clampCentre(zoom.cx, scale, stage.width, picture.width),
    cy: clampCentre(zoom.cy, scale, stage.height, picture.height),
  };
}

/** The transform the stage's videos (and the boxes over them) are drawn with for `zoom`. */
export function zoomTransform(zoom: PictureZoom, stage: Size, picture: Rect): PictureTransform {
  const z = clampZoom(zoom, stage, picture);
  if (z.scale === 1) return { scale: 1, x: 0, y: 0 };
  return {
    scale: z.scale,
    x: stage.width / 2 - z.scale * (picture.x + z.cx * picture.width),
    y: stage.height / 2 - z.scale * (picture.y + z.cy * picture.height),
  };
}

/** The picture point (fractions of the frame) under the stage point `at`, with `zoom` applied. */
export function pictureAt(zoom: PictureZoom, at: Point, stage: Size, picture: Rect): Point {
  const t = zoomTransform(zoom, stage, picture);
  return {
    x: ((at.x - t.x) / t.scale - picture.x) / picture.width,
    y: ((at.y - t.y) / t.scale - picture.y) / picture.height,
  };
}

/**
 * Zooms by `factor` about the stage point `at` (the pointer): the picture point under it stays
 * under it, unless that would pan past the picture's edge (then the view stops at the edge).
 */
export function zoomAbout(zoom: PictureZoom, factor: number, at: Point, stage: Size, picture: Rect): PictureZoom {
  const from = clampZoom(zoom, stage, picture);
  const scale = clampScale(from.scale * factor);
  if (scale === from.scale) return from;
  const under = pictureAt(from, at, stage, picture);
  const keep = from.scale / scale;
  return clampZoom({ scale, cx: under.x + (from.cx - under.x) * keep, cy: under.y + (from.cy - under.y) * keep }, stage, picture);
}

/** Zooms by `factor` about the stage's centre (the buttons and keys). */
export function zoomCentred(zoom: PictureZoom, factor: number, stage: Size, picture: Rect): PictureZoom {
  return zoomAbout(zoom, factor, { x: stage.width / 2, y: stage.height / 2 }, stage, picture);
}

/** Drags the picture by (dx, dy) CSS pixels: the picture moves with the pointer, within its edges. */
export function panZoom(zoom: PictureZoom, dx: number, dy: number, stage: Size, picture: Rect): PictureZoom {
  const from = clampZoom(zoom, stage, picture);
  if (from.scale === 1) return from;
  return clampZoom({ scale: from.scale, cx: from.cx - dx / (from.scale * picture.width), cy: from.cy - dy / (from.scale * picture.height) }, stage, picture);
}

/** The zoom factor for one wheel event: about 1.2× a notch, up (negative deltaY) zooms in. */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  // deltaMode 1 counts lines (Firefox), 2 pages; 0 counts pixels, about 100 a notch.
  const pixels = deltaMode === 1 ? deltaY * 33 : deltaMode === 2 ? deltaY * 800 : deltaY;
  return Math.exp(-Math.max(-400, Math.min(400, pixels)) * 0.0018);
}

/** The CSS transform for `t`, or undefined for none (so an unzoomed video has no transform at all). */
export function transformStyle(t: PictureTransform): string | undefined {
  if (t.scale === 1 && t.x === 0 && t.y === 0) return undefined;
  return `translate(${t.x}px, ${t.y}px) scale(${t.scale})`;
}
