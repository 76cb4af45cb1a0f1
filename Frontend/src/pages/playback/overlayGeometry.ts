/**
 * Where a detection box lands on screen. A `<video>` with `object-fit: contain` shows its picture
 * as large as fits inside the element, centred, with black bars on the sides that fall short
 * (letterbox or pillarbox); a box is a fraction (0..1) of the picture, so it maps into that
 * picture rectangle, not into the element. A picture zoom (translate, then scale, origin at the
 * element's top-left) moves the picture and its boxes alike.
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

/** "x,y,width,height" to one decimal: how the overlay writes a rectangle for tests and tools. */
export function rectAttribute(rect: Rect): string {
  return [rect.x, rect.y, rect.width, rect.height].map((v) => (Math.round(v * 10) / 10).toString()).join(',');
}
