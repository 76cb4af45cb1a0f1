/**
 * Unit checks of the Playback page's pure modules, run under node by
 * tests/frontend/test_playback_units.py (esbuild bundles this file, node runs it):
 * time-zone wall clocks and ruler ticks on 24/23/25-hour and half-hour-zone days, calendar
 * grids, the ruler's zoom window, segment lookup for seeks and continuation, rulers' placement,
 * settings kept in the URL, export checks, and the keyboard map. Prints "ok <n> checks" or
 * exits 1 at the first failed check.
 */
import { addDays, addMonths, isDate, monthGrid, monthOf } from '../src/pages/playback/calendarMonth';
import { exportProblem, MAX_EXPORT_MS } from '../src/pages/playback/clipExport';
import { classColor, rankedClasses, sumCounts } from '../src/pages/playback/detectionClasses';
import { parseSettings, settingsQuery, storedSettings } from '../src/pages/playback/playbackSettings';
import { place, ticksFor } from '../src/pages/playback/rulerGeometry';
import { nextAfter, seekTarget, segmentAt, toSegments } from '../src/pages/playback/segmentLookup';
import { legendTiers, rangeRuns, rangeTiers, tierSeconds, tintedRuns } from '../src/pages/playback/tierRuns';
import { keyAction } from '../src/pages/playback/usePlaybackKeys';
import { clampWindow, follow, MIN_SPAN_MS, pan, wholeDay, zoomAt, zoomLevel } from '../src/pages/playback/viewWindow';
import { localDate, localTicks, localTime, tickStep, zoneOffsetMs } from '../src/pages/playback/zoneTime';
import type { CameraTimeline, Recording } from '../src/api/playback';
import { exportUrl } from '../src/api/playback';
import { check, done, equal } from './check';

const H = 3600_000;
const at = (iso: string) => Date.parse(iso);

// -- zone time: offsets, local dates and times -------------------------------------------------
equal(zoneOffsetMs(at('2026-07-01T12:00:00Z'), 'Europe/Berlin'), 2 * H, 'Berlin summer offset');
equal(zoneOffsetMs(at('2026-12-01T12:00:00Z'), 'Europe/Berlin'), 1 * H, 'Berlin winter offset');
equal(zoneOffsetMs(at('2026-12-01T12:00:00Z'), 'Asia/Kolkata'), 5.5 * H, 'Kolkata offset');
equal(zoneOffsetMs(at('2026-12-01T12:00:00Z'), 'UTC'), 0, 'UTC offset');
equal(localDate(at('2026-11-29T23:30:00Z'), 'Europe/Berlin'), '2026-11-30', 'local date past local midnight');
equal(localDate(at('2026-11-29T23:30:00Z'), 'America/New_York'), '2026-11-29', 'local date behind UTC');
equal(localTime(at('2026-11-29T23:30:05Z'), 'Europe/Berlin'), '00:30:05', 'local time with seconds');
equal(localTime(at('2026-11-29T23:30:05Z'), 'Europe/Berlin', false), '00:30', 'local time without seconds');

// -- ruler ticks: one per local hour, 24 / 23 / 25 of them -----------------------------------------
function hourLabels(start: string, end: string, tz: string): string[] {
  return localTicks(at(start), at(end) - 1, H, tz).map((t) => localTime(t, tz, false));
}
const normal = hourLabels('2026-11-29T05:00:00Z', '2026-11-30T05:00:00Z', 'America/New_York');
equal(normal.length, 24, 'an ordinary day has 24 hour ticks');
equal(normal.slice(0, 3), ['00:00', '01:00', '02:00'], 'ordinary day starts at local midnight');
const spring = hourLabels('2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z', 'America/New_York');
equal(spring.length, 23, 'spring-forward day has 23 hour ticks');
equal(spring.slice(0, 4), ['00:00', '01:00', '03:00', '04:00'], 'the skipped hour has no tick');
const fall = hourLabels('2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', 'America/New_York');
equal(fall.length, 25, 'fall-back day has 25 hour ticks');
equal(fall.slice(0, 4), ['00:00', '01:00', '01:00', '02:00'], 'the repeated hour is ticked twice');
const berlinSpring = hourLabels('2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z', 'Europe/Berlin');
equal(berlinSpring.length, 23, 'Berlin spring-forward day has 23 hours');
equal(berlinSpring[2], '03:00', 'Berlin skips 02:00');
const kolkata = localTicks(at('2026-11-28T18:30:00Z'), at('2026-11-29T18:30:00Z') - 1, H, 'Asia/Kolkata');
equal(kolkata.length, 24, 'half-hour zone: 24 local hours');
equal(new Date(kolkata[0]).toISOString(), '2026-11-28T18:30:00.000Z', 'half-hour zone: ticks at its own local hours');
equal(tickStep(24 * H, 12), 2 * H, 'a day across 12 ticks steps 2 hours');
equal(tickStep(10 * 60_000, 10), 60_000, 'ten minutes across 10 ticks steps 1 minute');
const minuteTicks = ticksFor({ start: at('2026-11-29T10:00:00Z'), span: 2 * 60_000 }, 'UTC', 800);
check(minuteTicks.length >= 5 && minuteTicks.every((t) => t.left >= 0 && t.left <= 1), 'zoomed-in ticks lie on the ruler');
equal(minuteTicks[1].label, '10:00:15', 'zoomed-in ticks show seconds');

