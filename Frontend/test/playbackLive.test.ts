/**
 * Unit checks of Playback's pure modules for the segment being written, run under node by
 * tests/frontend/test_playback_live_units.py (esbuild bundles this file, node runs it): which
 * segment plays an instant near now, where a seek lands in a copy of a growing file, when to
 * fetch a fresh copy and what to do at the end of one, the Live button's follow decisions, and
 * the ruler's marks of the present. Prints "ok <n> checks" or exits 1 at the first failed check.
 */
import type { Recording } from '../src/api/playback';
import { endsFollowing, followStep, JUMP_COOLDOWN_MS, LIVE_LAG_MS, liveInstant, MAX_LAG_MS } from '../src/pages/playback/followLive';
import {
  clampOffset,
  copyUrl,
  EDGE_MARGIN_S,
  edgeStep,
  FETCH_AHEAD_S,
  heldSeconds,
  isGrowing,
  knownSeconds,
  RETRY_MS,
  seekNeedsFreshCopy,
  shouldFetchAhead,
  targetNearNow,
  type FreshCopy,
} from '../src/pages/playback/growingSegment';
import { inProgress, liveSpans, nowOnDay, recentWindow } from '../src/pages/playback/liveMarks';
import { nextAfter, toSegments } from '../src/pages/playback/segmentLookup';
import { keyAction } from '../src/pages/playback/usePlaybackKeys';
import { check, done, equal } from './check';

const at = (iso: string) => Date.parse(iso);

function rec(id: string, start: string, end: string, status = 'complete', camera = 'CAM-1'): Recording {
  return {
    id, camera_id: camera, start, end, duration_seconds: (at(end) - at(start)) / 1000, size_bytes: 1, video_codec: 'h264', width: 768,
    height: 576, audio_codec: null, status, in_progress: status === 'recording', path: null, file_url: '',
  };
}

// A finished segment, then the one being written (its row last said 10:15:30; now is 10:15:34).
const now = at('2026-11-29T10:15:34Z');
const segs = toSegments([
  rec('done', '2026-11-29T10:00:00Z', '2026-11-29T10:15:00Z'),
  rec('live', '2026-11-29T10:15:00Z', '2026-11-29T10:15:30Z', 'recording'),
  rec('gone', '2026-11-29T09:00:00Z', '2026-11-29T09:15:00Z', 'missing'),
]);
const [done_, live] = segs;

// -- the segment being written plays ---------------------------------------------------------------
equal(segs.map((s) => s.recording.id), ['done', 'live'], 'complete and growing segments play; missing ones do not');
check(isGrowing(live) && !isGrowing(done_), 'status recording / in_progress marks the growing segment');
check(isGrowing({ ...live, recording: { ...live.recording, status: 'complete', in_progress: true } }), 'in_progress alone marks it too');
equal(knownSeconds(live), 30, 'the row knows 30 s of it');
equal(nextAfter(segs, done_)?.segment.recording.id, 'live', 'finished footage continues into the segment being written');

// -- which segment plays an instant near now -----------------------------------------------------------
equal(targetNearNow(segs, at('2026-11-29T10:15:10Z'), now), { segment: live, offset: 10 }, 'inside the row: like any seek');
equal(targetNearNow(segs, at('2026-11-29T10:15:32Z'), now), { segment: live, offset: 32 }, 'past the row but before now: the growing segment');
equal(targetNearNow(segs, now + 1000, now)?.segment.recording.id, 'live', 'a second ahead of the clock still plays the newest');
equal(targetNearNow(segs, now + 10_000, now), null, 'the future has no footage');
equal(targetNearNow(segs, at('2026-11-29T10:05:00Z'), now)?.segment.recording.id, 'done', 'older footage as before');
const finished = toSegments([rec('done', '2026-11-29T10:00:00Z', '2026-11-29T10:15:00Z')]);
equal(targetNearNow(finished, at('2026-11-29T10:15:10Z'), now), null, 'past a finished segment there is nothing');

