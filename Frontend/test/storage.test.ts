/**
 * Unit checks of the Status page's storage modules, run under node by
 * tests/frontend/test_storage_units.py: ages as the settings spell them, sizes, days, policy and
 * retention sentences, deletion reasons and spans; the usage bar's parts, guard and level; the
 * chart's steps, series, breaks, thinning and time ticks; the policy and camera forms, refused
 * fields, what is in force, and the move's local instant. Prints "ok <n> checks" or exits 1 at
 * the first failed check.
 */
import type { StorageLimits, StoragePolicy, StorageSample, TierStatus } from '../src/api/storage';
import { percent, tierBar } from '../src/pages/status/storageBar';
import { axisBytes, BREAK_AFTER_MS, chartGeometry, EDGE_ROOM_PX, niceStep, seriesOf, timeTicks } from '../src/pages/status/chartScale';
import { formatAge, formatDailyRate, formatDays, formatGB, formatSpan, nextTier, policySentence, reasonLabel, retentionSentence, retentionShort, tierLabel, trimNumber } from '../src/pages/status/storageFormat';
import {
  cameraDocument,
  cameraForm,
  CAMERA_KEYS,
  inForce,
  inheritHint,
  localInputValue,
  moveProblem,
  moveTargets,
  parseLocalInput,
  policyDocument,
  policyForm,
  POLICY_KEYS,
  refusedField,
} from '../src/pages/status/storageForm';
import { check, done, equal } from './check';

const none: StorageLimits = { max_age_seconds: null, max_bytes: null, min_age_seconds: null };
const GB = 1e9;

// -- ages, sizes, days ------------------------------------------------------------------------------
equal(formatAge(604_800), '7d', 'whole days');
equal(formatAge(129_600), '36h', 'a day and a half in hours, as one would type it');
equal(formatAge(90), '90s', 'seconds that are not whole minutes');
equal(formatAge(2700), '45m', 'whole minutes');
equal(formatAge(0.4), '0s', 'under half a second rounds to nothing');
equal(formatAge(null), '—', 'no limit');
equal(formatGB(500_000_000), '0.5 GB', 'half a GB');
equal(formatGB(2e12), '2000 GB', 'large sizes stay in GB, as they are set');
equal(formatGB(1_234_567), '0.0012 GB', 'tiny sizes keep their digits');
equal(trimNumber(0.1 + 0.2), '0.3', 'no float noise');
equal(formatDays(12.4), '12 days', 'many days, whole');
equal(formatDays(1.54), '1.5 days', 'a few days with one decimal');
equal(formatDays(1), '1 day', 'one day');
equal(formatDays(0.25), '6h 0m', 'under a day as a duration');
equal(formatDays(null), '—', 'unknown');
equal(formatDays(0), 'under 15 min', 'the server’s days are hundredths: 0 is under a quarter hour');
equal(formatDailyRate(100_000), '8.64 GB a day', 'bytes per second as footage per day');
equal(formatDailyRate(0), 'none measured', 'a camera that recorded nothing lately');
equal(tierLabel('warm'), 'Warm', 'tier names');
equal(tierLabel('lukewarm'), 'lukewarm', 'an unknown tier as written');