// -- calendar -----------------------------------------------------------------------------------------
check(isDate('2026-02-28') && !isDate('2026-02-30') && !isDate('2026-2-3') && !isDate(null), 'date validation');
equal(addMonths('2026-12', 1), '2027-01', 'month forward over a year');
equal(addMonths('2026-01', -1), '2025-12', 'month back over a year');
equal(addDays('2026-03-01', -1), '2026-02-28', 'day back over a month');
equal(monthOf('2026-11-29'), '2026-11', 'month of a date');
const nov = monthGrid('2026-11');
equal(nov[0], [null, null, null, null, null, null, '2026-11-01'], 'November 2026 starts on a Sunday (Monday-first grid)');
equal(nov[nov.length - 1][0], '2026-11-30', 'last week starts with the 30th');
check(nov.every((w) => w.length === 7), 'whole weeks');
equal(monthGrid('2027-02').length, 4, 'February 2027 fills exactly four weeks');

// -- zoom window --------------------------------------------------------------------------------------
const day = { start: at('2026-11-29T00:00:00Z'), end: at('2026-11-30T00:00:00Z') };
const whole = wholeDay(day);
equal(zoomLevel(whole, day), 1, 'whole day is 1x');
const noon = at('2026-11-29T12:00:00Z');
const z2 = zoomAt(whole, 2, noon, day);
equal(z2, { start: at('2026-11-29T06:00:00Z'), span: 12 * H }, 'zooming at noon keeps noon in the middle');
const z2edge = zoomAt(whole, 2, day.start + H, day);
equal(z2edge.start, day.start + H / 2, 'zooming near the start keeps the anchor under the pointer');
let deep = whole;
for (let i = 0; i < 20; i += 1) deep = zoomAt(deep, 2, noon, day);
equal(deep.span, MIN_SPAN_MS, 'zoom stops at the closest span');
check(deep.start <= noon && noon <= deep.start + deep.span, 'the anchor stays inside when zoomed all the way');
equal(zoomAt(z2, 0.25, noon, day), whole, 'zooming out never goes past the whole day');
equal(pan(z2, 24 * H, day).start, day.end - 12 * H, 'panning stops at the end of the day');
equal(pan(z2, -24 * H, day).start, day.start, 'panning stops at the start of the day');
equal(clampWindow({ start: day.start - H, span: 48 * H }, day), whole, 'a window wider than the day is the day');
check(follow(z2, noon, day) === z2, 'following an instant already in view changes nothing');
equal(follow(z2, at('2026-11-29T20:00:00Z'), day).start, at('2026-11-29T12:00:00Z'), 'following centres a far instant (clamped)');

