/**
 * Detections: GET /api/detections (docs/api.md, "Detection and background jobs"). A detection is
 * one object found in one analysed frame: its instant (UTC), class, confidence and box. Boxes are
 * fractions (0..1) of the frame with the origin at its top-left corner, so they do not depend on
 * the size the picture is shown at. Answers come oldest first, a page at a time.
 */
import { ApiError, request } from './client';

/** A box in fractions (0..1) of the frame: left, top, width and height. */
export interface FrameBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Detection {
  id: string;
  camera_id: string;
  recording_id: string | null;
  /** The analysed frame's instant, UTC ISO 8601. */
  time: string;
  class: string;
  /** 0..1 */
  confidence: number;
  box: FrameBox;
  track_id: number | null;
  source: 'historical' | 'live' | string;
}

/** One page of a camera's detections in a time range. */
export interface DetectionPage {
  detections: Detection[];
  /** Every match, not only this page. */
  total: number;
  /** Pass back as `cursor` for the next page; null on the last. */
  next_cursor: string | null;
}

/** The most one request may ask for. */
export const DETECTION_PAGE_LIMIT = 10_000;

/** The camera's detections with start <= time < end (at most 31 days), one page of `limit`. */
export function listDetections(
  cameraId: string,
  start: string,
  end: string,
  options: { limit?: number; cursor?: string | null; classes?: string[] } = {},
  signal?: AbortSignal,
): Promise<DetectionPage> {
  return request<DetectionPage>('/api/detections', {
    query: {
      camera_id: cameraId,
      start,
      end,
      limit: options.limit,
      cursor: options.cursor ?? undefined,
      class: options.classes && options.classes.length > 0 ? options.classes.join(',') : undefined,
    },
    signal,
  });
}

/** Like `listDetections`, but null where the server has no detections for the camera (404). */
export async function findDetections(
  cameraId: string,
  start: string,
  end: string,
  options: { limit?: number; cursor?: string | null } = {},
  signal?: AbortSignal,
): Promise<DetectionPage | null> {
  try {
    return await listDetections(cameraId, start, end, options, signal);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}
