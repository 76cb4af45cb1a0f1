/**
 * The activity log: the filters, how many events match, the events newest first under a heading
 * per day, and "Load more" for the next page. Events the stream brings appear in place as they
 * happen (useEventLog); ongoing ones count their time every second.
 */
import type { ActivityEvent } from '../../api/events';
import type { Camera } from '../../api/types';
import { EmptyState, ErrorState, LoadingState, Spinner } from '../../components/Status';
import { byDay, dayHeading } from '../../events/eventText';
import { useNow } from '../../hooks/useNow';
import { plural } from '../../util/format';
import { localDate } from '../playback/zoneTime';
import { activeFilters, NO_FILTER, type EventFilter } from './eventFilters';
import { EventFilterBar } from './EventFilterBar';
import { EventRow } from './EventRow';
import type { EventLog } from './useEventLog';

interface Props {
  log: EventLog;
  filter: EventFilter;
  onFilter: (filter: EventFilter) => void;
  cameras: Camera[];
  tz: string;
  onOpen: (event: ActivityEvent) => void;
}

export function ActivityLog({ log, filter, onFilter, cameras, tz, onOpen }: Props) {
  const events = log.state?.events ?? [];
  const now = useNow(1000, events.some((e) => e.ongoing));
  const today = localDate(now, tz);
  const seenClasses = [...new Set(events.map((e) => e.class))];

  const body = () => {
    if (!log.state) {
      return log.error ? <ErrorState title="Could not load the events" message={log.error} onRetry={log.reload} /> : <LoadingState text="Loading events…" />;
    }
    if (events.length === 0) {
      return (
        <EmptyState title={activeFilters(filter) > 0 ? 'No events match these filters' : 'No events yet'}>
          {activeFilters(filter) > 0
            ? 'Change or clear the filters to see more.'
            : 'Arrivals, departures and changes of movement appear here as live detection and the analysis of recordings find them.'}
        </EmptyState>
      );
    }
    return (
      <>
        {byDay(events, tz).map((group) => (
          <section key={group.date} className="event-day" data-testid="event-day" data-date={group.date}>
            <h3 className="event-day-title">{dayHeading(group.date, today)}</h3>
            <ul className="event-list bare-list" data-testid="event-list">
              {group.events.map((event) => (
                <EventRow key={event.id} event={event} tz={tz} now={now} onOpen={onOpen} />
              ))}
            </ul>
          </section>
        ))}
        {log.error && (
          <p className="inline-warning" role="status" data-testid="log-error">
            {log.error}
          </p>
        )}
        {log.state.cursor && (
          <div className="event-more">
            <button type="button" className="button" onClick={log.loadMore} disabled={log.loadingMore} data-testid="load-more">
              {log.loadingMore ? (
                <>
                  <Spinner /> Loading…
                </>
              ) : (
                'Load more'
              )}
            </button>
          </div>
        )}
      </>
    );
  };

  return (
    <section className="panel activity-log" data-testid="activity-log">
      <div className="panel-head">
        <h2>Activity</h2>
        <div className="toolbar">
          {log.state && (
            <span className="muted small" data-testid="event-count" data-total={log.state.total} data-shown={events.length}>
              {events.length < log.state.total ? `${events.length.toLocaleString('en-US')} of ${plural(log.state.total, 'event')}` : plural(log.state.total, 'event')}
            </span>
          )}
          <button type="button" className="button button-small" onClick={() => onFilter(NO_FILTER)} disabled={activeFilters(filter) === 0} data-testid="filter-clear">
            Clear filters
          </button>
        </div>
      </div>
      <EventFilterBar filter={filter} onChange={onFilter} cameras={cameras} seenClasses={seenClasses} />
      {body()}
    </section>
  );
}