// -- where a seek lands in a copy --------------------------------------------------------------------
equal(clampOffset(10, 30), 10, 'inside the copy: where asked');
equal(clampOffset(40, 30), 30 - EDGE_MARGIN_S, 'past the copy: just before its end');
equal(clampOffset(-1, 30), 0, 'never before the start');
equal(clampOffset(12, NaN), 12, 'a copy of unknown length takes the offset');
check(seekNeedsFreshCopy(live, 31, 30), 'a seek past the copy of a growing file needs a fresh one');
check(!seekNeedsFreshCopy(live, 10, 30), 'a seek inside it does not');
check(!seekNeedsFreshCopy(done_, 899, 900), 'a finished file held whole never does');
check(seekNeedsFreshCopy(done_, 600, 30), 'a copy from before it was finished does, past its end');
check(!seekNeedsFreshCopy(done_, 20, 30), 'but not inside it');
equal(copyUrl('/api/recordings/x/file', true, 3), '/api/recordings/x/file?v=3', 'a growing file is asked for under a query of its own');
equal(copyUrl('/api/recordings/x/file?a=1', true, 4), '/api/recordings/x/file?a=1&v=4', 'added to a query already there');
equal(copyUrl('/api/recordings/x/file', false, 5), '/api/recordings/x/file', 'a finished file keeps its plain address');
const media = (duration: number, ends: number[]) => ({ duration, seekable: { length: ends.length, end: (i: number) => ends[i] } });
equal(heldSeconds(media(31.5, [31.5])), 31.5, 'held: the duration');
equal(heldSeconds(media(Infinity, [28])), 28, 'held: the seekable end when the duration is unknown');
equal(heldSeconds(media(NaN, [])), 0, 'held: nothing before metadata');

// -- fetching a fresh copy ahead -------------------------------------------------------------------------
const copy = (over: Partial<FreshCopy>): FreshCopy => ({ loading: false, seconds: 0, ageMs: 0, ofGrowing: true, ...over });
check(!shouldFetchAhead(live, 20, 30, null), 'far from the end of the copy: nothing yet');
check(shouldFetchAhead(live, 30 - FETCH_AHEAD_S + 0.5, 30, null), 'a few seconds before its end: fetch');
check(!shouldFetchAhead(done_, 899, 900, null), 'a finished segment is never fetched again ahead');
check(!shouldFetchAhead(live, 29, 30, copy({ loading: true })), 'one fetch at a time');
check(!shouldFetchAhead(live, 29, 30, copy({ seconds: 33 })), 'a fresh copy that holds more is enough');
check(!shouldFetchAhead(live, 29, 30, copy({ seconds: 30, ageMs: RETRY_MS - 1 })), 'a copy that held nothing new is not asked again at once');
check(shouldFetchAhead(live, 29, 30, copy({ seconds: 30, ageMs: RETRY_MS })), 'but after a while');

// -- at the end of the copy on screen ----------------------------------------------------------------------
equal(edgeStep(live, 30, copy({ seconds: 33 })), 'swap', 'the fresh copy holds more: it takes over');
equal(edgeStep(live, 30, copy({ loading: true })), 'wait', 'a fresh copy on its way: wait for it');
equal(edgeStep(live, 30, null), 'refetch', 'no fresh copy: ask for one (not the end of the footage)');
equal(edgeStep(live, 30, copy({ seconds: 30, ageMs: 200 })), 'retry', 'nothing new yet: ask again shortly');
equal(edgeStep(live, 30, copy({ seconds: 30, ageMs: RETRY_MS })), 'refetch', 'and again after a while');
const closed = { ...live, end: at('2026-11-29T10:15:40Z'), recording: { ...live.recording, status: 'complete', in_progress: false } };
equal(edgeStep(closed, 34, null), 'refetch', 'closed since the copy was loaded: the finished file holds more');
equal(edgeStep(closed, 34, copy({ seconds: 34, ofGrowing: true })), 'refetch', 'a copy from while it grew does not show the end');
equal(edgeStep(closed, 34, copy({ seconds: 40, ofGrowing: false })), 'swap', 'the finished copy goes on seamlessly');
equal(edgeStep(closed, 39.8, null), 'next', 'at the end of the finished segment: the next footage');
equal(edgeStep(closed, 36, copy({ seconds: 36, ofGrowing: false })), 'next', 'a finished copy shorter than its row ends there');
equal(edgeStep(done_, 900, null), 'next', 'ordinary segments end as before');

