/**
 * Live detections: what live detection sees on each camera right now (from the stream's
 * presence messages), and the latest events across every camera, newest first, with each new
 * one from the stream on top the moment it is written. Says when the stream is reconnecting.
 */
import type { ActivityEvent } from '../../api/events';
import type { StreamState } from '../../api/eventStream';
import type { Camera } from '../../api/types';
import { EmptyState, LoadingState, Spinner } from '../../components/Status';
import { presenceLabel } from '../../events/presence';
import { useNow } from '../../hooks/useNow';
import { usePresence } from '../../hooks/useEventStream';
import { EventRow } from './EventRow';
import type { EventLog } from './useEventLog';

interface Props {
  feed: EventLog;
  stream: StreamState;
  cameras: Camera[];
  tz: string;
  onOpen: (event: ActivityEvent) => void;
}

const STREAM_TEXT: Record<StreamState, string> = { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…' };

export function LiveFeed({ feed, stream, cameras, tz, onOpen }: Props) {
  const presence = usePresence();
  const events = feed.state?.events ?? [];
  const now = useNow(1000, events.some((e) => e.ongoing));
  const nameOf = (id: string) => cameras.find((c) => c.id.toLowerCase() === id)?.name ?? 'Camera';
  const inView = Object.entries(presence).map(([id, objects]) => ({ id, name: nameOf(id), label: presenceLabel(objects) }));

  return (
    <section className="panel live-feed" data-testid="live-feed" data-stream={stream}>
      <div className="panel-head">
        <h2>Live detections</h2>
        <span className={`stream-state stream-${stream}`} data-testid="stream-state">
          {stream === 'open' ? <span className="stream-dot" aria-hidden="true" /> : <Spinner />}
          {STREAM_TEXT[stream]}
        </span>
      </div>
      <h3 className="panel-subhead">In view now</h3>
      {inView.length === 0 ? (
        <p className="muted small" data-testid="presence-empty">
          {stream === 'open' ? 'Live detection sees nothing on any camera.' : 'Waiting for the live connection.'}
        </p>
      ) : (
        <ul className="presence-list bare-list" data-testid="presence-list">
          {inView.map((p) => (
            <li key={p.id} data-testid="presence-camera" data-camera-id={p.id}>
              <span className="presence-camera">{p.name}</span>
              <span className="presence-objects">{p.label}</span>
            </li>
          ))}
        </ul>
      )}
      <h3 className="panel-subhead">Latest</h3>
      {!feed.state ? (
        feed.error ? (
          <p className="inline-warning">{feed.error}</p>
        ) : (
          <LoadingState text="Loading…" />
        )
      ) : events.length === 0 ? (
        <EmptyState title="Nothing yet">New events appear here the moment they happen.</EmptyState>
      ) : (
        <ul className="event-list event-list-compact bare-list" data-testid="feed-list">
          {events.map((event) => (
            <EventRow key={event.id} event={event} tz={tz} now={now} onOpen={onOpen} compact testId="feed-row" />
          ))}
        </ul>
      )}
    </section>
  );
}
