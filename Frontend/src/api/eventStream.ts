/**
 * The server's event stream, GET /api/events/stream (Server-Sent Events): `activity` carries an
 * Event whenever one is written or updated, `presence` what live detection sees on a camera when
 * that changes. EventSource cannot send the bearer header; the request carries the HttpOnly
 * `ronin_session` cookie that signing in set, which the server accepts on GET.
 *
 * The browser reconnects by itself after a dropped connection; a refused one (401, 5xx) it gives
 * up on, so this opens a new EventSource after a growing pause (1 s doubling to 30 s) and says so
 * through `onState`. `onState('open', true)` after a reconnect tells listeners they may have
 * missed events in between.
 */
import type { ActivityEvent } from './events';
import type { PresenceMessage } from '../events/presence';

export const EVENT_STREAM_URL = '/api/events/stream';

export type StreamState = 'connecting' | 'open' | 'reconnecting';

export interface StreamHandlers {
  onActivity(event: ActivityEvent): void;
  onPresence(message: PresenceMessage): void;
  /** `resumed` is true when an earlier connection had been open: events may have been missed. */
  onState(state: StreamState, resumed: boolean): void;
  /** The server refused a connection (the session may have ended): a chance to check it. */
  onRefused?(): void;
}

/** The pause before the `attempt`th new connection (1-based): 1 s, 2 s, 4 s … at most 30 s. */
export function retryDelay(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

function parse<T>(data: string): T | null {
  try {
    return JSON.parse(data) as T;
  } catch {
    return null;
  }
}

/** Opens the stream; the returned function closes it for good. */
export function openEventStream(handlers: StreamHandlers): () => void {
  let source: EventSource | null = null;
  let timer: number | undefined;
  let attempts = 0;
  let everOpen = false;
  let closed = false;

  const connect = () => {
    handlers.onState(everOpen ? 'reconnecting' : 'connecting', false);
    const es = new EventSource(EVENT_STREAM_URL);
    source = es;
    es.onopen = () => {
      attempts = 0;
      handlers.onState('open', everOpen);
      everOpen = true;
    };
    es.addEventListener('activity', (message) => {
      const event = parse<ActivityEvent>((message as MessageEvent<string>).data);
      if (event && typeof event.id === 'string') handlers.onActivity(event);
    });
    es.addEventListener('presence', (message) => {
      const presence = parse<PresenceMessage>((message as MessageEvent<string>).data);
      if (presence && typeof presence.camera_id === 'string') handlers.onPresence(presence);
    });
    es.onerror = () => {
      if (closed) return;
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        attempts += 1;
        handlers.onState('reconnecting', false);
        handlers.onRefused?.();
        timer = window.setTimeout(connect, retryDelay(attempts));
      } else {
        handlers.onState('reconnecting', false);
      }
    };
  };

  connect();
  return () => {
    closed = true;
    window.clearTimeout(timer);
    source?.close();
  };
}
