/**
 * One event stream for the whole signed-in app (api/eventStream.ts), shared through context:
 * pages subscribe to activity events (`useActivity`), Live View reads what each camera sees
 * (`usePresence`), and the header shows how many events began since the user last had the ML
 * page open (`useUnseenEvents`; the moment is kept per user in localStorage `ronin.eventsSeen`).
 * Mounted once below the auth state, so signing out closes the stream.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { fetchMe } from '../api/auth';
import { listEvents, type ActivityEvent } from '../api/events';
import { openEventStream, type StreamState } from '../api/eventStream';
import { applyPresence, type PresenceMap } from '../events/presence';
import { countEvent, seenAt, unseenCount, withBacklog, type UnseenState } from '../events/unseen';

export interface ActivityListener {
  /** An event was written or updated. */
  onEvent?(event: ActivityEvent): void;
  /** The stream came back after a break: events may have been missed, reload what is shown. */
  onResumed?(): void;
}

interface ActivityApi {
  state: StreamState;
  subscribe(listener: ActivityListener): () => void;
  unseen: number;
  /** The ML page is open (true) or was left (false): either way everything so far is seen. */
  setViewing(viewing: boolean): void;
}

const ActivityContext = createContext<ActivityApi | null>(null);
const PresenceContext = createContext<PresenceMap>({});

const SEEN_KEY = 'ronin.eventsSeen';
const BACKLOG_PAGE = 100;

function readSeen(user: string): number | null {
  try {
    const stored = JSON.parse(window.localStorage.getItem(SEEN_KEY) ?? '{}') as Record<string, unknown>;
    const value = stored[user];
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

function storeSeen(user: string, since: number): void {
  try {
    const stored = JSON.parse(window.localStorage.getItem(SEEN_KEY) ?? '{}') as Record<string, unknown>;
    window.localStorage.setItem(SEEN_KEY, JSON.stringify({ ...stored, [user]: since }));
  } catch {
    /* storage unavailable: the count starts over with the next visit */
  }
}

export function EventStreamProvider({ user, children }: { user: string; children: ReactNode }) {
  const [state, setState] = useState<StreamState>('connecting');
  const [presence, setPresence] = useState<PresenceMap>({});
  const [unseen, setUnseen] = useState<UnseenState>(() => seenAt(readSeen(user) ?? Date.now()));
  const listeners = useRef(new Set<ActivityListener>());
  const viewing = useRef(false);

  useEffect(() => {
    const since = readSeen(user);
    if (since === null) storeSeen(user, Date.now());
    const controller = new AbortController();
    if (since !== null) {
      listEvents({ start: new Date(since).toISOString(), limit: BACKLOG_PAGE }, controller.signal)
        .then((page) => {
          if (!viewing.current) setUnseen((s) => (s.since === since ? withBacklog(s, page) : s));
        })
        .catch(() => undefined /* the badge counts from the stream alone */);
    }
    return () => controller.abort();
  }, [user]);

  useEffect(
    () =>
      openEventStream({
        onActivity: (event) => {
          if (!viewing.current) setUnseen((s) => countEvent(s, event));
          for (const listener of listeners.current) listener.onEvent?.(event);
        },
        onPresence: (message) => setPresence((map) => applyPresence(map, message)),
        onState: (next, resumed) => {
          setState(next);
          // What was in view before the break is not known to be there still.
          if (next !== 'open') setPresence({});
          if (resumed) for (const listener of listeners.current) listener.onResumed?.();
        },
        // A 401 here signs the user out through the API client, as any request would.
        onRefused: () => void fetchMe().catch(() => undefined),
      }),
    [],
  );

  const subscribe = useCallback((listener: ActivityListener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const setViewing = useCallback(
    (now: boolean) => {
      viewing.current = now;
      const moment = Date.now();
      storeSeen(user, moment);
      setUnseen(seenAt(moment));
    },
    [user],
  );

  const activity = useMemo<ActivityApi>(() => ({ state, subscribe, unseen: unseenCount(unseen), setViewing }), [state, subscribe, unseen, setViewing]);

  return (
    <ActivityContext.Provider value={activity}>
      <PresenceContext.Provider value={presence}>{children}</PresenceContext.Provider>
    </ActivityContext.Provider>
  );
}

function useActivityApi(): ActivityApi {
  const api = useContext(ActivityContext);
  if (!api) throw new Error('event stream hooks must be used inside <EventStreamProvider>');
  return api;
}

/** Calls the listener's handlers for every event from the stream while mounted; the stream's state. */
export function useActivity(listener: ActivityListener): StreamState {
  const { state, subscribe } = useActivityApi();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribe({ onEvent: (e) => latest.current.onEvent?.(e), onResumed: () => latest.current.onResumed?.() }), [subscribe]);
  return state;
}

/** What live detection sees per camera (presence.ts's map). */
export function usePresence(): PresenceMap {
  return useContext(PresenceContext);
}

/** The header badge's count, and the ML page's way of marking everything seen while it is open. */
export function useUnseenEvents(): { unseen: number; setViewing: (viewing: boolean) => void } {
  const { unseen, setViewing } = useActivityApi();
  return { unseen, setViewing };
}
