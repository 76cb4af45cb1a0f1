/**
 * Unit checks of the detection events' pure modules, run under node by
 * tests/frontend/test_events_units.py: event sentences and durations, what each camera sees and
 * how a cell says it, the header's unseen count, merging streamed events into a shown list, the
 * log's filters both ways (URL, API query, which streamed events belong), the settings form both
 * ways with the field a 422 names, the ML page's address, local days in a time zone, the stream's
 * reconnect pauses and media addresses. Prints "ok <n> checks" or exits 1 at the first failure.
 */
import { mediaUrl, type ActivityEvent } from '../src/api/events';
import { retryDelay } from '../src/api/eventStream';
import type { DetectionConfig } from '../src/api/mlConfig';
import { appendPage, mergeEvent, removeEvent, type EventListState } from '../src/events/eventList';
import { byDay, className, dayHeading, eventInstant, eventSeconds, eventSentence, eventStatus, formatStay, kindLabel, percent, sourceLabel } from '../src/events/eventText';
import { applyPresence, presenceLabel, presenceOf, type PresenceMap } from '../src/events/presence';
import { badgeText, countEvent, seenAt, unseenCount, withBacklog } from '../src/events/unseen';
import { configFromForm, fieldOfError, formFromConfig, formProblems, offeredClasses, COMMON_CLASSES } from '../src/pages/ml/configForm';
import { activeFilters, dayBounds, eventQuery, filterFromQuery, filterToQuery, matchesFilter, NO_FILTER, type EventFilter } from '../src/pages/ml/eventFilters';
import { readView, viewPath } from '../src/pages/ml/mlLocation';
import { startOfLocalDay } from '../src/pages/playback/zoneTime';
import { check, done, equal } from './check';

const T0 = Date.parse('2026-02-03T08:12:03Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function event(id: string, fields: Partial<ActivityEvent> = {}): ActivityEvent {
  return {
    id, camera_id: 'cam-1', camera_name: 'Front Door', kind: 'arrival', class: 'person', track_id: 4, source: 'live',
    start: iso(T0), end: iso(T0 + 130_000), duration: 130, ongoing: false, peak_confidence: 0.873, from_state: null, to_state: null,
    boxes: [], reviewed: false, locked: false, artifacts: 'ready', snapshot_url: `/api/events/${id}/snapshot.jpg`,
    clean_url: `/api/events/${id}/snapshot.jpg?boxes=0`, mosaic_url: `/api/events/${id}/mosaic.jpg`, clip_url: `/api/events/${id}/clip.mp4`,
    created_at: iso(T0), updated_at: iso(T0), ...fields,
  };
}