// -- segments: seek targets and continuation ----------------------------------------------------------
function rec(id: string, start: string, end: string, status = 'complete'): Recording {
  return { id, camera_id: 'c', start, end, duration_seconds: (at(end) - at(start)) / 1000, size_bytes: 1, video_codec: 'h264', width: 768, height: 576, audio_codec: null, status, path: '', file_url: '' };
}
const segs = toSegments([
  rec('c', '2026-11-29T10:00:16Z', '2026-11-29T10:00:24Z'),
  rec('a', '2026-11-29T10:00:00Z', '2026-11-29T10:00:08Z'),
  rec('b', '2026-11-29T10:00:07.6Z', '2026-11-29T10:00:16Z'),
  rec('gone', '2026-11-29T10:00:30Z', '2026-11-29T10:00:40Z', 'missing'),
  rec('d', '2026-11-29T11:00:00Z', '2026-11-29T11:00:08Z'),
]);
equal(segs.map((s) => s.recording.id), ['a', 'b', 'c', 'd'], 'complete segments, sorted by start');
equal(segmentAt(segs, at('2026-11-29T10:00:03Z'))?.recording.id, 'a', 'instant inside the first segment');
equal(segmentAt(segs, at('2026-11-29T10:00:07.8Z'))?.recording.id, 'b', 'overlap: the later segment plays');
equal(segmentAt(segs, at('2026-11-29T10:00:16Z'))?.recording.id, 'c', 'a segment end belongs to the next one');
equal(segmentAt(segs, at('2026-11-29T10:30:00Z')), null, 'nothing covers a gap');
equal(seekTarget(segs, at('2026-11-29T10:00:03.5Z')), { segment: segs[0], offset: 3.5 }, 'seek offset is instant minus start');
equal(seekTarget(segs, at('2026-11-29T10:30:00Z'))?.segment.recording.id, 'd', 'a seek into a gap plays the next footage');
equal(seekTarget(segs, at('2026-11-29T10:30:00Z'))?.offset, 0, 'from its start');
equal(seekTarget(segs, at('2026-11-29T12:00:00Z')), null, 'nothing after the last footage');
equal(nextAfter(segs, segs[0])?.segment.recording.id, 'b', 'a continues into b');
check(Math.abs((nextAfter(segs, segs[0])?.offset ?? 0) - 0.4) < 1e-9, 'past the overlap, so nothing plays twice');
equal(nextAfter(segs, segs[2]), { segment: segs[3], offset: 0 }, 'across a gap to the next range');
equal(nextAfter(segs, segs[3]), null, 'the end of the day');

// -- ruler placement ----------------------------------------------------------------------------------------
const view = { start: at('2026-11-29T10:00:00Z'), span: H };
const placed = place(
  [
    { start: at('2026-11-29T09:00:00Z'), end: at('2026-11-29T10:15:00Z') },
    { start: at('2026-11-29T10:30:00Z'), end: at('2026-11-29T10:45:00Z') },
    { start: at('2026-11-29T12:00:00Z'), end: at('2026-11-29T13:00:00Z') },
  ],
  view,
  (s) => s,
);
equal(placed.map((p) => [p.left, p.width]), [[0, 0.25], [0.5, 0.25]], 'spans clipped to the window, invisible ones left out');

// -- settings in the URL and localStorage ------------------------------------------------------------------
const q = (text: string) => new URLSearchParams(text);
equal(parseSettings(q('cameras=a1,b2&date=2026-11-20&span=3600&from=600'), null), { cameras: ['a1', 'b2'], date: '2026-11-20', span: 3600, from: 600 }, 'read from the URL');
equal(parseSettings(q('date=2026-02-30&span=-5&cameras=<x>'), null), { cameras: [], date: null, span: null, from: 0 }, 'bad values fall back');
equal(parseSettings(q(''), '{"cameras":["s1"],"span":900}'), { cameras: ['s1'], date: null, span: 900, from: 0 }, 'a visit without query uses the stored cameras and zoom');
equal(parseSettings(q('cameras=u1'), '{"cameras":["s1"],"span":900}').span, null, 'a link with its own cameras does not take the stored zoom');
equal(parseSettings(q(''), 'not json'), { cameras: [], date: null, span: null, from: 0 }, 'unreadable storage');
const settings = { cameras: ['a1', 'b2'], date: '2026-11-20', span: 3600, from: 600 };
equal(settingsQuery(settings), '?cameras=a1,b2&date=2026-11-20&span=3600&from=600', 'written to the URL');
equal(parseSettings(q(settingsQuery(settings).slice(1)), null), settings, 'URL round trip');
equal(settingsQuery({ cameras: [], date: null, span: null, from: 500 }), '', 'defaults leave the URL bare');
equal(JSON.parse(storedSettings(settings)), { cameras: ['a1', 'b2'], span: 3600 }, 'storage keeps cameras and zoom, not the date');

// -- export -----------------------------------------------------------------------------------------------
const footage = [{ start: at('2026-11-29T10:00:00Z'), end: at('2026-11-29T10:00:24Z') }];
equal(exportProblem({ start: at('2026-11-29T10:00:05Z'), end: at('2026-11-29T10:00:15Z') }, footage), null, 'a range with footage can be downloaded');
check(exportProblem({ start: at('2026-11-29T11:00:00Z'), end: at('2026-11-29T11:10:00Z') }, footage)?.includes('no footage'), 'a range without footage is refused');
check(exportProblem({ start: footage[0].start, end: footage[0].start }, footage)?.includes('after'), 'an empty range is refused');
check(exportProblem({ start: footage[0].start, end: footage[0].start + MAX_EXPORT_MS + 1 }, footage)?.includes('24 hours'), 'a too long range is refused');
equal(exportUrl(['a b'], '2026-11-29T10:00:00Z', '2026-11-29T10:01:00Z', 'Europe/Berlin'), '/api/playback/a%20b/export?start=2026-11-29T10%3A00%3A00Z&end=2026-11-29T10%3A01%3A00Z&tz=Europe%2FBerlin', 'one camera: its own export');
check(exportUrl(['a', 'b'], 's', 'e', 'UTC').startsWith('/api/playback/export?camera_ids=a%2Cb&'), 'several cameras: the ZIP export');

