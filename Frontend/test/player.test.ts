/**
 * Unit checks of the player's pure modules (playlist parser, MP4 codec strings, zoom geometry,
 * stored Live View settings, formatting), run under node by tests/frontend/test_player_units.py:
 *
 *     esbuild Frontend/test/player.test.ts --bundle --platform=node --outfile=/tmp/t.js
 *     node /tmp/t.js [fixture-dir ...]
 *
 * Each fixture dir holds an ffmpeg-written live HLS (stream.m3u8 + init.mp4); for each the script
 * prints one JSON line {"dir", "codecs", "playlist"} so the Python side can compare the codec
 * strings with what ffprobe reads. Exits 1 on the first failed check.
 */
import { clampView, zoomAt, viewTransform, IDENTITY } from '../src/pages/live/zoom';
import { pageCount, parseSettings, DEFAULT_SETTINGS } from '../src/pages/live/liveSettings';
import { avcCodec, describeInitSegment, findBoxes, mimeTypeFor, Mp4Error, readBoxes } from '../src/player/mp4';
import { isStale, liveStartSequence, parseAttributes, parseMediaPlaylist, playlistAgeSeconds, PlaylistError, resolveUri, segmentsFrom } from '../src/player/playlist';
import { backoffMs } from '../src/player/livePlayer';
import { chooseStream, livePlaylistUrl } from '../src/api/live';
import { formatBytes, formatDuration } from '../src/util/format';
import { check, done, equal, throws } from './check';

declare const require: (name: string) => any;
declare const process: { argv: string[]; exit(code: number): never };

const fs = require('fs');
const path = require('path');

