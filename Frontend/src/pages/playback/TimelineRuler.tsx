/**
 * The day ruler: local-time ticks, one lane per camera with its footage ranges (tinted where the
 * footage lives in warm or cold storage), gaps, detection markers and activity event pins, the
 * segment being written (striped, its growing end marked), "now" on today's ruler, the selection
 * band and the playback cursor. A click seeks (in
 * the lane clicked); a click on an event pin seeks to that event; shift+drag selects a range;
 * dragging pans when zoomed; the wheel zooms around the pointer (horizontal wheel pans). Only the
 * visible pieces are in the DOM (rulerGeometry).
 */
import { useEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import type { ActivityEvent } from '../../api/events';
import type { CameraTimeline } from '../../api/playback';
import { eventInstant, eventSentence } from '../../events/eventText';
import { classColor } from './detectionClasses';
import type { LiveSpan } from './liveMarks';
import { parseSpan, place, ticksFor } from './rulerGeometry';
import { rangeTiers, tintedRuns } from './tierRuns';
import { instantAt, pan, zoomAt, ZOOM_STEP, fractionOf, type DaySpan, type ViewWindow } from './viewWindow';
import { localTime } from './zoneTime';

export interface RulerLane {
  timeline: CameraTimeline;
  name: string;
  /** The camera's activity events of the day. */
  events: ActivityEvent[];
  /** The camera's segment being written (today), clipped to the day. */
  live: LiveSpan[];
}

export interface Selection {
  start: number;
  end: number;
}

interface Props {
  day: DaySpan;
  tz: string;
  view: ViewWindow;
  onView: (view: ViewWindow) => void;
  lanes: RulerLane[];
  focusedId: string | null;
  cursor: number | null;
  /** Now, when the day holds it (today); else null. */
  now: number | null;
  selection: Selection | null;
  onSelection: (selection: Selection | null) => void;
  hiddenClasses: ReadonlySet<string>;
  onSeek: (instant: number, cameraId: string | null) => void;
}

interface Drag {
  x: number;
  instant: number;
  view: ViewWindow;
  selecting: boolean;
  moved: boolean;
  cameraId: string | null;
}

const CLICK_SLOP_PX = 4;
/** A tick this close to the left of now keeps its line, not its label (the "now" label is there). */
const NOW_LABEL_ROOM_PX = 84;
/** A tick closer than this to the right edge keeps its line but not its (clipped) label. */
const LABEL_ROOM_PX = 58;

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(4)}%`;
}

export function TimelineRuler(props: Props) {
  const { day, tz, view, onView, lanes, focusedId, cursor, now, selection, onSelection, hiddenClasses, onSeek } = props;
  const area = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  const drag = useRef<Drag | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const latest = useRef({ view, day, onView });
  latest.current = { view, day, onView };

  useEffect(() => {
    const el = area.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth || 900));
    observer.observe(el);
    // React's wheel listeners are passive; this one must be able to keep the page from scrolling.
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const { view: v, day: d, onView: set } = latest.current;
      const rect = el.getBoundingClientRect();
      if (Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        set(pan(v, (event.deltaX / rect.width) * v.span, d));
        return;
      }
      // A mouse notch (120) is one zoom step; a trackpad's many small deltas zoom smoothly.
      const notches = (event.deltaMode === WheelEvent.DOM_DELTA_LINE ? event.deltaY * 40 : event.deltaY) / 120;
      const factor = Math.min(4, Math.max(1 / 4, Math.pow(ZOOM_STEP, -notches)));
      const anchor = instantAt(v, (event.clientX - rect.left) / rect.width);
      set(zoomAt(v, factor, anchor, d));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      observer.disconnect();
      el.removeEventListener('wheel', onWheel);
    };
  }, []);

  const instantFrom = (clientX: number): number => {
    const rect = area.current!.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (clientX - rect.left) / rect.width));
    return instantAt(view, fraction);
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    const lane = (event.target as HTMLElement).closest('[data-camera-id]');
    const instant = instantFrom(event.clientX);
    drag.current = { x: event.clientX, instant, view, selecting: event.shiftKey, moved: false, cameraId: lane?.getAttribute('data-camera-id') ?? null };
    event.currentTarget.setPointerCapture(event.pointerId);
    if (event.shiftKey) onSelection(null);
  };

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    setHover(instantFrom(event.clientX));
    const d = drag.current;
    if (!d) return;
    if (Math.abs(event.clientX - d.x) > CLICK_SLOP_PX) d.moved = true;
    if (!d.moved) return;
    if (d.selecting) {
      const at = instantFrom(event.clientX);
      onSelection({ start: Math.min(d.instant, at), end: Math.max(d.instant, at) });
    } else {
      const rect = area.current!.getBoundingClientRect();
      onView(pan(d.view, (-(event.clientX - d.x) / rect.width) * d.view.span, day));
    }
  };

  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    drag.current = null;
    if (!d || d.moved) return;
    if (!d.selecting) onSeek(instantFrom(event.clientX), d.cameraId);
  };

  const ticks = useMemo(() => ticksFor(view, tz, width), [view, tz, width]);
  const cursorIn = cursor !== null && cursor >= view.start && cursor <= view.start + view.span;
  const nowIn = now !== null && now >= view.start && now <= view.start + view.span;
  const selected = selection ? place([selection], view, (s) => s)[0] : undefined;
  // A tick label that would run under the "now" label (just left of now) is left out.
  const nowLeft = nowIn && now !== null ? fractionOf(view, now) : null;
  const underNowLabel = (left: number) => nowLeft !== null && left < nowLeft && (nowLeft - left) * width < NOW_LABEL_ROOM_PX;

  return (
    <div className="ruler" data-testid="timeline-ruler" data-view-start={Math.round(view.start)} data-view-span={Math.round(view.span)}>
      <div className="ruler-labels" aria-hidden="true">
        <div className="ruler-labels-head" />
        {lanes.map(({ timeline, name }) => (
          <div key={timeline.camera_id} className={`ruler-lane-name${timeline.camera_id === focusedId ? ' focused' : ''}`} title={name}>
            {name}
          </div>
        ))}
      </div>
      <div
        ref={area}
        className="ruler-area"
        data-testid="ruler-area"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => setHover(null)}
        onPointerCancel={() => (drag.current = null)}
      >
        <div className="ruler-ticks">
          {ticks.map((tick) => (
            <div key={tick.at} className="ruler-tick" style={{ left: percent(tick.left) }} data-testid="ruler-tick">
              {(1 - tick.left) * width > LABEL_ROOM_PX && !underNowLabel(tick.left) && <span>{tick.label}</span>}
            </div>
          ))}
        </div>
        {lanes.map(({ timeline, name, events, live }) => (
          <div key={timeline.camera_id} className={`ruler-lane${timeline.camera_id === focusedId ? ' focused' : ''}`} data-testid="ruler-lane" data-camera-id={timeline.camera_id}>
            <div className="ruler-track">
              {place(timeline.gaps, view, parseSpan).map(({ item, left, width: w }) => (
                <div key={`g${item.start}`} className="ruler-gap" style={{ left: percent(left), width: percent(w) }} />
              ))}
              {place(timeline.ranges, view, parseSpan).map(({ item, left, width: w }) => (
                <div
                  key={`r${item.start}`}
                  className="ruler-range"
                  data-testid="ruler-range"
                  data-start={item.start}
                  data-end={item.end}
                  data-tiers={rangeTiers(item).join(',')}
                  style={{ left: percent(left), width: `max(${percent(w)}, 2px)` }}
                />
              ))}
              {place(tintedRuns(timeline), view, parseSpan).map(({ item, left, width: w }) => (
                <div
                  key={`t${item.start}`}
                  className={`ruler-tier ruler-tier-${item.tier}`}
                  data-testid="ruler-tier-run"
                  data-tier={item.tier}
                  data-start={item.start}
                  data-end={item.end}
                  title={`${localTime(Date.parse(item.start), tz, false)}–${localTime(Date.parse(item.end), tz, false)} in ${item.tier} storage`}
                  style={{ left: percent(left), width: `max(${percent(w)}, 2px)` }}
                />
              ))}
              {place(live, view, (s) => s).map(({ item, left, width: w }) => (
                <div
                  key={`l${item.id}`}
                  className="ruler-live"
                  data-testid="ruler-live"
                  data-recording-id={item.id}
                  data-start={item.start}
                  data-end={item.end}
                  title={`Recording now, since ${localTime(item.start, tz, false)}`}
                  style={{ left: percent(left), width: `max(${percent(w)}, 2px)` }}
                >
                  {item.end <= view.start + view.span && <span className="ruler-live-edge" data-testid="ruler-live-edge" />}
                </div>
              ))}
            </div>
            <div className="ruler-markers">
              {place(timeline.markers.filter((m) => !hiddenClasses.has(m.class)), view, parseSpan).map(({ item, left, width: w }) => (
                <div
                  key={`${item.class}${item.start}`}
                  className="ruler-marker"
                  data-testid="ruler-marker"
                  title={`${item.count} × ${item.class} at ${localTime(Date.parse(item.start), tz, false)}`}
                  style={{ left: percent(left), width: `max(${percent(w)}, 3px)`, background: classColor(item.class) }}
                />
              ))}
            </div>
            <div className="ruler-events">
              {place(events.filter((e) => !hiddenClasses.has(e.class)), view, (e) => ({ start: eventInstant(e), end: eventInstant(e) })).map(({ item, left }) => (
                <button
                  key={item.id}
                  type="button"
                  className={`ruler-event ruler-event-${item.kind}`}
                  data-testid="ruler-event"
                  data-event-id={item.id}
                  data-instant={eventInstant(item)}
                  title={`${eventSentence(item, tz)}: play from here`}
                  aria-label={`${name}: ${eventSentence(item, tz)}, play from here`}
                  style={{ left: percent(left), color: classColor(item.class) }}
                  onPointerDown={(event) => event.stopPropagation()}
                  onClick={() => onSeek(eventInstant(item), timeline.camera_id)}
                />
              ))}
            </div>
          </div>
        ))}
        {selected && (
          <div className="ruler-selection" data-testid="ruler-selection" style={{ left: percent(selected.left), width: percent(selected.width) }} />
        )}
        {hover !== null && !drag.current && (
          <div className="ruler-hover" style={{ left: percent(fractionOf(view, hover)) }}>
            <span>{localTime(hover, tz)}</span>
          </div>
        )}
        {nowIn && now !== null && (
          <div className="ruler-now" data-testid="ruler-now" data-instant={now} title={`Now, ${localTime(now, tz)}`} style={{ left: percent(fractionOf(view, now)) }}>
            <span>now</span>
          </div>
        )}
        {cursorIn && cursor !== null && (
          <div className="ruler-cursor" data-testid="ruler-cursor" style={{ left: percent(fractionOf(view, cursor)) }} />
        )}
      </div>
    </div>
  );
}