// -- sentences ---------------------------------------------------------------------------------------
const tiers = [
  { tier: 'hot' as const, configured: true },
  { tier: 'warm' as const, configured: true },
  { tier: 'cold' as const, configured: false },
];
equal(nextTier('hot', tiers), 'warm', 'hot moves to warm');
equal(nextTier('warm', tiers), null, 'warm has nothing below without cold');
equal(nextTier('hot', [tiers[0], { tier: 'warm', configured: false }, { tier: 'cold', configured: true }]), 'cold', 'hot skips a missing warm tier');
equal(policySentence('hot', { max_age_seconds: 604_800, max_bytes: 500 * GB, min_age_seconds: 3600 }, 'warm'), 'Moves to warm after 7d or beyond 500 GB; stays hot at least 1h', 'hot with every limit');
equal(policySentence('warm', { ...none, max_age_seconds: 30 * 86_400 }, null), 'Deleted after 30d', 'without a tier below, limits delete');
equal(policySentence('hot', none, 'warm'), 'No age or size limit of its own', 'no limits');
equal(policySentence('cold', none, null), 'Kept until the retention ends it', 'cold has no limits of its own');
equal(retentionSentence({ ...none, max_age_seconds: 2_592_000, max_bytes: 2e12 }), 'Footage ends after 30d or beyond 2000 GB', 'retention by age and size');
equal(retentionSentence(none), 'Footage is kept until space runs short', 'no retention');
equal(retentionShort({ ...none, max_age_seconds: 1_209_600, max_bytes: 200 * GB }), '14d · 200 GB', 'a camera’s retention, short');
equal(retentionShort(none), 'Until space runs short', 'no retention, short');
equal(reasonLabel('free_space'), 'To keep disk space free', 'reasons in words');
equal(reasonLabel('age'), 'Older than the retention', 'retention by age');
equal(reasonLabel('cosmic_ray'), 'cosmic_ray', 'an unknown reason as written');
const start = new Date(2026, 11, 7, 10, 15, 0).toISOString();
equal(formatSpan(start, new Date(2026, 11, 7, 10, 30, 5).toISOString()), '2026-12-07 10:15:00–10:30:05', 'a span within a day');
equal(formatSpan(new Date(2026, 11, 7, 23, 55, 0).toISOString(), new Date(2026, 11, 8, 0, 10, 0).toISOString()), '2026-12-07 23:55:00–2026-12-08 00:10:00', 'a span over midnight names both dates');

// -- usage bar -----------------------------------------------------------------------------------------
const disk = { capacity_bytes: 100 * GB, free_bytes: 40 * GB, used_bytes: 25 * GB, required_free_bytes: 10 * GB };
const bar = tierBar(disk)!;
equal(bar.parts.map((p) => [p.kind, p.bytes]), [['footage', 25 * GB], ['other', 35 * GB], ['free', 40 * GB]], 'footage, other use, free');
equal(bar.parts.reduce((sum, p) => sum + p.fraction, 0), 1, 'the parts fill the bar');
equal(bar.guard, 0.9, 'the reserve begins 10 GB from the right');
equal(bar.reserve, 10 * GB, 'the reserve in bytes, as the server gave it');
equal(bar.used, 0.6, 'share in use');
equal(bar.level, 'ok', 'plenty free');
equal(tierBar({ ...disk, free_bytes: 15 * GB })!.level, 'high', 'within twice the reserve');
equal(tierBar({ ...disk, free_bytes: 5 * GB })!.level, 'critical', 'below the reserve');
equal(tierBar({ ...disk, required_free_bytes: 0, free_bytes: 5 * GB })!.level, 'high', 'over 90 % used without a reserve');
equal(tierBar({ ...disk, required_free_bytes: null })!.guard, null, 'no reserve, no mark');
const counted = tierBar({ ...disk, used_bytes: 80 * GB })!;
equal(counted.parts.map((p) => p.bytes), [60 * GB, 0, 40 * GB], 'footage counted twice mid-move never overflows the disk');
equal(tierBar({ ...disk, required_free_bytes: 500 * GB })!.guard, 0, 'a reserve larger than the disk marks its left edge');
equal(tierBar({ ...disk, capacity_bytes: null }), null, 'a bucket has no bar');
equal(tierBar({ ...disk, free_bytes: null }), null, 'an unmeasured disk has no bar');
equal(tierBar({ ...disk, capacity_bytes: 0 }), null, 'a zero-sized disk has no bar');
equal(percent(0.123456789), '12.3457%', 'CSS percentages');
equal(percent(1.5), '100.0000%', 'clamped');

