/**
 * Unit checks of the live view's pure modules, run under node by tests/frontend/test_live_units.py:
 * staying at the live edge (liveEdge.ts), the WebSocket's messages (liveMessages.ts), which player
 * runs and which it falls back to (livePlayer.ts), and the socket's address (api/live.ts).
 * Prints "ok <n> checks"; exits 1 on the first failed check.
 */
import { liveSocketUrl } from '../src/api/live';
import {
  BACK_BUFFER_S,
  liveEdgeAction,
  latency,
  nativeEdgeJump,
  RATE_FAST,
  RATE_FASTER,
  trimEnd,
  type Range,
} from '../src/player/liveEdge';
import { LiveMessageError, parseLiveMessage } from '../src/player/liveMessages';
import { hlsPlayer, parsePlayerSetting, pickPlayer } from '../src/player/livePlayer';
import { liveStartSequence, parseMediaPlaylist } from '../src/player/playlist';
import { check, done, equal, throws } from './check';

// -- staying at the live edge ------------------------------------------------------------------
const one: Range[] = [[100, 110]];
equal(liveEdgeAction([], 0, 1), { kind: 'none' }, 'nothing buffered: nothing to do');
equal(liveEdgeAction(one, 109.8, 1), { kind: 'none' }, 'at the edge, at normal speed: nothing to do');
equal(liveEdgeAction(one, 106.9, 1), { kind: 'jump', to: 109.8 }, 'more than 3 s behind: jump to 0.2 s before the end');
equal(liveEdgeAction(one, 107.1, 1), { kind: 'rate', rate: RATE_FASTER }, '2.9 s behind: fastest catch-up');
equal(liveEdgeAction(one, 109.2, 1), { kind: 'rate', rate: RATE_FAST }, '0.8 s behind: a little faster');
equal(liveEdgeAction(one, 109.2, RATE_FASTER), { kind: 'rate', rate: RATE_FAST }, 'closer: slows from the fastest rate');
equal(liveEdgeAction(one, 109.55, 1), { kind: 'none' }, 'within half a second: stays at normal speed');
equal(liveEdgeAction(one, 109.6, RATE_FAST), { kind: 'none' }, 'between caught up and behind: the rate stays (no flapping)');
equal(liveEdgeAction(one, 109.8, RATE_FAST), { kind: 'rate', rate: 1 }, 'caught up: back to normal speed');
equal(liveEdgeAction(one, 0, 1), { kind: 'jump', to: 109.8 }, 'a new MediaSource at 0 with media at 100 s: into the media');
equal(liveEdgeAction([[100, 100.1]], 0, 1), { kind: 'jump', to: 100 }, 'a jump never lands before the last range');
// a skip: the old range ends, the fragments after it begin at a later keyframe
const skipped: Range[] = [[100, 105], [106.5, 107.5]];
equal(liveEdgeAction(skipped, 104.9, 1), { kind: 'jump', to: 106.55 }, 'at the end of a range with media after a hole: step over it');
equal(liveEdgeAction(skipped, 105.3, 1), { kind: 'jump', to: 106.55 }, 'stuck in the hole: step over it');
equal(liveEdgeAction(skipped, 104, 1), { kind: 'jump', to: 107.3 }, 'far behind with a hole: the jump to the edge wins');
equal(liveEdgeAction([[100, 105], [105.5, 105.55]], 104.8, 1), { kind: 'jump', to: 105.55 }, 'a landing point inside a short range');
equal(latency(one, 109), 1, 'latency is the distance to the buffered end');
equal(latency([], 5), 0, 'no latency without media');
equal(latency(one, 111), 0, 'never negative');

equal(trimEnd(one, 109), null, 'nothing 30 s behind: nothing removed');
equal(trimEnd([[0, 200]], 38), null, 'less than a 10 s chunk behind the back buffer: not yet');
equal(trimEnd([[0, 200]], 40 + BACK_BUFFER_S), 40, 'a chunk behind the back buffer: removed up to 30 s behind');
equal(trimEnd([[50, 200]], 95, 2, 0.5), 93, 'a full buffer keeps only 2 s behind the playhead');
equal(trimEnd([], 100), null, 'no media: nothing removed');

// native HLS where it can seek live (Safari): jumps to a second before the seekable end
equal(nativeEdgeJump([[0, 20]], 0, false), 19, 'native HLS starts a second before the seekable end, not segments back');
equal(nativeEdgeJump([[0, 20]], 18.6, false), null, 'already near the seekable end: left alone');
equal(nativeEdgeJump([[0, 20]], 16, true), null, 'playing 4 s behind (a segment just listed): left alone');
equal(nativeEdgeJump([[0, 22]], 16, true), 21, 'playing 6 s behind: back to the edge');
equal(nativeEdgeJump([[10, 10.5]], 0, false), 10, 'never before the seekable start');
equal(nativeEdgeJump([], 0, false), null, 'nothing seekable (Chromium live): nothing to do');
equal(nativeEdgeJump([[0, Infinity]], 0, false), null, 'an unbounded seekable range is not an edge');

