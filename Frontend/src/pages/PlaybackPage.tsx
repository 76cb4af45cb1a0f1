/**
 * Playback: recorded footage by day. Pick cameras and a day (the calendar marks days with
 * footage), see the day on a ruler in local time (23 or 25 hours on DST days) with footage,
 * gaps, detection markers and activity events, click to play from any instant or event (segments
 * follow one another seamlessly), zoom into the picture and pan it (the detection boxes follow), select a range
 * and download it as a clip. Cameras, day and ruler zoom live in the URL (and localStorage), so a
 * reload shows the same view; the picture zoom lasts while the same camera plays. Times are the
 * browser's time zone. Today refreshes every few seconds: the segment being written grows on the
 * ruler and plays up to a few seconds before now, and Live (or L) follows that edge until the
 * viewer seeks or pauses.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { listCameras } from '../api/cameras';
import type { Camera } from '../api/types';
import { cameraListState } from '../components/CameraListState';
import { EmptyState, ErrorState, LoadingState } from '../components/Status';
import { useToasts } from '../components/Toasts';
import { useNow } from '../hooks/useNow';
import { useResource } from '../hooks/useResource';
import { Link, navigate, useLocation } from '../router/router';
import { sortCameras } from '../util/cameras';
import { Calendar } from './playback/Calendar';
import { addDays, addMonths, dateTitle, monthOf } from './playback/calendarMonth';
import { CameraPicker } from './playback/CameraPicker';
import { ClipSidebar } from './playback/ClipSidebar';
import { downloadClip, exportProblem } from './playback/clipExport';
import { sumCounts } from './playback/detectionClasses';
import { DetectionOverlay } from './playback/DetectionOverlay';
import { liveSpans, nowOnDay } from './playback/liveMarks';
import { MarkerLegend } from './playback/MarkerLegend';
import { TierLegend } from './playback/TierLegend';
import { PlaybackPlayer } from './playback/PlaybackPlayer';
import { parseSettings, settingsQuery, storedSettings, STORAGE_KEY, type PlaybackSettings } from './playback/playbackSettings';
import { parseSpan } from './playback/rulerGeometry';
import type { PlayerState, SegmentPlayer } from './playback/segmentPlayer';
import { SelectionBar } from './playback/SelectionBar';
import { TimelineRuler, type Selection } from './playback/TimelineRuler';
import { TransportBar } from './playback/TransportBar';
import { usePlaybackData } from './playback/usePlaybackData';
import { usePlaybackEvents } from './playback/usePlaybackEvents';
import { useFollowLive } from './playback/useFollowLive';
import { useFrameTolerance } from './playback/useFrameTolerance';
import { usePictureZoom } from './playback/usePictureZoom';
import { usePlaybackKeys } from './playback/usePlaybackKeys';
import { clampWindow, follow, wholeDay, zoomAt, zoomLevel, ZOOM_STEP, type DaySpan, type ViewWindow } from './playback/viewWindow';
import { browserTimeZone, localDate } from './playback/zoneTime';

function readStored(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function PlaybackPage() {
  const toasts = useToasts();
  const location = useLocation();
  const tz = useMemo(browserTimeZone, []);
  const [settings, setSettings] = useState<PlaybackSettings>(() => parseSettings(location.query, readStored()));
  const loadCameras = useCallback((signal: AbortSignal) => listCameras(signal), []);
  const cameraResource = useResource(loadCameras);
  const cameras = useMemo(() => (cameraResource.data ? sortCameras(cameraResource.data) : []), [cameraResource.data]);
  const today = localDate(Date.now(), tz);
  const date = settings.date && settings.date <= today ? settings.date : today;
  const [month, setMonth] = useState(monthOf(date));
  const [focus, setFocus] = useState<string | null>(null);
  const [player, setPlayer] = useState<SegmentPlayer | null>(null);
  const [playerState, setPlayerState] = useState<PlayerState | null>(null);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [hiddenClasses, setHiddenClasses] = useState<ReadonlySet<string>>(new Set());
  const [muted, setMuted] = useState(true);
  const [pendingSeek, setPendingSeek] = useState<number | null>(null);
  const [pendingLive, setPendingLive] = useState(false);
  const live = useFollowLive(player);
  const frameTolerance = useFrameTolerance();

  // The chosen cameras that still exist; the first camera when nothing is chosen yet.
  const selectedIds = useMemo(() => {
    if (!cameraResource.data) return [];
    const known = new Set(cameras.map((c) => c.id));
    const kept = settings.cameras.filter((id) => known.has(id));
    return kept.length > 0 || settings.cameras.length > 0 ? kept : cameras.slice(0, 1).map((c) => c.id);
  }, [cameraResource.data, cameras, settings.cameras]);
  const focusedId = focus && selectedIds.includes(focus) ? focus : selectedIds[0] ?? null;
  const cameraName = (id: string | null) => cameras.find((c) => c.id === id)?.name ?? null;
  const pictureZoom = usePictureZoom(player, playerState, focusedId);

  const isToday = date === today;
  const data = usePlaybackData(selectedIds, date, month, tz, focusedId, isToday);
  const now = useNow(1000, isToday);
  const timeline = data.timeline?.date === date ? data.timeline : null;
  const day: DaySpan | null = useMemo(() => (timeline ? parseSpan({ start: timeline.day_start, end: timeline.day_end }) : null), [timeline]);
  const view: ViewWindow | null = useMemo(() => {
    if (!day) return null;
    if (settings.span === null) return wholeDay(day);
    return clampWindow({ start: day.start + settings.from * 1000, span: settings.span * 1000 }, day);
  }, [day, settings.span, settings.from]);
  const dayEvents = usePlaybackEvents(selectedIds, timeline?.day_start ?? null, timeline?.day_end ?? null);
  const segmentKey = `${focusedId}/${date}`;
  const segments = data.segments?.for === segmentKey ? data.segments.list : null;

  // Keep the URL and localStorage in step with what is shown.
  useEffect(() => {
    const shown = { ...settings, cameras: selectedIds.length > 0 || cameraResource.data ? selectedIds : settings.cameras, date: settings.date ? date : null };
    navigate(`/playback${settingsQuery(shown)}`, true);
    try {
      window.localStorage.setItem(STORAGE_KEY, storedSettings(shown));
    } catch {
      /* storage unavailable */
    }
  }, [settings, selectedIds, date, cameraResource.data]);

  useEffect(() => {
    if (segments) player?.setSegments(segments);
  }, [player, segments]);

  // Live waits for today's segments of the chosen camera (after a change of day or camera).
  const { start: startLive, viewerDid } = live;
  useEffect(() => {
    if (!pendingLive || !segments || !player || !isToday) return;
    setPendingLive(false);
    if (!startLive()) toasts.show('No footage from the last few seconds on this camera.', 'error');
  }, [pendingLive, segments, player, isToday, startLive, toasts]);

  // Another camera or day plays something else: following ends.
  useEffect(() => viewerDid('camera'), [focusedId, viewerDid]);
  useEffect(() => viewerDid('day'), [date, viewerDid]);

  useEffect(() => {
    if (pendingSeek === null || !segments || !player) return;
    setPendingSeek(null);
    if (!player.seek(pendingSeek)) toasts.show('No footage from that point to the end of the day.', 'error');
  }, [pendingSeek, segments, player, toasts]);

  const setView = useCallback(
    (next: ViewWindow) => {
      if (!day) return;
      const whole = next.span >= day.end - day.start;
      setSettings((s) => ({ ...s, span: whole ? null : next.span / 1000, from: whole ? 0 : (next.start - day.start) / 1000 }));
    },
    [day],
  );

  // While playing, a zoomed-in ruler follows the cursor when it reaches the edge of the window;
  // a window the viewer panned away from the cursor stays where they put it.
  const instant = playerState?.instant ?? null;
  const viewRef = useRef({ view, day, shown: false });
  useEffect(() => {
    const { view: v, day: d, shown } = viewRef.current;
    const inside = v !== null && instant !== null && instant >= v.start && instant <= v.start + v.span;
    viewRef.current.shown = inside;
    if (!v || !d || instant === null || !playerState?.playing || !(shown || inside) || v.span >= d.end - d.start) return;
    const next = follow(v, instant, d);
    if (next !== v) setView(next);
  }, [instant, playerState?.playing, setView]);
  viewRef.current.view = view;
  viewRef.current.day = day;

  const chooseDate = (next: string) => {
    setSettings((s) => ({ ...s, date: next === today ? null : next, span: null, from: 0 }));
    setMonth(monthOf(next));
    setSelection(null);
  };

  const toggleCamera = (camera: Camera, on: boolean) => {
    // Lanes and downloads follow the cameras' own order, whatever order they were ticked in.
    const chosen = new Set(selectedIds);
    if (on) chosen.add(camera.id);
    else chosen.delete(camera.id);
    const next = cameras.filter((c) => chosen.has(c.id)).map((c) => c.id);
    setSettings((s) => ({ ...s, cameras: next }));
    if (on && selectedIds.length === 0) setFocus(camera.id);
  };

  const seek = (at: number, cameraId: string | null) => {
    live.viewerDid('seek');
    if (cameraId && cameraId !== focusedId) {
      setFocus(cameraId);
      setPendingSeek(at);
      return;
    }
    if (!player || !segments) {
      setPendingSeek(at);
      return;
    }
    if (!player.seek(at)) toasts.show('No footage from that point to the end of the day.', 'error');
  };

  // The viewer's own pause, step or frame step ends following the live edge.
  const togglePlay = () => {
    live.viewerDid(playerState?.playing ? 'pause' : 'play');
    player?.togglePlay();
  };
  const step = (seconds: number) => {
    live.viewerDid('step');
    player?.step(seconds);
  };
  const goLive = () => {
    if (!focusedId) return;
    if (!isToday) chooseDate(today);
    setPendingLive(true);
  };

  const zoom = (direction: 1 | -1) => {
    if (!view || !day) return;
    const anchor = instant !== null && instant >= view.start && instant <= view.start + view.span ? instant : view.start + view.span / 2;
    setView(zoomAt(view, direction > 0 ? ZOOM_STEP : 1 / ZOOM_STEP, anchor, day));
  };

  const mark = (edge: 'in' | 'out') => {
    if (instant === null) return;
    setSelection((s) => {
      const other = s ? (edge === 'in' ? s.end : s.start) : null;
      if (other === null) return edge === 'in' ? { start: instant, end: Math.min(instant + 60_000, day?.end ?? instant + 60_000) } : { start: Math.max(instant - 60_000, day?.start ?? 0), end: instant };
      return { start: Math.min(instant, other), end: Math.max(instant, other) };
    });
  };

  const download = () => {
    if (!selection || !timeline) return;
    const footage = timeline.cameras.flatMap((c) => c.ranges.map(parseSpan));
    const problem = exportProblem(selection, footage);
    if (problem) {
      toasts.show(problem, 'error');
      return;
    }
    downloadClip(selectedIds, selection, tz);
    toasts.show(selectedIds.length > 1 ? 'Preparing the clips as a ZIP download…' : 'Preparing the clip download…');
  };

  usePlaybackKeys({
    togglePlay,
    step,
    frame: (direction) => {
      live.viewerDid('frame');
      player?.stepFrame(direction);
    },
    live: goLive,
    zoom,
    pictureZoom: pictureZoom.zoomBy,
    pictureReset: pictureZoom.reset,
  });

  const lanes = (timeline?.cameras ?? []).map((c) => ({
    timeline: c,
    name: cameraName(c.camera_id) ?? 'Camera',
    events: dayEvents.get(c.camera_id.toLowerCase()) ?? [],
    live: day ? liveSpans(data.beingWritten, c.camera_id, day) : [],
  }));
  const counts = sumCounts((timeline?.cameras ?? []).map((c) => c.counts));
  const focusedTimeline = timeline?.cameras.find((c) => c.camera_id === focusedId);
  const canPlay = Boolean(playerState?.segment);
  const idleText = !timeline
    ? 'Loading the day…'
    : timeline.cameras.every((c) => c.ranges.length === 0)
    ? 'No footage on this day.'
    : 'Click the ruler to play from that moment.';

  const renderMain = () => {
    const state = cameraListState(cameraResource, cameras.length,
      <>Add a camera on the <Link to="/setup">Setup</Link> page; its recordings can be played here.</>);
    if (state) return state;
    if (selectedIds.length === 0) return <EmptyState title="No camera chosen">Pick one or more cameras on the left to see their footage.</EmptyState>;
    return (
      <>
        <PlaybackPlayer onPlayer={setPlayer} onState={setPlayerState} state={playerState} idleText={idleText} cameraName={cameraName(focusedId)} following={live.following} muted={muted} onToggle={togglePlay} zoom={pictureZoom}>
          <DetectionOverlay player={player} state={playerState} hidden={hiddenClasses} toleranceMs={frameTolerance} view={pictureZoom.view} />
        </PlaybackPlayer>
        <TransportBar
          tz={tz}
          instant={instant}
          playing={Boolean(playerState?.playing)}
          canPlay={canPlay}
          onTogglePlay={togglePlay}
          onStep={step}
          following={live.following}
          onLive={goLive}
          canLive={focusedId !== null}
          zoomLabel={view && day ? `${Math.round(zoomLevel(view, day) * 10) / 10}×` : '1×'}
          onZoom={zoom}
          onWholeDay={() => day && setView(wholeDay(day))}
          muted={muted}
          onMuted={setMuted}
        />
        {data.timelineError && !timeline ? (
          <ErrorState title="Could not load the day" message={data.timelineError} onRetry={data.reload} />
        ) : timeline && day && view ? (
          <>
            <TimelineRuler
              day={day}
              tz={tz}
              view={view}
              onView={setView}
              lanes={lanes}
              focusedId={focusedId}
              cursor={instant}
              now={day ? nowOnDay(day, now) : null}
              selection={selection}
              onSelection={setSelection}
              hiddenClasses={hiddenClasses}
              onSeek={seek}
            />
            <div className="playback-footer">
              <div className="playback-legends">
                <TierLegend timelines={timeline.cameras} />
                <MarkerLegend
                  counts={counts}
                  hidden={hiddenClasses}
                  onToggle={(name) =>
                    setHiddenClasses((h) => {
                      const next = new Set(h);
                      if (!next.delete(name)) next.add(name);
                      return next;
                    })
                  }
                />
              </div>
              <SelectionBar
                tz={tz}
                canMark={instant !== null}
                selection={selection}
                onMarkIn={() => mark('in')}
                onMarkOut={() => mark('out')}
                onClear={() => setSelection(null)}
                onDownload={download}
                downloadLabel={selectedIds.length > 1 ? 'Download clips (ZIP)' : 'Download clip'}
              />
            </div>
          </>
        ) : (
          <LoadingState text="Loading the day…" />
        )}
      </>
    );
  };

  return (
    <main className="playback-page" data-testid="playback-page" data-tz={tz} data-date={date}>
      <aside className="playback-side">
        <div className="playback-day-nav">
          <button type="button" className="button button-small" onClick={() => chooseDate(addDays(date, -1))} aria-label="Previous day" data-testid="day-prev">
            ‹
          </button>
          <button type="button" className="button button-small" onClick={() => chooseDate(today)} disabled={date === today} data-testid="day-today">
            Today
          </button>
          <button type="button" className="button button-small" onClick={() => chooseDate(addDays(date, 1))} disabled={date >= today} aria-label="Next day" data-testid="day-next">
            ›
          </button>
        </div>
        <Calendar
          month={month}
          selected={date}
          today={today}
          footageDays={data.footageDays}
          loading={data.daysLoading}
          onPick={chooseDate}
          onPrevMonth={() => setMonth((m) => addMonths(m, -1))}
          onNextMonth={() => setMonth((m) => addMonths(m, 1))}
        />
        {cameras.length > 0 && <CameraPicker cameras={cameras} selected={selectedIds} focusedId={focusedId} onToggle={toggleCamera} onFocus={(c) => setFocus(c.id)} />}
      </aside>
      <section className="playback-main">
        <div className="playback-toolbar">
          <h1 className="playback-title">Playback</h1>
          <span className="playback-date" data-testid="playback-date">
            {dateTitle(date)}
            {timeline && timeline.hours !== 24 && <span className="playback-hours"> · {timeline.hours} hours (clock change)</span>}
          </span>
          <span className="playback-tz muted small">{tz}</span>
        </div>
        <div className="playback-content">{renderMain()}</div>
      </section>
      <ClipSidebar cameraName={cameraName(playerState?.segment?.recording.camera_id ?? focusedId)} segment={playerState?.segment ?? null} tz={tz} counts={focusedTimeline ? counts : {}} recordedSeconds={focusedTimeline ? focusedTimeline.recorded_seconds : null} />
    </main>
  );
}