// -- chart -----------------------------------------------------------------------------------------------
equal(niceStep(7.3 * GB, 4), 2 * GB, 'round steps: 2');
equal(niceStep(9 * GB, 4), 2.5 * GB, 'round steps: 2.5');
equal(niceStep(16 * GB, 4), 5 * GB, 'round steps: 5');
equal(niceStep(40 * GB, 4), 10 * GB, 'round steps: 10');
equal(niceStep(0, 4), 1, 'nothing to scale');
const t0 = Date.parse('2026-12-01T00:00:00Z');
const M = 60_000;
const sample = (minutes: number, tier: 'hot' | 'warm' | 'cold', gb: number): StorageSample => ({
  at: new Date(t0 + minutes * M).toISOString(), tier, used_bytes: gb * GB, recordings: 1, free_bytes: null, capacity_bytes: null,
});
const samples = [sample(10, 'warm', 2), sample(0, 'hot', 1), sample(5, 'hot', 2), sample(0, 'warm', 1), sample(10, 'hot', 3), sample(60, 'hot', 4), sample(65, 'hot', 5)];
const series = seriesOf(samples);
equal(series.map((s) => s.tier), ['hot', 'warm'], 'series in tier order, only tiers with samples');
equal(series[0].points.map((p) => p.bytes / GB), [1, 2, 3, 4, 5], 'samples sorted by time');
const box = { width: 500, height: 220, left: 60, right: 10, top: 10, bottom: 30 };
const geometry = chartGeometry(samples, t0, t0 + 100 * M, box, 'UTC');
equal(geometry.yMax, 6 * GB, 'the axis reaches the first round step above the highest sample');
equal(geometry.yTicks.map((t) => t.label), ['0', '2 GB', '4 GB', '6 GB'], 'byte ticks in round steps');
equal([axisBytes(2.5 * GB), axisBytes(50 * GB), axisBytes(250 * 1e6), axisBytes(0)], ['2.5 GB', '50 GB', '250 MB', '0'], 'axis bytes without trailing zeros');
check(geometry.xTicks.every((t) => t.pos >= EDGE_ROOM_PX && t.pos <= box.width - EDGE_ROOM_PX), 'no time label is cut off at the edges');
equal(geometry.yTicks.map((t) => t.pos), [190, 130, 70, 10], 'from the plot’s bottom to its top');
const hot = geometry.lines[0];
equal(hot.points[0].x, 60, 'the first instant at the plot’s left');
equal(hot.points[0].y, 160, 'bytes up the plot');
equal(hot.path.split('M').length - 1, 2, 'an hour without samples breaks the line');
check(60 * M - 10 * M > BREAK_AFTER_MS, 'the break is over the limit');
equal(hot.dots.length, 0, 'runs of several points need no dots');
equal(hot.last?.bytes, 5 * GB, 'the latest figure');
const lone = chartGeometry([sample(0, 'cold', 1)], t0, t0 + 100 * M, box, 'UTC');
equal([lone.lines[0].dots.length, lone.empty], [1, false], 'one sample is a dot');
const dense = Array.from({ length: 2000 }, (_, i) => sample(i * 5, 'hot', 1 + i / 1000));
const thin = chartGeometry(dense, t0, t0 + 2000 * 5 * M, box, 'UTC');
check(thin.lines[0].points.length <= box.width - box.left - box.right + 1, `at most a point per pixel column (${thin.lines[0].points.length})`);
equal(thin.lines[0].path.split('M').length - 1, 1, 'thinning does not break the line');
equal(chartGeometry([], t0, t0 + 100 * M, box, 'UTC').empty, true, 'no samples: empty');
equal(chartGeometry([sample(-600, 'hot', 9)], t0, t0 + 100 * M, box, 'UTC').empty, true, 'samples outside the span are not drawn');
const dayTicks = timeTicks(Date.parse('2026-12-01T05:00:00Z'), Date.parse('2026-12-02T05:00:00Z'), 600, 'UTC');
check(dayTicks.length >= 4 && dayTicks.length <= 8, `a day has a handful of ticks (${dayTicks.length})`);
check(dayTicks.some((t) => t.label === 'Dec 2'), 'midnight is labelled with its date');
check(dayTicks.every((t) => /^(\d\d:\d\d|[A-Z][a-z]{2} \d+)$/.test(t.label)), 'hours or dates');
const weekTicks = timeTicks(Date.parse('2026-12-01T05:00:00Z'), Date.parse('2026-12-08T05:00:00Z'), 600, 'Europe/Berlin');
equal(weekTicks.map((t) => t.label), ['Dec 2', 'Dec 3', 'Dec 4', 'Dec 5', 'Dec 6', 'Dec 7', 'Dec 8'], 'a week: local midnights');
equal(weekTicks.map((t) => new Date(t.at).toISOString().slice(11, 16)), Array(7).fill('23:00'), 'Berlin midnights are 23:00Z in winter');
const quarter = timeTicks(Date.parse('2026-09-01T00:00:00Z'), Date.parse('2026-11-30T00:00:00Z'), 700, 'UTC');
check(quarter.length >= 3 && quarter.length <= 9, `90 days in a few ticks (${quarter.length})`);
equal(timeTicks(5, 5, 600, 'UTC'), [], 'an empty span has no ticks');

