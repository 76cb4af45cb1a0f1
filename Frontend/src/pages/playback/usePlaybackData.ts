/**
 * Loads what the Playback page shows for the chosen cameras and day: the multi-camera timeline
 * (asked once for all cameras), the days with footage in the shown month, the playing camera's
 * segments for the day, and (today) the segments being written. Today's timeline, segments and
 * segments being written refresh every few seconds, so the footage being recorded grows on the
 * ruler and keeps playing (answers replace the old ones in place, nothing is cleared meanwhile);
 * the calendar's days every 30 s. An answer for an earlier choice (another day or camera) is
 * dropped.
 */
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../api/client';
import { getDays, getTimeline, listAllRecordings, listRecordings, type MultiTimeline, type Recording } from '../../api/playback';
import { inProgress, recentWindow } from './liveMarks';
import { toSegments, type Segment } from './segmentLookup';

/** Today's timeline and segments are asked again this often. */
export const TODAY_REFRESH_MS = 4000;
/** The calendar's days are asked again every this many refreshes (about 30 s). */
const DAYS_EVERY = 8;

export interface PlaybackData {
  timeline: MultiTimeline | null;
  timelineError: string | null;
  loading: boolean;
  footageDays: ReadonlySet<string>;
  daysLoading: boolean;
  /** The playing camera's segments; `for` says which camera and day they belong to. */
  segments: { for: string; list: Segment[] } | null;
  /** Today: the chosen cameras' segments being written (empty on other days). */
  beingWritten: Recording[];
  reload: () => void;
}

export function usePlaybackData(cameraIds: string[], date: string, month: string, tz: string, focusedId: string | null, isToday: boolean): PlaybackData {
  const [timeline, setTimeline] = useState<MultiTimeline | null>(null);
  const [timelineError, setTimelineError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [footageDays, setFootageDays] = useState<ReadonlySet<string>>(new Set());
  const [daysLoading, setDaysLoading] = useState(false);
  const [segments, setSegments] = useState<PlaybackData['segments']>(null);
  const [beingWritten, setBeingWritten] = useState<Recording[]>([]);
  const [tick, setTick] = useState(0);
  const key = cameraIds.join(',');
  const daysTick = Math.floor(tick / DAYS_EVERY);

  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    if (!isToday) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') setTick((t) => t + 1);
    }, TODAY_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [isToday]);

  // A different set of cameras or another day: forget the old day at once.
  useEffect(() => {
    setTimeline(null);
    setSegments(null);
  }, [key, date, tz]);

  useEffect(() => {
    if (!key) return;
    const controller = new AbortController();
    setLoading(true);
    const ids = key.split(',');
    getTimeline(ids, date, tz, controller.signal)
      .then((answer) => {
        // The cameras come back in the order asked; keep the ids exactly as the page spells them.
        setTimeline({ ...answer, cameras: answer.cameras.map((c, i) => ({ ...c, camera_id: ids[i] ?? c.camera_id })) });
        setTimelineError(null);
      })
      .catch((err) => {
        if (!controller.signal.aborted) setTimelineError(errorMessage(err));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [key, date, tz, tick]);

  useEffect(() => {
    if (!key) {
      setFootageDays(new Set());
      return;
    }
    const controller = new AbortController();
    setDaysLoading(true);
    getDays(key.split(','), month, tz, controller.signal)
      .then((answer) => setFootageDays(new Set(answer.days)))
      .catch(() => {
        if (!controller.signal.aborted) setFootageDays(new Set());
      })
      .finally(() => {
        if (!controller.signal.aborted) setDaysLoading(false);
      });
    return () => controller.abort();
  }, [key, month, tz, daysTick]);

  const dayStart = timeline?.date === date ? timeline.day_start : null;
  const dayEnd = timeline?.date === date ? timeline.day_end : null;
  useEffect(() => {
    if (!focusedId || !dayStart || !dayEnd) return;
    const controller = new AbortController();
    listRecordings(focusedId, dayStart, dayEnd, controller.signal)
      .then((rows) => setSegments({ for: `${focusedId}/${date}`, list: toSegments(rows) }))
      .catch((err) => {
        if (!controller.signal.aborted) setTimelineError(errorMessage(err));
      });
    return () => controller.abort();
  }, [focusedId, dayStart, dayEnd, date, tick]);

  // Today: every camera's segments being written, kept for the chosen ones.
  useEffect(() => {
    if (!key || !isToday) {
      setBeingWritten([]);
      return;
    }
    const controller = new AbortController();
    const chosen = new Set(key.toLowerCase().split(','));
    const { start, end } = recentWindow(Date.now());
    listAllRecordings(start, end, controller.signal)
      .then((rows) => setBeingWritten(rows.filter((r) => inProgress(r) && chosen.has(r.camera_id.toLowerCase()))))
      .catch(() => {
        /* the ruler shows the footage without its growing edge until the next answer */
      });
    return () => controller.abort();
  }, [key, isToday, tick]);

  return { timeline, timelineError, loading, footageDays, daysLoading, segments, beingWritten, reload };
}