// -- sentences and durations ------------------------------------------------------------------------
equal([formatStay(0), formatStay(0.4), formatStay(1.4), formatStay(42), formatStay(59.6)], ['less than a second', 'less than a second', '1 s', '42 s', '1 min'], 'seconds, rounded');
equal([formatStay(130), formatStay(120), formatStay(3600), formatStay(3900), formatStay(3661)], ['2 min 10 s', '2 min', '1 h', '1 h 5 min', '1 h 1 min'], 'two largest units, none of them zero');
equal([formatStay(180_000), formatStay(-5), formatStay(NaN)], ['2 d 2 h', 'less than a second', 'less than a second'], 'days; nonsense is next to nothing');
equal(eventSentence(event('z', { kind: 'departure', duration: 0.2 }), 'UTC'), 'Person left 08:14:13 after less than a second', 'a departure right after it was seen');
equal([className('person'), className('traffic light'), className('')], ['Person', 'Traffic light', 'Object'], 'class names start a sentence');
equal(eventSentence(event('a'), 'UTC'), 'Person arrived 08:12:03', 'an arrival at its start');
equal(eventSentence(event('a'), 'Europe/Berlin'), 'Person arrived 09:12:03', 'in the viewer\'s clock');
const departure = event('d', { kind: 'departure', start: iso(T0), end: iso(T0 + 130_000), duration: 130 });
equal(eventSentence(departure, 'UTC'), 'Person left 08:14:13 after 2 min 10 s', 'a departure at the moment it left, with the stay');
equal(eventInstant(departure), T0 + 130_000, 'a departure is about its end');
equal(eventInstant({ kind: 'departure', start: iso(T0), end: null }), T0, 'a departure without an end: its start');
equal(eventSentence(event('s', { kind: 'state_change', class: 'car', from_state: 'moving', to_state: 'stationary' }), 'UTC'), 'Car stopped moving 08:12:03', 'stopping');
equal(eventSentence(event('s', { kind: 'state_change', class: 'car', from_state: 'stationary', to_state: 'moving' }), 'UTC'), 'Car started moving 08:12:03', 'starting');
equal(eventSentence(event('s', { kind: 'state_change', from_state: 'a', to_state: 'b' }), 'UTC'), 'Person changed from a to b 08:12:03', 'other states as written');
equal(eventSentence(event('x', { kind: 'loitering' }), 'UTC'), 'Person: loitering 08:12:03', 'an unknown kind still reads');
const ongoing = event('o', { ongoing: true, end: null, duration: 20 });
equal(eventSeconds(ongoing, T0 + 65_000), 65, 'ongoing: time since it began');
equal(eventSeconds(ongoing, T0 + 5_000), 20, 'never less than the server said');
equal(eventSeconds(event('c'), T0 + 999_000), 130, 'closed: the server\'s duration');
equal(eventStatus(ongoing, T0 + 65_000), '1 min 5 s so far', 'ongoing status ticks');
equal(eventStatus(event('c'), T0), 'stayed 2 min 10 s', 'a closed live arrival says how long it stayed');
equal(eventStatus(event('h', { source: 'historical', duration: 1 }), T0), '', 'one from recorded footage ends when confirmed: no stay');
equal(eventStatus(departure, T0), '', 'a departure says it in its sentence');
equal([kindLabel('state_change'), kindLabel('x'), sourceLabel('historical'), sourceLabel('live'), percent(0.873)], ['State change', 'x', 'Recorded footage', 'Live', '87%'], 'labels');
equal([dayHeading('2026-02-03', '2026-02-03'), dayHeading('2026-02-02', '2026-02-03'), dayHeading('2026-02-01', '2026-02-03')], ['Today', 'Yesterday', 'Sunday, 1 February 2026'], 'day headings');
const days = byDay([event('1', { start: '2026-02-03T23:30:00Z' }), event('2', { start: '2026-02-03T22:00:00Z' }), event('3', { start: '2026-02-02T10:00:00Z' })], 'Europe/Berlin');
equal(days.map((d) => [d.date, d.events.map((e) => e.id)]), [['2026-02-04', ['1']], ['2026-02-03', ['2']], ['2026-02-02', ['3']]], 'runs of local days');

// -- presence ---------------------------------------------------------------------------------------------
let seen: PresenceMap = {};
seen = applyPresence(seen, { camera_id: 'CAM-1', objects: { person: 2, car: 1 } });
equal(presenceOf(seen, 'cam-1'), { person: 2, car: 1 }, 'ids without regard to case');
equal(presenceLabel(presenceOf(seen, 'Cam-1')), 'person ×2, car', 'most first, one without a count');
equal(presenceLabel({ dog: 1, cat: 1, bird: 3 }), 'bird ×3, cat, dog', 'ties by name');
const before = seen;
seen = applyPresence(seen, { camera_id: 'cam-1', objects: { person: 0 } });
check(!('cam-1' in seen) && 'cam-1' in before, 'nothing in view drops the camera, the old map untouched');
check(applyPresence(seen, { camera_id: 'cam-9', objects: {} }) === seen, 'nothing new is the same map');
equal(presenceOf(applyPresence({}, { camera_id: 'c', objects: { person: 1.6, car: -1, x: NaN } }), 'c'), { person: 2 }, 'only real counts');
equal(presenceLabel({}), '', 'nothing seen, nothing said');

// -- unseen events ------------------------------------------------------------------------------------------
let unseen = seenAt(T0);
unseen = countEvent(unseen, event('A', { start: iso(T0 + 1000) }));
unseen = countEvent(unseen, event('a', { start: iso(T0 + 1000), ongoing: false }));
equal(unseenCount(unseen), 1, 'an update of a counted event counts once');
unseen = countEvent(unseen, event('old', { start: iso(T0 - 1000) }));
equal(unseenCount(unseen), 1, 'events that began before the last visit are seen');
unseen = countEvent(unseen, event('b', { start: iso(T0) }));
equal(unseenCount(unseen), 2, 'one that began at the visit is new');
const backlog = withBacklog(seenAt(T0), { events: [event('p', { start: iso(T0 + 5) }), event('q', { start: iso(T0 + 9) })], total: 130 });
equal([unseenCount(backlog), backlog.beyond], [130, 128], 'the server\'s total counts what its page did not list');
equal(unseenCount(countEvent(backlog, event('p', { start: iso(T0 + 5) }))), 130, 'listed ones are not counted again');
equal(unseenCount(seenAt(T0 + 1)), 0, 'opening the page starts over');
equal([badgeText(0), badgeText(7), badgeText(99), badgeText(100)], ['', '7', '99', '99+'], 'badge text');