// HLS fallback: our MSE player starts at the playlist's last segment
const playlist = parseMediaPlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:7\n#EXTINF:2,\na.m4s\n#EXTINF:2,\nb.m4s\n#EXTINF:2,\nc.m4s\n');
equal(liveStartSequence(playlist, 1), 9, 'the live edge is the last segment');

// -- messages --------------------------------------------------------------------------------
equal(
  parseLiveMessage('{"codecs":"avc1.64001F,mp4a.40.2","height":576,"mime":"video/mp4; codecs=\\"avc1.64001F,mp4a.40.2\\"","type":"start","width":768}'),
  { type: 'start', mime: 'video/mp4; codecs="avc1.64001F,mp4a.40.2"', codecs: 'avc1.64001F,mp4a.40.2', width: 768, height: 576 },
  'a start message, as the server sends it',
);
equal(
  parseLiveMessage('{"type":"start","mime":"video/mp4; codecs=\\"avc1.42E01E\\""}'),
  { type: 'start', mime: 'video/mp4; codecs="avc1.42E01E"', codecs: '', width: null, height: null },
  'a start without codecs or size (the server leaves out what it does not know)',
);
equal(parseLiveMessage('{"type":"skipped"}'), { type: 'skipped' }, 'skipped');
equal(parseLiveMessage('{"type":"waiting"}'), { type: 'waiting' }, 'waiting');
equal(parseLiveMessage('{"type":"stats","viewers":3}'), null, 'an unknown type is ignored');
equal(parseLiveMessage('{"type":"start","mime":"video/mp4","width":-1,"height":"x"}').type, 'start', 'bad sizes are left out');
throws(() => parseLiveMessage('{"type":"start"}'), LiveMessageError, 'a start without mime');
throws(() => parseLiveMessage('not json'), LiveMessageError, 'not JSON');
throws(() => parseLiveMessage('[1]'), LiveMessageError, 'an array');
throws(() => parseLiveMessage('{"kind":"start"}'), LiveMessageError, 'no type');

// -- which player ------------------------------------------------------------------------------
const chromium = { mediaSource: true, nativeHls: true, classicMediaSource: true };
const firefox = { mediaSource: true, nativeHls: false, classicMediaSource: true };
const oldIos = { mediaSource: false, nativeHls: true };
const ios17 = { mediaSource: true, nativeHls: true, classicMediaSource: false };
equal(pickPlayer(null, chromium), { kind: 'ws', fallback: 'hls-mse' }, 'MSE and native HLS: the WebSocket, our HLS (which starts at the live edge) behind it');
equal(pickPlayer(null, ios17), { kind: 'ws', fallback: 'hls-native' }, 'only ManagedMediaSource: the WebSocket, native HLS behind it');
equal(pickPlayer(null, firefox), { kind: 'ws', fallback: 'hls-mse' }, 'MSE only: the WebSocket, our HLS player behind it');
equal(pickPlayer(null, oldIos), { kind: 'hls-native', fallback: null }, 'no MSE at all: native HLS');
equal(pickPlayer(null, chromium, true), { kind: 'hls-mse', fallback: null }, 'the server refused the WebSocket a moment ago: HLS straight away');
equal(pickPlayer('ws', chromium, true), { kind: 'ws', fallback: null }, 'a forced ws is tried, and has no fallback');
equal(pickPlayer('ws', oldIos), { kind: 'hls-native', fallback: null }, 'a forced ws without MSE: HLS');
equal(pickPlayer('hls-mse', chromium), { kind: 'hls-mse', fallback: null }, 'forced MSE HLS');
equal(pickPlayer('hls-native', firefox), { kind: 'hls-mse', fallback: null }, 'forced native HLS where there is none: ours');
equal(pickPlayer('hls', chromium), { kind: 'hls-mse', fallback: null }, 'forced HLS: ours where the classic MediaSource exists');
equal(pickPlayer('hls', ios17), { kind: 'hls-native', fallback: null }, 'forced HLS without the classic MediaSource: native');
equal(pickPlayer('hls', firefox), { kind: 'hls-mse', fallback: null }, 'forced HLS: ours elsewhere');
equal(hlsPlayer(oldIos, 'hls-mse'), 'hls-native', 'forced MSE HLS without MSE: native');
equal(
  ['ws', 'hls', 'native', 'hls-native', 'mse', 'hls-mse', 'auto', null, 'nonsense'].map(parsePlayerSetting),
  ['ws', 'hls', 'hls-native', 'hls-native', 'hls-mse', 'hls-mse', null, null, null],
  '?player= values',
);

// -- the socket's address -------------------------------------------------------------------------
equal(liveSocketUrl({ protocol: 'http:', host: '127.0.0.1:8080' }, 'c1', 'main'), 'ws://127.0.0.1:8080/api/cameras/c1/live/ws?stream=main', 'ws on http');
equal(liveSocketUrl({ protocol: 'https:', host: 'nvr.example' }, 'c 1', 'sub'), 'wss://nvr.example/api/cameras/c%201/live/ws?stream=sub', 'wss on https');
check(liveSocketUrl({ protocol: 'https:', host: 'h' }, 'x', 'main').startsWith('wss://'), 'secure pages use wss');

done();
