/**
 * An event opened from the log or the feed: what happened, on which camera, when and for how
 * long, its snapshot, mosaic and clip (EventMedia), and what may be done with it: anyone marks it
 * reviewed (or not), admins lock it against deletion, unlock it, and delete it (after a
 * confirmation; a locked event cannot be deleted). Changes show at once and everywhere.
 */
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { deleteEvent, updateEvent, type ActivityEvent } from '../../api/events';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Modal } from '../../components/Modal';
import { useToasts } from '../../components/Toasts';
import { eventSentence, eventStatus, kindLabel, percent, sourceLabel } from '../../events/eventText';
import { useNow } from '../../hooks/useNow';
import { localDateTime } from '../playback/zoneTime';
import { EventMedia } from './EventMedia';

interface Props {
  event: ActivityEvent;
  tz: string;
  isAdmin: boolean;
  onClose: () => void;
  onChanged: (event: ActivityEvent) => void;
  onDeleted: (id: string) => void;
}

export function EventLightbox({ event, tz, isAdmin, onClose, onChanged, onDeleted }: Props) {
  const toasts = useToasts();
  const now = useNow(1000, event.ongoing);
  const [busy, setBusy] = useState<'reviewed' | 'locked' | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const sentence = eventSentence(event, tz);
  const status = eventStatus(event, now);

  const change = async (field: 'reviewed' | 'locked', value: boolean) => {
    setBusy(field);
    try {
      onChanged(await updateEvent(event.id, { [field]: value }));
    } catch (err) {
      toasts.show(`Could not ${field === 'reviewed' ? 'mark the event' : value ? 'lock the event' : 'unlock the event'}: ${errorMessage(err)}`, 'error');
    } finally {
      setBusy(null);
    }
  };

  const footer = (
    <>
      {isAdmin && (
        <button
          type="button"
          className="button button-danger-ghost"
          onClick={() => setConfirmDelete(true)}
          disabled={event.locked || busy !== null}
          title={event.locked ? 'Unlock the event to delete it' : 'Delete the event with its pictures and clip'}
          data-testid="delete-event"
        >
          Delete
        </button>
      )}
      <span className="spacer" />
      {isAdmin && (
        <button type="button" className="button" onClick={() => void change('locked', !event.locked)} disabled={busy !== null} data-testid="lock-toggle" data-locked={String(event.locked)}>
          {busy === 'locked' ? 'Saving…' : event.locked ? 'Unlock' : 'Lock'}
        </button>
      )}
      <button
        type="button"
        className={event.reviewed ? 'button' : 'button button-primary'}
        onClick={() => void change('reviewed', !event.reviewed)}
        disabled={busy !== null}
        data-testid="review-toggle"
        data-reviewed={String(event.reviewed)}
      >
        {busy === 'reviewed' ? 'Saving…' : event.reviewed ? 'Mark not reviewed' : 'Mark reviewed'}
      </button>
    </>
  );

  return (
    <>
      <Modal title={sentence} onClose={onClose} size="wide" testId="event-lightbox" footer={footer}>
        <div className="event-details" data-testid="event-details" data-event-id={event.id} data-reviewed={String(event.reviewed)} data-locked={String(event.locked)} data-ongoing={String(event.ongoing)}>
          <span className="event-detail-camera">{event.camera_name}</span>
          <span>{localDateTime(Date.parse(event.start), tz)}</span>
          <span>{kindLabel(event.kind)}</span>
          <span>{sourceLabel(event.source)}</span>
          <span>{percent(event.peak_confidence)} sure</span>
          {event.ongoing && (
            <span className="badge badge-ongoing" data-testid="lightbox-ongoing">
              Ongoing
            </span>
          )}
          {status && <span>{status}</span>}
          {event.reviewed && <span className="badge badge-ok">Reviewed</span>}
          {event.locked && <span className="badge badge-locked">Locked</span>}
        </div>
        <EventMedia event={event} sentence={sentence} />
      </Modal>
      {confirmDelete && (
        <ConfirmDialog
          title="Delete event"
          confirmLabel="Delete event"
          onClose={() => setConfirmDelete(false)}
          onConfirm={async () => {
            await deleteEvent(event.id);
            setConfirmDelete(false);
            onDeleted(event.id);
            toasts.show('Event deleted.');
          }}
        >
          <p>
            Delete “{sentence}” on {event.camera_name} with its snapshot, mosaic and clip? The recording itself stays.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