// -- merging streamed events --------------------------------------------------------------------------------
const at = (s: number) => iso(T0 + s * 1000);
const list: EventListState = { events: [event('e3', { start: at(30) }), event('e2', { start: at(20) }), event('e1', { start: at(10) })], total: 5, cursor: 'next' };
let merged = mergeEvent(list, event('e4', { start: at(40) }), true);
equal([merged.events.map((e) => e.id), merged.total], [['e4', 'e3', 'e2', 'e1'], 6], 'a new event goes on top and counts');
merged = mergeEvent(list, event('e25', { start: at(25) }), true);
equal(merged.events.map((e) => e.id), ['e3', 'e25', 'e2', 'e1'], 'an older one where its start puts it');
check(mergeEvent(list, event('e0', { start: at(5) }), true) === list, 'one older than the oldest shown waits for Load more');
equal(mergeEvent({ ...list, cursor: null }, event('e0', { start: at(5) }), true).events.map((e) => e.id), ['e3', 'e2', 'e1', 'e0'], 'unless every page is shown');
merged = mergeEvent(list, event('E2', { start: at(20), ongoing: false, reviewed: true }), true);
equal([merged.events.map((e) => e.id), merged.events[1].reviewed, merged.total], [['e3', 'E2', 'e1'], true, 5], 'an update replaces its row in place');
merged = mergeEvent(list, event('e2', { start: at(20), reviewed: true }), false);
equal([merged.events.map((e) => e.id), merged.total], [['e3', 'e1'], 4], 'an update that no longer matches leaves');
check(mergeEvent(list, event('zz', { start: at(50) }), false) === list, 'a new event that does not match changes nothing');
equal(mergeEvent(list, event('e4', { start: at(40) }), true, 3).events.map((e) => e.id), ['e4', 'e3', 'e2'], 'a feed keeps its length');
equal(mergeEvent(list, event('b', { start: at(30) }), true).events.map((e) => e.id), ['e3', 'b', 'e2', 'e1'], 'one start shared: highest id first, as the server pages');
equal(mergeEvent(list, event('f', { start: at(30) }), true).events.map((e) => e.id), ['f', 'e3', 'e2', 'e1'], 'a higher id before');
const paged = appendPage(list, { events: [event('e1', { start: at(10) }), event('e0', { start: at(5) })], total: 5, next_cursor: null });
equal([paged.events.map((e) => e.id), paged.cursor], [['e3', 'e2', 'e1', 'e0'], null], 'a page adds only what is not shown yet');
equal([removeEvent(list, 'E3').events.map((e) => e.id), removeEvent(list, 'E3').total], [['e2', 'e1'], 4], 'deleted');
check(removeEvent(list, 'nope') === list, 'deleting an unknown event changes nothing');