// -- forms ---------------------------------------------------------------------------------------------------
const stored = { hot_max_age: '7d', min_free_gb: '0.5' };
const form = policyForm(stored);
equal(form.hot_max_age, '7d', 'stored values fill the form');
equal(form.warm_max_gb, '', 'missing values are empty');
equal(Object.keys(form).sort(), [...POLICY_KEYS].sort(), 'every field');
const edited = { ...form, hot_max_age: ' 3d ', retention_max_gb: '', warm_max_gb: '0.25' };
const doc = policyDocument(edited);
equal([doc.hot_max_age, doc.retention_max_gb, doc.warm_max_gb, doc.min_free_gb], ['3d', null, '0.25', '0.5'], 'trimmed, empty as null');
equal(Object.keys(doc).length, POLICY_KEYS.length, 'the PUT names every key, so it replaces the stored document');
equal(cameraForm({ retention_max_age: '14d', priority: 80 }), { retention_max_age: '14d', retention_max_gb: '', priority: '80' }, 'a camera’s stored document');
equal(cameraForm(null).priority, '', 'no document, empty form');
equal(cameraDocument({ retention_max_age: '', retention_max_gb: '2', priority: '10' }), { retention_max_age: null, retention_max_gb: '2', priority: 10 }, 'priority as a number');
equal(cameraDocument({ retention_max_age: '', retention_max_gb: '', priority: 'high' }).priority, 'high', 'a priority that is not a number goes as written, for the server to name');
equal(cameraDocument({ retention_max_age: '', retention_max_gb: '', priority: '50.5' }).priority, 50.5, 'a fraction goes as a number, for the server to refuse');
equal(cameraDocument({ retention_max_age: '', retention_max_gb: '', priority: ' ' }).priority, null, 'empty priority inherits');
equal(refusedField("hot_max_age: '7x' is not a duration: write a number and a unit, such as 90s, 12h or 7d", POLICY_KEYS), { field: 'hot_max_age', message: "'7x' is not a duration: write a number and a unit, such as 90s, 12h or 7d" }, 'the field a refusal names');
equal(refusedField('priority: expected a whole number from 0 to 100', CAMERA_KEYS)?.field, 'priority', 'a camera field');
equal(refusedField('priority: expected a whole number from 0 to 100', POLICY_KEYS), null, 'a field the form does not have');
equal(refusedField('The request body is not valid JSON', POLICY_KEYS), null, 'a message naming no field');
const policy: StoragePolicy = {
  document: {},
  effective: { ...none, max_age_seconds: 2_592_000 },
  hot: { max_age_seconds: null, max_bytes: 500 * GB, min_age_seconds: 3600 },
  warm: none,
  min_free_bytes: GB,
};
equal(POLICY_KEYS.map((k) => inForce(k, policy)), ['30d', null, null, '500 GB', '1h', null, null, '1 GB'], 'what is in force per field');
equal(inheritHint('30d', 'the server’s setting'), 'Empty: 30d (the server’s setting)', 'the inherited value');
equal(inheritHint(null, 'all cameras'), 'Empty: no limit (all cameras)', 'nothing inherited');

// -- moving footage -------------------------------------------------------------------------------------
equal(moveTargets(tiers), ['warm'], 'only configured tiers below hot');
equal(moveTargets([{ tier: 'hot', configured: true }]), [], 'nowhere to move');
const local = new Date(2026, 11, 7, 9, 30).getTime();
equal(localInputValue(local), '2026-12-07T09:30', 'an instant as a local date-time value');
equal(parseLocalInput('2026-12-07T09:30'), local, 'and back');
equal(parseLocalInput('2026-12-07T09:30:15'), local + 15_000, 'seconds allowed');
equal(parseLocalInput('2026-02-30T09:30'), null, 'no February 30th');
equal(parseLocalInput('yesterday'), null, 'not a date');
equal(moveProblem([], '2026-12-07T09:30', 'warm'), 'Choose at least one camera.', 'no cameras');
equal(moveProblem(['a'], '', 'warm'), 'Give the date and time footage was recorded before.', 'no instant');
equal(moveProblem(['a'], '2026-12-07T09:30', ''), 'Choose where the footage goes.', 'no destination');
equal(moveProblem(Array(65).fill('a'), '2026-12-07T09:30', 'warm'), 'Choose at most 64 cameras at a time.', 'too many cameras');
equal(moveProblem(['a'], '2026-12-07T09:30', 'cold'), null, 'a move that can be asked for');

done();
