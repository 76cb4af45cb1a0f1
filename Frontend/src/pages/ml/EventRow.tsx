/**
 * One event in the activity log or the live feed: its snapshot, what happened and when, the
 * camera, where it was found (live or recorded footage) and how sure the detector was, whether it
 * is still going on, and the reviewed and locked marks. The whole row opens the event.
 */
import type { ActivityEvent } from '../../api/events';
import { eventSentence, eventStatus, percent, sourceLabel } from '../../events/eventText';
import { classColor } from '../playback/detectionClasses';
import { EventThumbnail } from './EventThumbnail';

interface Props {
  event: ActivityEvent;
  tz: string;
  now: number;
  onOpen: (event: ActivityEvent) => void;
  compact?: boolean;
  testId?: string;
}

/** The reviewed and locked marks. */
function EventMarks({ event }: { event: ActivityEvent }) {
  if (!event.reviewed && !event.locked) return null;
  return (
    <span className="event-marks">
      {event.reviewed && (
        <span className="badge badge-ok" data-testid="event-reviewed-mark">
          Reviewed
        </span>
      )}
      {event.locked && (
        <span className="badge badge-locked" data-testid="event-locked-mark">
          Locked
        </span>
      )}
    </span>
  );
}

export function EventRow({ event, tz, now, onOpen, compact = false, testId = 'event-row' }: Props) {
  const sentence = eventSentence(event, tz);
  const status = eventStatus(event, now);
  return (
    <li
      className={`event-row${compact ? ' event-row-compact' : ''}${event.reviewed ? ' event-row-reviewed' : ''}`}
      data-testid={testId}
      data-event-id={event.id}
      data-camera-id={event.camera_id}
      data-kind={event.kind}
      data-class={event.class}
      data-source={event.source}
      data-ongoing={String(event.ongoing)}
      data-reviewed={String(event.reviewed)}
      data-locked={String(event.locked)}
      data-artifacts={event.artifacts}
    >
      <button type="button" className="event-row-button" onClick={() => onOpen(event)} aria-label={`${sentence}, ${event.camera_name}: open`}>
        <EventThumbnail key={event.artifacts} event={event} alt={`${sentence} on ${event.camera_name}`} />
        <span className="event-row-text">
          <span className="event-sentence" data-testid="event-sentence">
            <span className="class-dot" style={{ background: classColor(event.class) }} aria-hidden="true" />
            {sentence}
          </span>
          <span className="event-meta">
            <span data-testid="event-camera">{event.camera_name}</span>
            {!compact && <span>{sourceLabel(event.source)}</span>}
            <span title="Highest confidence">{percent(event.peak_confidence)}</span>
            {compact && <EventMarks event={event} />}
          </span>
          {(status || event.ongoing) && (
            <span className="event-status" data-testid="event-status">
              {event.ongoing && (
                <span className="badge badge-ongoing" data-testid="event-ongoing">
                  Ongoing
                </span>
              )}
              {status && <span>{status}</span>}
            </span>
          )}
        </span>
        {!compact && <EventMarks event={event} />}
      </button>
    </li>
  );
}
