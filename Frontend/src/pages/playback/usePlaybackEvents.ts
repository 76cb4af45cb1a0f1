/**
 * The activity events of the chosen cameras on the day shown (GET /api/events per camera, every
 * page), for the ruler's event pins; events the stream brings for those cameras and that day
 * join them as they happen. Keyed by lower-case camera id.
 */
import { useEffect, useState } from 'react';
import { EVENT_PAGE_LIMIT, listEvents, type ActivityEvent } from '../../api/events';
import { mergeEvent } from '../../events/eventList';
import { useActivity } from '../../hooks/useEventStream';

export type EventsByCamera = ReadonlyMap<string, ActivityEvent[]>;

async function dayEvents(cameraId: string, start: string, end: string, signal: AbortSignal): Promise<ActivityEvent[]> {
  const found: ActivityEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await listEvents({ camera_id: cameraId, start, end, limit: EVENT_PAGE_LIMIT, cursor }, signal);
    found.push(...page.events);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return found;
}

export function usePlaybackEvents(cameraIds: string[], dayStart: string | null, dayEnd: string | null): EventsByCamera {
  const [events, setEvents] = useState<EventsByCamera>(new Map());
  const key = cameraIds.join(',');

  useEffect(() => {
    setEvents(new Map());
    if (!key || !dayStart || !dayEnd) return;
    const controller = new AbortController();
    const ids = key.split(',');
    Promise.all(ids.map((id) => dayEvents(id, dayStart, dayEnd, controller.signal)))
      .then((lists) => setEvents(new Map(ids.map((id, i) => [id.toLowerCase(), lists[i]]))))
      .catch(() => undefined /* the ruler shows footage without pins */);
    return () => controller.abort();
  }, [key, dayStart, dayEnd]);

  useActivity({
    onEvent: (event) => {
      if (!dayStart || !dayEnd) return;
      const at = Date.parse(event.start);
      if (at < Date.parse(dayStart) || at >= Date.parse(dayEnd)) return;
      setEvents((map) => {
        const camera = event.camera_id.toLowerCase();
        const list = map.get(camera);
        if (!list) return map;
        const next = new Map(map);
        next.set(camera, mergeEvent({ events: list, total: list.length, cursor: null }, event, true).events);
        return next;
      });
    },
  });

  return events;
}