// -- Live: following the edge ------------------------------------------------------------------------------------
equal(liveInstant(now), now - LIVE_LAG_MS, 'Live starts a few seconds before now');
check(LIVE_LAG_MS < MAX_LAG_MS && MAX_LAG_MS <= 10_000, 'Live stays within about ten seconds of now');
equal(followStep(now, null, null), { kind: 'stay' }, 'nothing on screen yet: wait');
equal(followStep(now, now - 5000, now - 60_000), { kind: 'stay' }, 'a few seconds behind: keep playing');
equal(followStep(now, now - MAX_LAG_MS - 1, null), { kind: 'jump', to: now - LIVE_LAG_MS }, 'too far behind: back to the edge');
equal(followStep(now, now - 30_000, now - JUMP_COOLDOWN_MS + 1), { kind: 'stay' }, 'not again right after a jump');
equal(followStep(now, now - 30_000, now - JUMP_COOLDOWN_MS), { kind: 'jump', to: now - LIVE_LAG_MS }, 'but once it has had time');
check(endsFollowing('seek') && endsFollowing('pause') && endsFollowing('step') && endsFollowing('camera'), 'seeks, pauses and steps end following');
check(!endsFollowing('play'), 'playing does not');

// -- the ruler's marks of the present ------------------------------------------------------------------------------
const day = { start: at('2026-11-29T00:00:00Z'), end: at('2026-11-30T00:00:00Z') };
const rows = [
  rec('a', '2026-11-29T10:15:00Z', '2026-11-29T10:15:30Z', 'recording', 'CAM-1'),
  rec('b', '2026-11-29T10:00:00Z', '2026-11-29T10:15:00Z', 'complete', 'CAM-1'),
  rec('c', '2026-11-29T10:14:00Z', '2026-11-29T10:15:31Z', 'recording', 'CAM-2'),
  rec('d', '2026-11-28T23:50:00Z', '2026-11-29T00:05:00Z', 'recording', 'CAM-3'),
];
check(inProgress(rows[0]) && !inProgress(rows[1]), 'in progress: status recording');
equal(liveSpans(rows, 'cam-1', day), [{ id: 'a', start: at('2026-11-29T10:15:00Z'), end: at('2026-11-29T10:15:30Z') }], "a lane's segment being written, whatever the id's case");
equal(liveSpans(rows, 'CAM-3', day), [{ id: 'd', start: day.start, end: at('2026-11-29T00:05:00Z') }], 'clipped to the day');
equal(liveSpans(rows, 'CAM-9', day), [], 'other cameras: none');
equal(nowOnDay(day, now), now, 'today holds now');
equal(nowOnDay(day, day.end), null, 'another day does not');
equal(recentWindow(at('2026-11-29T10:15:34Z')), { start: '2026-11-29T10:13:34.000Z', end: '2026-11-29T10:16:34.000Z' }, 'recent rows: two minutes back, one ahead');

// -- the L key ----------------------------------------------------------------------------------------------------------
const log: string[] = [];
const noop = () => undefined;
const handlers = { togglePlay: noop, step: noop, frame: noop, zoom: noop, pictureZoom: noop, pictureReset: noop, live: () => log.push('live') };
keyAction('l', false, handlers)?.();
keyAction('L', true, handlers)?.();
equal(log, ['live', 'live'], 'L (either case) goes live');

done();