// -- filters -------------------------------------------------------------------------------------------------
const filter: EventFilter = { cameraId: 'cam-1', classes: ['person', 'car'], kinds: ['arrival'], source: 'live', reviewed: 'unreviewed', from: '2026-02-01', to: '2026-02-03' };
equal(filterToQuery(filter), '?camera=cam-1&class=person,car&kind=arrival&source=live&reviewed=false&from=2026-02-01&to=2026-02-03', 'the URL keeps every filter');
equal(filterFromQuery(new URLSearchParams(filterToQuery(filter))), filter, 'and reads them back');
equal(filterToQuery(NO_FILTER), '', 'no filters, no query');
equal(filterFromQuery(new URLSearchParams('kind=arrival,bogus,arrival&source=cloud&reviewed=maybe&from=2026-02-30&to=x')), { ...NO_FILTER, kinds: ['arrival'] }, 'unreadable filters are dropped');
equal(filterFromQuery(new URLSearchParams('reviewed=true')).reviewed, 'reviewed', 'reviewed');
equal(eventQuery(filter, 'UTC', 50), {
  camera_id: 'cam-1', class: 'person,car', kind: 'arrival', source: 'live', reviewed: false,
  start: '2026-02-01T00:00:00.000Z', end: '2026-02-04T00:00:00.000Z', limit: 50, cursor: undefined,
}, 'the API query: days as UTC bounds, the last day whole');
equal(eventQuery(NO_FILTER, 'UTC', 20, 'abc'), { camera_id: undefined, class: undefined, kind: undefined, source: undefined, reviewed: undefined, start: undefined, end: undefined, limit: 20, cursor: 'abc' }, 'no filters: a page and its cursor');
equal(dayBounds({ ...NO_FILTER, from: '2026-03-29', to: '2026-03-29' }, 'Europe/Berlin'), { start: Date.parse('2026-03-28T23:00:00Z'), end: Date.parse('2026-03-29T22:00:00Z') }, 'a 23-hour day in Berlin');
const inRange = event('m', { start: '2026-02-03T12:00:00Z', camera_id: 'CAM-1', class: 'car' });
check(matchesFilter(inRange, filter, 'UTC'), 'a matching event (camera id in another case)');
check(!matchesFilter({ ...inRange, class: 'dog' }, filter, 'UTC'), 'another class');
check(!matchesFilter({ ...inRange, kind: 'departure' }, filter, 'UTC'), 'another kind');
check(!matchesFilter({ ...inRange, source: 'historical' }, filter, 'UTC'), 'another source');
check(!matchesFilter({ ...inRange, reviewed: true }, filter, 'UTC'), 'reviewed when not wanted');
check(!matchesFilter({ ...inRange, start: '2026-02-04T00:00:00Z' }, filter, 'UTC'), 'after the last day');
check(!matchesFilter({ ...inRange, start: '2026-01-31T23:59:59Z' }, filter, 'UTC'), 'before the first day');
check(matchesFilter({ ...inRange, start: '2026-01-31T23:30:00Z' }, filter, 'Europe/Berlin'), 'days are the viewer\'s');
check(matchesFilter(event('any'), NO_FILTER, 'UTC'), 'no filters take everything');
equal([activeFilters(NO_FILTER), activeFilters(filter)], [0, 7], 'filters set');

// -- local days ------------------------------------------------------------------------------------------------
equal(startOfLocalDay('2026-02-03', 'UTC'), Date.parse('2026-02-03T00:00:00Z'), 'UTC midnight');
equal(startOfLocalDay('2026-07-01', 'America/New_York'), Date.parse('2026-07-01T04:00:00Z'), 'summer in New York');
equal(startOfLocalDay('2026-10-25', 'Europe/Berlin'), Date.parse('2026-10-24T22:00:00Z'), 'the day summer time ends');
equal(startOfLocalDay('2026-01-01', 'Asia/Kolkata'), Date.parse('2025-12-31T18:30:00Z'), 'a half-hour zone');
equal(startOfLocalDay('2026-03-08', 'America/Havana'), Date.parse('2026-03-08T05:00:00Z'), 'a midnight the clock skips: the first instant there is');

// -- settings form ---------------------------------------------------------------------------------------------
const stored: DetectionConfig = {
  live_enabled: true, cooldown_seconds: 30,
  pipeline: { confidence: 0.3, classes: { person: 0.4, car: 0.5 }, class_filter: ['person', 'car', 'fox'], fps: 2,
    motion: { min_changed_fraction: 0.002, force_every: 5 }, tracker: { max_age: 3 } },
};
const form = formFromConfig(stored);
equal(form, { liveEnabled: 'on', fps: '2', classFilter: ['person', 'car', 'fox'], confidence: '0.3',
  thresholds: [{ cls: 'person', value: '0.4' }, { cls: 'car', value: '0.5' }], motionPercent: '0.2', cooldown: '30' }, 'the form from stored settings, motion in percent');