// -- playlist ----------------------------------------------------------------------------------
const LIVE = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:41
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="init.mp4"
#EXTINF:2.000000,
stream41.m4s
#EXTINF:2.000000,
stream42.m4s
#EXTINF:1.960000,
stream43.m4s
#EXT-X-DISCONTINUITY
#EXTINF:2.040000,
stream44.m4s
`;
const live = parseMediaPlaylist(LIVE);
equal(live.targetDuration, 2, 'target duration');
equal(live.mediaSequence, 41, 'media sequence');
equal(live.mapUri, 'init.mp4', 'map uri');
equal(live.version, 7, 'version');
equal(live.ended, false, 'live playlist is not ended');
equal(live.segments.map((s) => s.sequence), [41, 42, 43, 44], 'sequence numbers follow EXT-X-MEDIA-SEQUENCE');
equal(live.segments.map((s) => s.uri), ['stream41.m4s', 'stream42.m4s', 'stream43.m4s', 'stream44.m4s'], 'segment uris');
equal(live.segments[2].duration, 1.96, 'EXTINF duration');
equal(live.segments.map((s) => s.discontinuity), [false, false, false, true], 'discontinuity marks only the next segment');
equal(liveStartSequence(live), 42, 'start three segments from the end');
equal(liveStartSequence(live, 2), 43, 'start two segments from the end');
equal(liveStartSequence({ ...live, segments: [] }), null, 'no start in an empty playlist');
equal(segmentsFrom(live, 43).map((s) => s.uri), ['stream43.m4s', 'stream44.m4s'], 'segments from a sequence');
equal(parseMediaPlaylist(LIVE.replace(/\n/g, '\r\n') + '#EXT-X-ENDLIST\r\n').ended, true, 'CRLF and ENDLIST');
equal(parseMediaPlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:2\n').segments, [], 'a playlist with no segments yet');
equal(parseMediaPlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\na.ts\n').mapUri, null, 'TS playlist has no map');
equal(parseAttributes('URI="init.mp4",BYTERANGE="720@0"'), { URI: 'init.mp4', BYTERANGE: '720@0' }, 'attribute list');
equal(parseAttributes('CODECS="avc1.4d401e,mp4a.40.2",BANDWIDTH=1000'), { CODECS: 'avc1.4d401e,mp4a.40.2', BANDWIDTH: '1000' }, 'quoted comma');
throws(() => parseMediaPlaylist('<html>not found</html>'), PlaylistError, 'no #EXTM3U');
throws(() => parseMediaPlaylist('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nsub.m3u8\n'), PlaylistError, 'master playlist');
throws(() => parseMediaPlaylist('#EXTM3U\n#EXTINF:2,\na.m4s\n'), PlaylistError, 'missing target duration');
throws(() => parseMediaPlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:2\na.m4s\n'), PlaylistError, 'segment without EXTINF');
throws(() => parseMediaPlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:x\n'), PlaylistError, 'bad number');
equal(resolveUri('init.mp4', '/api/cameras/abc/live/stream.m3u8'), '/api/cameras/abc/live/init.mp4', 'relative uri');
equal(resolveUri('stream3.m4s', '/api/cameras/abc/live/sub/stream.m3u8'), '/api/cameras/abc/live/sub/stream3.m4s', 'sub-stream uri');
equal(resolveUri('/other/x.m4s', '/api/cameras/abc/live/stream.m3u8'), '/other/x.m4s', 'absolute path');

equal(playlistAgeSeconds('Wed, 25 Nov 2026 04:06:37 GMT', 'Wed, 25 Nov 2026 04:06:30 GMT'), 7, 'age from Date and Last-Modified');
equal(playlistAgeSeconds('Wed, 25 Nov 2026 04:06:37 GMT', null), null, 'no Last-Modified, no age');
equal(playlistAgeSeconds('garbage', 'Wed, 25 Nov 2026 04:06:30 GMT'), null, 'unreadable Date');
equal(playlistAgeSeconds('Wed, 25 Nov 2026 04:06:30 GMT', 'Wed, 25 Nov 2026 04:06:37 GMT'), 0, 'never negative');
equal([isStale(live, 7), isStale(live, 7.5), isStale(live, null), isStale({ ...live, ended: true }, 60)], [false, true, false, false], 'stale after three target durations');

// -- mp4 boxes ---------------------------------------------------------------------------------
function box(type: string, ...parts: Uint8Array[]): Uint8Array {
  const size = 8 + parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, size);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  let at = 8;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
const bytes = (...values: number[]) => new Uint8Array(values);
const zeros = (n: number) => new Uint8Array(n);
function trak(entry: Uint8Array): Uint8Array {
  const stsd = box('stsd', bytes(0, 0, 0, 0, 0, 0, 0, 1), entry);
  return box('trak', box('mdia', box('minf', box('stbl', stsd))));
}
const avc1 = box('avc1', zeros(78), box('avcC', bytes(1, 0x64, 0x00, 0x1f, 0xff)));
const esds = box('esds', bytes(0, 0, 0, 0), bytes(0x03, 0x19, 0x00, 0x01, 0x00), bytes(0x04, 0x11, 0x40, 0x15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), bytes(0x05, 0x02, 0x15, 0x88), bytes(0x06, 0x01, 0x02));
const mp4a = box('mp4a', zeros(28), esds);
const init = box('moov', box('mvhd', zeros(100)), trak(avc1), trak(mp4a));
const file = new Uint8Array([...box('ftyp', bytes(0x69, 0x73, 0x6f, 0x6d)), ...init]);
equal(readBoxes(file).map((b) => b.type), ['ftyp', 'moov'], 'top-level boxes');
equal(findBoxes(file, ['moov', 'trak']).length, 2, 'two tracks');
const info = describeInitSegment(file);
equal(info.codecs, ['avc1.64001f', 'mp4a.40.2'], 'codecs from avcC and esds');
equal(mimeTypeFor(info), 'video/mp4; codecs="avc1.64001f,mp4a.40.2"', 'mime type');
equal(describeInitSegment(box('moov', trak(avc1))).codecs, ['avc1.64001f'], 'video only');
equal(mimeTypeFor(describeInitSegment(box('moov', trak(mp4a)))), 'audio/mp4; codecs="mp4a.40.2"', 'audio only');
// HE-AAC (audio object type 5) in the DecoderSpecificInfo
const esdsHe = box('esds', bytes(0, 0, 0, 0), bytes(0x03, 0x19, 0x00, 0x01, 0x00), bytes(0x04, 0x11, 0x40, 0x15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), bytes(0x05, 0x02, 0x2b, 0x88));
equal(describeInitSegment(box('moov', trak(box('mp4a', zeros(28), esdsHe)))).codecs, ['mp4a.40.5'], 'HE-AAC object type');
// HEVC Main, level 3.1: hvc1.1.6.L93.B0
const hvcC = box('hvcC', bytes(1, 0x01, 0x60, 0, 0, 0, 0xb0, 0, 0, 0, 0, 0, 93), zeros(10));
equal(describeInitSegment(box('moov', trak(box('hvc1', zeros(78), hvcC)))).codecs, ['hvc1.1.6.L93.B0'], 'HEVC codec string');
equal(avcCodec(bytes(0, 0, 0, 12, 0x61, 0x76, 0x63, 0x43, 1, 0x4d, 0x40, 0x1e), { type: 'avcC', start: 0, contentStart: 8, end: 12 }), 'avc1.4d401e', 'avcC main 3.0');
throws(() => readBoxes(bytes(0, 0, 0, 99, 0x6d, 0x6f, 0x6f, 0x76)), Mp4Error, 'box larger than the buffer');
throws(() => describeInitSegment(box('moov')), Mp4Error, 'no tracks');
throws(() => describeInitSegment(box('moov', trak(box('avc1', zeros(78))))), Mp4Error, 'avc1 without avcC');
throws(() => describeInitSegment(box('moov', trak(box('mp4v', zeros(78))))), Mp4Error, 'unsupported entry');

// -- zoom geometry -----------------------------------------------------------------------------
equal(clampView({ scale: 0.5, x: 10, y: 10 }, 100, 50), IDENTITY, 'never below 1x');
equal(clampView({ scale: 2, x: 50, y: -500 }, 100, 50), { scale: 2, x: 0, y: -50 }, 'pan stays inside the picture');
const zoomed = zoomAt(IDENTITY, 2, 50, 25, 100, 50);
equal(zoomed, { scale: 2, x: -50, y: -25 }, 'zoom about the centre');
equal(zoomAt(zoomed, 0.5, 10, 10, 100, 50), IDENTITY, 'zooming back out returns to identity');
equal(zoomAt(IDENTITY, 100, 0, 0, 100, 50).scale, 8, 'at most 8x');
equal(viewTransform(IDENTITY), undefined, 'no transform at 1x');
equal(viewTransform(zoomed), 'translate(-50.0px, -25.0px) scale(2.000)', 'css transform');

// -- live settings, paging, streams ------------------------------------------------------------
equal(parseSettings(null), DEFAULT_SETTINGS, 'defaults');
equal(parseSettings('not json'), DEFAULT_SETTINGS, 'bad json');
equal(parseSettings('{"layout":3,"page":2,"hidden":["a",1],"audio":["b"],"sidebarOpen":false}'), { layout: 3, page: 2, hidden: ['a'], audio: ['b'], sidebarOpen: false }, 'stored settings');
equal(parseSettings('{"layout":5,"page":-1}').layout, DEFAULT_SETTINGS.layout, 'unknown layout');
equal(parseSettings('{"layout":5,"page":-1}').page, 0, 'negative page');
equal([pageCount(0, 2), pageCount(4, 2), pageCount(5, 2), pageCount(2, 1), pageCount(17, 4)], [1, 1, 2, 2, 2], 'page counts');
equal(chooseStream({ has_substream: true }, false, false), 'sub', 'grid plays the sub-stream');
equal(chooseStream({ has_substream: true }, true, false), 'main', 'enlarged plays the main stream');
equal(chooseStream({ has_substream: true }, false, true), 'main', 'sound needs the main stream');
equal(chooseStream({ has_substream: false }, false, false), 'main', 'no sub-stream');
equal(livePlaylistUrl('c1', 'sub'), '/api/cameras/c1/live/sub/stream.m3u8', 'sub playlist url');
equal(livePlaylistUrl('c1', 'main'), '/api/cameras/c1/live/stream.m3u8', 'main playlist url');
equal([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, () => 0.5)), [1000, 2000, 4000, 8000, 10000, 10000], 'backoff doubles to 10 s');
equal([formatBytes(999), formatBytes(1536000), formatBytes(2.5e9), formatBytes(null)], ['999 B', '1.54 MB', '2.50 GB', '—'], 'sizes');
equal([formatDuration(42), formatDuration(3725), formatDuration(200000)], ['42s', '1h 2m', '2d 7h'], 'durations');

// -- real ffmpeg output ------------------------------------------------------------------------
for (const dir of process.argv.slice(2)) {
  const playlist = parseMediaPlaylist(fs.readFileSync(path.join(dir, 'stream.m3u8'), 'utf8'));
  check(playlist.mapUri, `${dir}: playlist has an EXT-X-MAP`);
  const initBytes = new Uint8Array(fs.readFileSync(path.join(dir, playlist.mapUri as string)));
  const described = describeInitSegment(initBytes);
  console.log(JSON.stringify({ dir, codecs: described.codecs, mime: mimeTypeFor(described), playlist }));
}
done();
