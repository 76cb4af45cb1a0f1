/**
 * How an activity event reads to people: "Person arrived 08:12:03", "Person left 08:14:13 after
 * 2 min 10 s", "Car stopped moving 09:30:00", durations as "2 min 10 s", and whether an event is
 * still going on (with how long so far). Times are the viewer's clock in `tz`. Pure functions,
 * checked by Frontend/test/events.test.ts.
 */
import type { ActivityEvent } from '../api/events';
import { addDays, dateTitle } from '../pages/playback/calendarMonth';
import { localDate, localTime } from '../pages/playback/zoneTime';

/** A class name as the start of a sentence: "person" -> "Person", "traffic light" -> "Traffic light". */
export function className(name: string): string {
  return name ? name.charAt(0).toUpperCase() + name.slice(1) : 'Object';
}

/**
 * A stay or a stretch of footage in the two largest units: 42 -> "42 s", 130 -> "2 min 10 s",
 * 120 -> "2 min", 3900 -> "1 h 5 min", 180000 -> "2 d 2 h"; under a second "less than a second".
 */
export function formatStay(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 1) return 'less than a second';
  const s = Math.round(totalSeconds);
  const units: [number, string][] = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ];
  const first = units.findIndex(([value]) => value > 0);
  const shown = units.slice(first, first + 2).filter(([value], i) => i === 0 || value > 0);
  return shown.map(([value, unit]) => `${value} ${unit}`).join(' ');
}

/** The instant the event is about: when the object left for a departure, else when it began. */
export function eventInstant(event: Pick<ActivityEvent, 'kind' | 'start' | 'end'>): number {
  const at = event.kind === 'departure' && event.end ? event.end : event.start;
  return Date.parse(at);
}

/** Seconds the event has lasted: the server's figure, or for an ongoing one the time since it began. */
export function eventSeconds(event: Pick<ActivityEvent, 'ongoing' | 'duration' | 'start'>, now: number): number {
  if (!event.ongoing) return event.duration;
  return Math.max(event.duration, (now - Date.parse(event.start)) / 1000);
}

function stateChange(event: Pick<ActivityEvent, 'from_state' | 'to_state'>): string {
  if (event.to_state === 'stationary') return 'stopped moving';
  if (event.to_state === 'moving') return 'started moving';
  return `changed from ${event.from_state ?? 'unknown'} to ${event.to_state ?? 'unknown'}`;
}

/** What happened, with the viewer's clock time: "Person arrived 08:12:03". */
export function eventSentence(event: ActivityEvent, tz: string): string {
  const who = className(event.class);
  const at = localTime(eventInstant(event), tz);
  switch (event.kind) {
    case 'arrival':
      return `${who} arrived ${at}`;
    case 'departure':
      return `${who} left ${at} after ${formatStay(event.duration)}`;
    case 'state_change':
      return `${who} ${stateChange(event)} ${at}`;
    default:
      return `${who}: ${event.kind} ${at}`;
  }
}

/**
 * The line beside an ongoing mark or under the sentence: "1 min 5 s so far", "stayed 2 min 10 s",
 * or "". Only a live arrival is closed by its object's departure, so only its duration is the
 * stay; an arrival found in recorded footage ends when it is confirmed (its departure, a separate
 * event, says how long the object stayed).
 */
export function eventStatus(event: ActivityEvent, now: number): string {
  if (event.ongoing) return `${formatStay(eventSeconds(event, now))} so far`;
  if (event.kind === 'arrival' && event.source === 'live') return `stayed ${formatStay(event.duration)}`;
  return '';
}

const KIND_LABELS: Record<string, string> = { arrival: 'Arrival', departure: 'Departure', state_change: 'State change' };

/** A kind as a filter option or badge: "state_change" -> "State change". */
export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

/** A source as people say it: "live" -> "Live", "historical" -> "Recorded footage". */
export function sourceLabel(source: string): string {
  if (source === 'live') return 'Live';
  if (source === 'historical') return 'Recorded footage';
  return source;
}

/** A confidence (0..1) as a whole percentage: 0.873 -> "87%". */
export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** The heading of a day in the log: "Today", "Yesterday" or "Tuesday, 3 February 2026". */
export function dayHeading(date: string, today: string): string {
  if (date === today) return 'Today';
  if (date === addDays(today, -1)) return 'Yesterday';
  return dateTitle(date);
}

/** Events (newest first) in runs of one local day each, with the day they belong to. */
export function byDay<T extends Pick<ActivityEvent, 'start'>>(events: T[], tz: string): { date: string; events: T[] }[] {
  const groups: { date: string; events: T[] }[] = [];
  for (const event of events) {
    const date = localDate(Date.parse(event.start), tz);
    const last = groups[groups.length - 1];
    if (last && last.date === date) last.events.push(event);
    else groups.push({ date, events: [event] });
  }
  return groups;
}