equal(configFromForm(form, stored), stored, 'unchanged, the same settings go back (keys the form does not show kept)');
const empty = formFromConfig({ live_enabled: null, cooldown_seconds: null, pipeline: null });
equal(empty, { liveEnabled: 'inherit', fps: '', classFilter: [], confidence: '', thresholds: [], motionPercent: '', cooldown: '' }, 'nothing stored: every field inherits');
equal(configFromForm(empty, { live_enabled: null, cooldown_seconds: null, pipeline: null }), { live_enabled: null, cooldown_seconds: null, pipeline: {} }, 'and sends nothing but an empty pipeline');
const edited = configFromForm({ ...form, liveEnabled: 'off', fps: '1', motionPercent: '0.35', cooldown: '', classFilter: [], thresholds: [{ cls: 'person', value: '0.55' }], confidence: '' }, stored);
equal(edited, { live_enabled: false, cooldown_seconds: null,
  pipeline: { classes: { person: 0.55 }, fps: 1, motion: { min_changed_fraction: 0.0035, force_every: 5 }, tracker: { max_age: 3 } } }, 'edits written over the stored settings, emptied fields left out');
equal(configFromForm({ ...empty, motionPercent: '' }, { ...stored, pipeline: { motion: { min_changed_fraction: 0.01 } } }).pipeline, {}, 'an emptied motion setting leaves no empty motion object');
equal(formFromConfig({ ...stored, pipeline: { motion: { min_changed_fraction: 0.003 } } }).motionPercent, '0.3', 'percent without float noise');
equal(formProblems(form), {}, 'a stored form is fine');
equal(formProblems({ ...form, cooldown: 'soon', thresholds: [{ cls: 'dog', value: '' }, { cls: '', value: '0.2' }] }),
  { cooldown: 'Enter a number, or leave it empty to inherit.', 'threshold:dog': 'Enter a confidence between 0 and 1.', thresholds: 'Every threshold needs a class name.' }, 'text that is not a number, thresholds without a value or class');
equal(formProblems({ ...form, thresholds: [{ cls: 'dog', value: '0.2' }, { cls: 'dog ', value: '0.3' }] }).thresholds, 'dog has two thresholds.', 'a class twice');
equal(fieldOfError('pipeline.classes.person must be between 0.01 and 1', form), 'threshold:person', 'a class threshold');
equal(fieldOfError('pipeline.classes.traffic light must be between 0.01 and 1', { ...form, thresholds: [{ cls: 'traffic light', value: '2' }] }), 'threshold:traffic light', 'a class with a space');
equal(fieldOfError('pipeline.classes must be an object', form), 'thresholds', 'the thresholds as a whole');
equal(fieldOfError('live fps must be 0.5 to 5', form), 'fps', 'the rate, as the API words it');
equal(fieldOfError('pipeline.fps must be between 0.5 and 5', form), 'fps', 'the rate by its key');
equal(fieldOfError('cooldown_seconds must not be negative', form), 'cooldown', 'the cooldown');
equal(fieldOfError('pipeline.motion.min_changed_fraction must be between 0 and 1', form), 'motionPercent', 'motion');
equal(fieldOfError('pipeline.confidence must be between 0.01 and 1', form), 'confidence', 'the default confidence');
equal(fieldOfError('pipeline.class_filter has an unknown class', form), 'classFilter', 'the classes');
equal(fieldOfError('pipeline.tracker.max_age must be positive', form), null, 'a key the form does not show');
equal(offeredClasses(form), [...COMMON_CLASSES, 'fox'], 'switches for the common classes and the stored ones');

// -- the ML page's address -------------------------------------------------------------------------------------
const view = readView(new URLSearchParams('tab=settings&scope=cam-2&event=ev-9&class=person'));
equal([view.tab, view.scope, view.eventId, view.filter.classes], ['settings', 'cam-2', 'ev-9', ['person']], 'tab, scope, open event, filters');
equal(viewPath(view), '/ml?class=person&tab=settings&event=ev-9&scope=cam-2', 'and back');
equal(viewPath(readView(new URLSearchParams('tab=nonsense'))), '/ml', 'the activity log by default');

// -- stream and media ------------------------------------------------------------------------------------------
equal([1, 2, 3, 6, 7, 20].map(retryDelay), [1000, 2000, 4000, 30_000, 30_000, 30_000], 'reconnect pauses grow to 30 s');
equal(mediaUrl('/api/events/e/snapshot.jpg', { height: 120 }), '/api/events/e/snapshot.jpg?height=120', 'height added');
equal(mediaUrl('/api/events/e/snapshot.jpg?boxes=0', { height: 120, x: undefined }), '/api/events/e/snapshot.jpg?boxes=0&height=120', 'kept with what it had');

done();
