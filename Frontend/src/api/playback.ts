/**
 * Playback endpoints (docs/design/playback.md): which local days have footage, what a day holds
 * (ranges, gaps, detection markers), the day's segments, and clip export. Every instant is UTC
 * ISO 8601; the viewer's IANA time zone travels as `tz` and only decides where a local day or
 * month begins and ends. Media and export addresses are plain GET URLs, so a `<video src>` or an
 * `<a download>` fetches them with the session cookie and nothing is buffered in the page.
 */
import { request } from './client';

/** Where footage lives (docs/design/tiers.md). */
export type StorageTierName = 'hot' | 'warm' | 'cold';

/** A stretch of a range whose footage lives in one storage tier. */
export interface TierRun {
  start: string;
  end: string;
  tier: StorageTierName;
}

/** A stretch of continuous footage (neighbouring segments merged), clipped to the day. */
export interface FootageRange {
  start: string;
  end: string;
  /** How many segment rows the range covers. */
  recordings: number;
  /** Runs of one tier each covering the range (absent from servers without storage tiers). */
  tiers?: TierRun[];
}

export interface TimeSpan {
  start: string;
  end: string;
}

/** Detections of one class in one bucket of `bucket_seconds`. */
export interface DetectionMarker {
  class: string;
  start: string;
  end: string;
  count: number;
}

/** The per-camera part of a timeline. */
export interface CameraTimeline {
  camera_id: string;
  ranges: FootageRange[];
  gaps: TimeSpan[];
  recorded_seconds: number;
  /** Seconds of footage per tier, only tiers holding some (absent from servers without storage tiers). */
  tier_seconds?: Partial<Record<StorageTierName, number>>;
  markers: DetectionMarker[];
  /** Detections per class for the whole day. */
  counts: Record<string, number>;
}

/** The bounds of one local day in `tz`: 23, 24 or 25 hours. */
export interface DayBounds {
  date: string;
  tz: string;
  day_start: string;
  day_end: string;
  hours: number;
  length_seconds: number;
  bucket_seconds: number;
}

/** GET /api/playback/timeline?camera_ids=…: the day once, then each camera in the order asked. */
export interface MultiTimeline extends DayBounds {
  cameras: CameraTimeline[];
}

/** GET /api/playback/days?camera_ids=…: the union and each camera's own days. */
export interface MultiDays {
  month: string;
  tz: string;
  days: string[];
  cameras: { camera_id: string; days: string[] }[];
}

/** One recorded segment, from GET /api/recordings (docs/api.md). */
export interface Recording {
  id: string;
  camera_id: string;
  start: string;
  end: string;
  duration_seconds: number;
  size_bytes: number;
  video_codec: string | null;
  width: number | null;
  height: number | null;
  audio_codec: string | null;
  /** `recording` while the segment is being written (its end and size move on). */
  status: 'complete' | 'missing' | 'deleting' | 'recording' | string;
  /** The segment being written: its file plays up to its last fragment (older servers omit it). */
  in_progress?: boolean;
  path: string | null;
  file_url: string;
}

function ids(cameraIds: string[]): string {
  return cameraIds.join(',');
}

/** One request for the day of every camera in `cameraIds` (at most 64). */
export function getTimeline(cameraIds: string[], date: string, tz: string, signal?: AbortSignal): Promise<MultiTimeline> {
  return request<MultiTimeline>('/api/playback/timeline', { query: { camera_ids: ids(cameraIds), date, tz }, signal });
}

/** The local days of `month` (YYYY-MM) on which any of the cameras has footage. */
export function getDays(cameraIds: string[], month: string, tz: string, signal?: AbortSignal): Promise<MultiDays> {
  return request<MultiDays>('/api/playback/days', { query: { camera_ids: ids(cameraIds), month, tz }, signal });
}

/** The camera's segments overlapping [start, end), oldest first. */
export function listRecordings(cameraId: string, start: string, end: string, signal?: AbortSignal): Promise<Recording[]> {
  return request<Recording[]>('/api/recordings', { query: { camera_id: cameraId, start, end }, signal });
}

/** Every camera's segments overlapping [start, end) (the page finds the segments being written with it). */
export function listAllRecordings(start: string, end: string, signal?: AbortSignal): Promise<Recording[]> {
  return request<Recording[]>('/api/recordings', { query: { start, end }, signal });
}

/** The segment's MP4 (HTTP ranges; the session cookie authenticates a `<video>`). */
export function recordingFileUrl(recordingId: string): string {
  return `/api/recordings/${encodeURIComponent(recordingId)}/file`;
}

/**
 * The clip download for [start, end): one MP4 for one camera, a ZIP with one MP4 per camera
 * that has footage for several.
 */
export function exportUrl(cameraIds: string[], start: string, end: string, tz: string): string {
  const params = new URLSearchParams({ start, end, tz });
  if (cameraIds.length === 1) return `/api/playback/${encodeURIComponent(cameraIds[0])}/export?${params}`;
  return `/api/playback/export?camera_ids=${encodeURIComponent(ids(cameraIds))}&${params}`;
}
