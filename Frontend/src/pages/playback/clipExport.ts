/**
 * Downloading a selected range as a clip. The range is checked against the day's footage first
 * (the server would refuse an empty or too long range, and a refused `<a download>` fails
 * silently), then the browser downloads the export URL itself: the clip streams to disk with the
 * session cookie and never passes through the page's memory (unlike util/download.saveBlob).
 */
import { exportUrl } from '../../api/playback';

/** The server's default EXPORT_MAX_HOURS. */
export const MAX_EXPORT_MS = 24 * 3600_000;

export interface Span {
  start: number;
  end: number;
}

/** Why [start, end) cannot be downloaded, or null when it can. */
export function exportProblem(selection: Span, footage: Span[]): string | null {
  if (!(selection.end > selection.start)) return 'The end of the selection must be after its start.';
  if (selection.end - selection.start > MAX_EXPORT_MS) return 'A clip can be at most 24 hours long.';
  const overlaps = footage.some((f) => f.start < selection.end && f.end > selection.start);
  return overlaps ? null : 'There is no footage in the selected range.';
}

function iso(ms: number): string {
  return new Date(Math.round(ms)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Starts the browser's own download of the clip for `cameraIds` over `selection`. */
export function downloadClip(cameraIds: string[], selection: Span, tz: string): void {
  const a = document.createElement('a');
  a.href = exportUrl(cameraIds, iso(Math.floor(selection.start / 1000) * 1000), iso(Math.ceil(selection.end / 1000) * 1000), tz);
  a.download = '';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
