/**
 * The event shown in the lightbox: the copy the user clicked, or for an address that names one
 * (`/ml?event=<id>`) the server's; kept current by the stream and by the user's own changes.
 */
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/client';
import { getEvent, type ActivityEvent } from '../../api/events';
import { useActivity } from '../../hooks/useEventStream';

export interface OpenEvent {
  event: ActivityEvent | null;
  error: string | null;
  /** Shows this copy (clicked, or changed by the user). */
  show(event: ActivityEvent): void;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function useOpenEvent(id: string | null): OpenEvent {
  const [event, setEvent] = useState<ActivityEvent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = event && id && same(event.id, id) ? event : null;

  useEffect(() => {
    setError(null);
    if (!id || current) return;
    const controller = new AbortController();
    getEvent(id, controller.signal)
      .then(setEvent)
      .catch((err) => {
        if (!controller.signal.aborted) setError(errorMessage(err));
      });
    return () => controller.abort();
    // Only a new id needs the server: the copy in hand is kept current below.
  }, [id]);

  useActivity({ onEvent: (e) => setEvent((shown) => (shown && same(shown.id, e.id) ? e : shown)) });

  return { event: current, error, show: setEvent };
}