// -- detection classes -----------------------------------------------------------------------------------------
equal(rankedClasses({ car: 2, person: 12, dog: 0, bus: 2 }), [{ name: 'person', count: 12 }, { name: 'bus', count: 2 }, { name: 'car', count: 2 }], 'most detections first');
equal(sumCounts([{ person: 1 }, { person: 2, car: 1 }]), { person: 3, car: 1 }, 'counts add up across cameras');
check(classColor('person') !== classColor('car'), 'common classes have distinct colours');
equal(classColor('umbrella'), classColor('umbrella'), 'other classes keep a stable colour');

// -- keyboard ---------------------------------------------------------------------------------------------------
const log: string[] = [];
const handlers = {
  togglePlay: () => log.push('toggle'),
  step: (s: number) => log.push(`step ${s}`),
  frame: (d: number) => log.push(`frame ${d}`),
  zoom: (d: number) => log.push(`zoom ${d}`),
  pictureZoom: (d: number) => log.push(`picture ${d}`),
  pictureReset: () => log.push('picture reset'),
  live: () => log.push('live'),
};
const keys: [string, boolean][] = [[' ', false], ['ArrowLeft', false], ['ArrowRight', true], [',', false], ['.', false], ['+', false], ['-', false],
  ['z', false], ['Z', true], ['Z', false], ['0', false], ['l', false]];
for (const [key, shift] of keys) keyAction(key, shift, handlers)?.();
equal(log, ['toggle', 'step -10', 'step 60', 'frame -1', 'frame 1', 'zoom 1', 'zoom -1', 'picture 1', 'picture -1', 'picture 1', 'picture reset', 'live'],
  'shortcut map: Z zooms the picture in, Shift+Z out (Caps Lock alone does not turn it round), 0 shows it whole, L goes live');
equal(keyAction('x', false, handlers), null, 'other keys are left alone');

// -- where footage lives ------------------------------------------------------------------------------------------
const lane = (ranges: CameraTimeline['ranges'], tierTotals?: CameraTimeline['tier_seconds']): CameraTimeline => ({
  camera_id: 'c', ranges, gaps: [], recorded_seconds: 0, markers: [], counts: {}, ...(tierTotals ? { tier_seconds: tierTotals } : {}),
});
const mixed = {
  start: '2026-12-01T08:00:00Z', end: '2026-12-01T10:00:00Z', recordings: 8,
  tiers: [
    { start: '2026-12-01T08:00:00Z', end: '2026-12-01T08:15:00Z', tier: 'cold' as const },
    { start: '2026-12-01T08:15:00Z', end: '2026-12-01T09:00:00Z', tier: 'warm' as const },
    { start: '2026-12-01T09:00:00Z', end: '2026-12-01T10:00:00Z', tier: 'hot' as const },
  ],
};
const plain = { start: '2026-12-01T12:00:00Z', end: '2026-12-01T12:30:00Z', recordings: 2 };
equal(rangeRuns(plain), [{ start: plain.start, end: plain.end, tier: 'hot' }], 'a server without tiers: the whole range is hot');
equal(rangeRuns({ ...plain, tiers: [] }).map((r) => r.tier), ['hot'], 'no runs reads as hot');
equal(rangeTiers(mixed), ['cold', 'warm', 'hot'], 'a range’s tiers in order');
equal(tintedRuns(lane([mixed, plain])).map((r) => [r.tier, r.start]), [['cold', '2026-12-01T08:00:00Z'], ['warm', '2026-12-01T08:15:00Z']], 'the ruler tints what is not hot');
equal(tierSeconds([lane([mixed, plain])]), { cold: 900, warm: 2700, hot: 5400 }, 'seconds per tier from the runs');
equal(tierSeconds([lane([mixed], { warm: 10, hot: 20 }), lane([plain])]), { warm: 10, hot: 1820 }, 'the server’s totals win where given, lanes add up');
equal(legendTiers([lane([mixed, plain])]).map((t) => t.tier), ['hot', 'warm', 'cold'], 'the legend in tier order');
equal(legendTiers([lane([plain])]).map((t) => t.tier), ['hot'], 'a hot-only day names hot');
equal(legendTiers([lane([])]), [], 'no footage, no legend');

done();
