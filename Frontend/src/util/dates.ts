/** Date formatting at the UI edge: the API speaks UTC, people read local time. */

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Local calendar date as YYYY-MM-DD (for file names). */
export function localDateStamp(date = new Date()): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A UTC ISO timestamp shown as local date and time, e.g. "2026-11-25 04:00". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${localDateStamp(date)} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
