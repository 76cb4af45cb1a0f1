/**
 * Where a detection box lands on screen. A `<video>` with `object-fit: contain` shows its picture
 * as large as fits inside the element, centred, with black bars on the sides that fall short
 * (letterbox or pillarbox); a box is a fraction (0..1) of the picture, so it maps into that
 * picture rectangle, not into the element. A picture zoom (translate, then scale, origin at the
 * element's top-left) moves the picture and its boxes alike; what then falls outside the element
 * is not seen, so a box is clipped to the visible part of the picture (`placeBox`).
 *
 * All rectangles are in CSS pixels relative to the element's top-left corner; nothing here
 * reads the DOM.
 */
import type { FrameBox } from '../../api/detections';

export interface Size {
  width: number;
  height: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A picture zoom: the element drawn as `translate(x, y) scale(scale)` from its top-left. */
export interface PictureTransform {
  scale: number;
  x: number;
  y: number;
}

function positive(size: Size): boolean {
  return Number.isFinite(size.width) && Number.isFinite(size.height) && size.width > 0 && size.height > 0;
}

/**
 * The rectangle the picture fills inside an element of `element` size, for a video whose frames
 * show at `media` size (the browser's videoWidth × videoHeight); null while either is unknown.
 */
export function pictureRect(element: Size, media: Size): Rect | null {
  if (!positive(element) || !positive(media)) return null;
  const scale = Math.min(element.width / media.width, element.height / media.height);
  const width = media.width * scale;
  const height = media.height * scale;
  return { x: (element.width - width) / 2, y: (element.height - height) / 2, width, height };
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** A frame box on `picture`, clipped to the frame (a box may reach past its edges). */
export function boxOnPicture(box: FrameBox, picture: Rect): Rect {
  const left = clamp01(box.x);
  const top = clamp01(box.y);
  const right = clamp01(box.x + box.width);
  const bottom = clamp01(box.y + box.height);
  return {
    x: picture.x + left * picture.width,
    y: picture.y + top * picture.height,
    width: Math.max(0, right - left) * picture.width,
    height: Math.max(0, bottom - top) * picture.height,
  };
}

/** `rect` as it shows once the element is drawn with `transform` (a picture zoom like the Live View's). */
export function transformRect(rect: Rect, transform: PictureTransform): Rect {
  return {
    x: transform.x + rect.x * transform.scale,
    y: transform.y + rect.y * transform.scale,
    width: rect.width * transform.scale,
    height: rect.height * transform.scale,
  };
}

/** The part of `rect` inside `bounds`, or null when they do not overlap (touching edges included). */
export function clipRect(rect: Rect, bounds: Rect): Rect | null {
  const left = Math.max(rect.x, bounds.x);
  const top = Math.max(rect.y, bounds.y);
  const right = Math.min(rect.x + rect.width, bounds.x + bounds.width);
  const bottom = Math.min(rect.y + rect.height, bounds.y + bounds.height);
  if (!(right > left && bottom > top)) return null;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** What shows of `picture` in an element of `element` size drawn with `transform`; null when nothing does. */
export function visiblePicture(element: Size, picture: Rect, transform: PictureTransform): Rect | null {
  return clipRect(transformRect(picture, transform), { x: 0, y: 0, width: element.width, height: element.height });
}

/** A box placed on screen: its visible rectangle and the sides cut off by the element's edges. */
export interface PlacedBox {
  rect: Rect;
  clipped: { left: boolean; top: boolean; right: boolean; bottom: boolean };
}

const EDGE = 1e-6;

/**
 * Where a frame box shows on a `picture` (unzoomed) in an element of `element` size drawn with
 * `transform`: mapped into the picture, moved with the zoom, and clipped to what is visible of the
 * picture; null when none of it is on screen (or the box is empty).
 */
export function placeBox(box: FrameBox, picture: Rect, transform: PictureTransform, element: Size): PlacedBox | null {
  const whole = transformRect(boxOnPicture(box, picture), transform);
  const visible = visiblePicture(element, picture, transform);
  const rect = visible && clipRect(whole, visible);
  if (!rect) return null;
  return {
    rect,
    clipped: {
      left: rect.x > whole.x + EDGE,
      top: rect.y > whole.y + EDGE,
      right: rect.x + rect.width < whole.x + whole.width - EDGE,
      bottom: rect.y + rect.height < whole.y + whole.height - EDGE,
    },
  };
}

/** "x,y,width,height" to one decimal: how the overlay writes a rectangle for tests and tools. */
export function rectAttribute(rect: Rect): string {
  return [rect.x, rect.y, rect.width, rect.height].map((v) => (Math.round(v * 10) / 10).toString()).join(',');
}
