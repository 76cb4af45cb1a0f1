/**
 * ML: what detection found. The Activity tab holds the log of arrivals, departures and changes
 * of movement (filters, pages, thumbnails) beside the live feed (what each camera sees now and
 * the latest events, as they happen); Status is the detection status the Status page shows;
 * Settings edits the detection settings (admins; viewers read them). A clicked event opens in a
 * lightbox with its snapshot, mosaic and clip. While this page is open every event counts as
 * seen, so the header's badge is cleared. Tab, filters, open event and settings scope live in the
 * URL (ml/mlLocation.ts).
 */
import { useCallback, useEffect, useMemo } from 'react';
import { listCameras } from '../api/cameras';
import type { ActivityEvent } from '../api/events';
import { useAuth } from '../auth/AuthContext';
import { Modal } from '../components/Modal';
import { ErrorState, LoadingState } from '../components/Status';
import { useActivity, usePresence, useUnseenEvents } from '../hooks/useEventStream';
import { useResource } from '../hooks/useResource';
import { navigate, useLocation } from '../router/router';
import { sortCameras } from '../util/cameras';
import { ActivityLog } from './ml/ActivityLog';
import { ConfigEditor } from './ml/ConfigEditor';
import { DetectionStatusTab } from './ml/DetectionStatusTab';
import { NO_FILTER, type EventFilter } from './ml/eventFilters';
import { EventLightbox } from './ml/EventLightbox';
import { LiveFeed } from './ml/LiveFeed';
import { ML_TABS, readView, viewPath, type MlView } from './ml/mlLocation';
import { useCameraNames } from './ml/useCameraNames';
import { useEventLog } from './ml/useEventLog';
import { useOpenEvent } from './ml/useOpenEvent';
import { browserTimeZone } from './playback/zoneTime';

const FEED_SIZE = 12;

export function MlPage() {
  const { isAdmin } = useAuth();
  const location = useLocation();
  const tz = useMemo(browserTimeZone, []);
  const view = useMemo(() => readView(location.query), [location.full]);
  const loadCameras = useCallback((signal: AbortSignal) => listCameras(signal), []);
  const cameraResource = useResource(loadCameras);
  const cameras = useMemo(() => (cameraResource.data ? sortCameras(cameraResource.data) : []), [cameraResource.data]);
  const log = useEventLog(view.filter, tz);
  const feed = useEventLog(NO_FILTER, tz, { pageSize: FEED_SIZE, cap: FEED_SIZE });
  const stream = useActivity({});
  const opened = useOpenEvent(view.eventId);
  const { setViewing } = useUnseenEvents();
  const presence = usePresence();
  useCameraNames(cameraResource, [...Object.keys(presence), ...(feed.state?.events ?? []).map((e) => e.camera_id)]);

  useEffect(() => {
    setViewing(true);
    return () => setViewing(false);
  }, [setViewing]);

  const go = (patch: Partial<MlView>, replace = false) => navigate(viewPath({ ...view, ...patch }), replace);
  const open = (event: ActivityEvent) => {
    opened.show(event);
    go({ eventId: event.id });
  };
  const changed = (event: ActivityEvent) => {
    opened.show(event);
    log.replace(event);
    feed.replace(event);
  };
  const deleted = (id: string) => {
    log.remove(id);
    feed.remove(id);
    go({ eventId: null }, true);
  };

  const body = () => {
    if (view.tab === 'status') return <DetectionStatusTab cameras={cameras} isAdmin={isAdmin} />;
    if (view.tab === 'settings') return <ConfigEditor cameraId={view.scope} onCamera={(scope) => go({ scope }, true)} isAdmin={isAdmin} />;
    return (
      <div className="ml-activity">
        <ActivityLog log={log} filter={view.filter} onFilter={(filter: EventFilter) => go({ filter }, true)} cameras={cameras} tz={tz} onOpen={open} />
        <LiveFeed feed={feed} stream={stream} cameras={cameras} tz={tz} onOpen={open} />
      </div>
    );
  };

  return (
    <main className="page ml-page" data-testid="ml-page" data-tab={view.tab}>
      <div className="page-header">
        <div>
          <h1>Detection</h1>
          <p className="page-subtitle">Who and what came and went, live and in recorded footage.</p>
        </div>
        <div className="segmented" role="tablist" aria-label="ML sections">
          {ML_TABS.map(({ tab, label }) => (
            <button
              key={tab}
              type="button"
              role="tab"
              className={`segmented-button${view.tab === tab ? ' active' : ''}`}
              aria-selected={view.tab === tab}
              onClick={() => go({ tab, eventId: null })}
              data-testid={`ml-tab-${tab}`}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      {body()}
      {view.eventId &&
        (opened.event ? (
          <EventLightbox event={opened.event} tz={tz} isAdmin={isAdmin} onClose={() => go({ eventId: null })} onChanged={changed} onDeleted={deleted} />
        ) : (
          <Modal title="Event" size="small" onClose={() => go({ eventId: null })} testId="event-loading">
            {opened.error ? <ErrorState title="Could not open the event" message={opened.error} /> : <LoadingState text="Opening the event…" />}
          </Modal>
        ))}
    </main>
  );
}
