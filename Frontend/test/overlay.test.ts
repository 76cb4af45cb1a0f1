/**
 * Unit checks of the detection overlay's pure modules, run under node by
 * tests/frontend/test_overlay_units.py (esbuild bundles this file, node runs it): the letterboxed
 * picture inside a video element, boxes mapped into it (clipped, zoomed), the nearest analysed
 * frame per class within the tolerance, and the chunked detection cache (one request per chunk,
 * pages followed, prefetch, seeks, failures, older servers, recent footage, eviction). Prints
 * "ok <n> checks" or exits 1 at the first failed check.
 */
import type { Detection, DetectionPage } from '../src/api/detections';
import { chunkStarts, DetectionCache, isoInstant } from '../src/pages/playback/detectionCache';
import { frameTolerance, inWindow, nearestFrames, toTimed } from '../src/pages/playback/detectionFrames';
import { boxOnPicture, pictureRect, rectAttribute, transformRect, type Rect } from '../src/pages/playback/overlayGeometry';
import { check, done, equal } from './check';

const near = (a: number, b: number) => Math.abs(a - b) < 1e-6;
const sameRect = (a: Rect | null, b: Rect) => a !== null && near(a.x, b.x) && near(a.y, b.y) && near(a.width, b.width) && near(a.height, b.height);

// -- the picture inside the element (object-fit: contain) ----------------------------------------
// 4:3 footage in a wide element: bars left and right.
check(sameRect(pictureRect({ width: 1000, height: 500 }, { width: 768, height: 576 }), { x: 500 - 1000 / 3, y: 0, width: 2000 / 3, height: 500 }), 'pillarbox: full height, centred');
// 16:9 footage in a phone-narrow element: bars above and below.
check(sameRect(pictureRect({ width: 360, height: 300 }, { width: 1920, height: 1080 }), { x: 0, y: 48.75, width: 360, height: 202.5 }), 'letterbox: full width, centred');
check(sameRect(pictureRect({ width: 768, height: 576 }, { width: 768, height: 576 }), { x: 0, y: 0, width: 768, height: 576 }), 'same shape: the whole element');
check(sameRect(pictureRect({ width: 384, height: 288 }, { width: 768, height: 576 }), { x: 0, y: 0, width: 384, height: 288 }), 'smaller element scales down');
equal(pictureRect({ width: 800, height: 600 }, { width: 0, height: 0 }), null, 'no picture before the video knows its size');
equal(pictureRect({ width: 0, height: 600 }, { width: 768, height: 576 }), null, 'no picture in an unmeasured element');
equal(pictureRect({ width: 800, height: 600 }, { width: NaN, height: 576 }), null, 'no picture from a size that is not a number');

// -- boxes on the picture ------------------------------------------------------------------------
const picture = { x: 100, y: 20, width: 400, height: 300 };
check(sameRect(boxOnPicture({ x: 0.25, y: 0.5, width: 0.5, height: 0.25 }, picture), { x: 200, y: 170, width: 200, height: 75 }), 'a box maps into the picture, not the element');
check(sameRect(boxOnPicture({ x: 0, y: 0, width: 1, height: 1 }, picture), picture), 'the whole frame is the picture');
check(sameRect(boxOnPicture({ x: -0.1, y: 0.9, width: 0.3, height: 0.3 }, picture), { x: 100, y: 290, width: 80, height: 30 }), 'a box past the edges is clipped to the frame');
check(sameRect(boxOnPicture({ x: 1.2, y: 0.5, width: 0.1, height: 0.1 }, picture), { x: 500, y: 170, width: 0, height: 30 }), 'a box wholly outside has no width');
check(sameRect(transformRect({ x: 10, y: 20, width: 30, height: 40 }, { scale: 2, x: -15, y: -5 }), { x: 5, y: 35, width: 60, height: 80 }), 'a zoomed picture scales and moves its boxes');
check(sameRect(transformRect({ x: 10, y: 20, width: 30, height: 40 }, { scale: 1, x: 0, y: 0 }), { x: 10, y: 20, width: 30, height: 40 }), 'no zoom, no change');
equal(rectAttribute({ x: 166.6666, y: 0, width: 66.666, height: 12.04 }), '166.7,0,66.7,12', 'rectangles written to one decimal');

// -- the nearest analysed frame per class ----------------------------------------------------------
equal(frameTolerance(2), 250, 'half a frame at 2 fps');
equal(frameTolerance(5), 100, 'half a frame at 5 fps');
equal(frameTolerance(null), 250, 'the default rate when the server does not say');
equal(frameTolerance(0), 250, 'a rate of zero is not believed');

const T0 = Date.parse('2026-11-25T10:00:00Z');
let serial = 0;
function detection(offsetMs: number, cls: string, x = 0.1, camera = 'cam'): Detection {
  serial += 1;
  return {
    id: `d${serial}`,
    camera_id: camera,
    recording_id: null,
    time: new Date(T0 + offsetMs).toISOString(),
    class: cls,
    confidence: 0.8,
    box: { x, y: 0.2, width: 0.1, height: 0.2 },
    track_id: null,
    source: 'historical',
  };
}
const ids = (list: { detection: Detection }[]) => list.map((d) => d.detection.id);

const frames = toTimed([
  detection(1000, 'person', 0.3), // d1
  detection(0, 'person', 0.1), // d2
  detection(0, 'person', 0.5), // d3: a second person in the same frame
  detection(500, 'person', 0.2), // d4
  detection(500, 'car'), // d5
  detection(1500, 'car'), // d6
  { ...detection(0, 'dog'), time: 'not a time' }, // d7: unreadable, dropped
]);
equal(ids(frames), ['d2', 'd3', 'd4', 'd5', 'd1', 'd6'], 'detections sorted by instant, unreadable ones dropped');
equal(ids(nearestFrames(frames, T0 + 100, 250)), ['d2', 'd3'], 'both people of the nearest frame');
equal(ids(nearestFrames(frames, T0 + 400, 250)), ['d4', 'd5'], 'each class its own nearest frame');
equal(ids(nearestFrames(frames, T0 + 1300, 250)), ['d6'], 'a class without a frame near is not drawn');
equal(ids(nearestFrames(frames, T0 + 250, 250)), ['d2', 'd3', 'd5'], 'halfway: the earlier frame of a class wins a tie');
equal(ids(nearestFrames(frames, T0 + 1250, 250)), ['d1', 'd6'], 'the window includes its edges');
equal(ids(nearestFrames(frames, T0 + 2000, 250)), [], 'past every frame: nothing');
equal(ids(nearestFrames(frames, T0 - 251, 250)), [], 'just outside the window: nothing');
equal(ids(inWindow(frames, T0 + 500, T0 + 1000)), ['d4', 'd5', 'd1'], 'a window by instant');

// -- chunks -------------------------------------------------------------------------------------------
const CHUNK = 120_000;
equal(chunkStarts(T0 + 10_000, T0 + 40_000, CHUNK), [T0], 'one chunk covers a short window');
equal(chunkStarts(T0 - 250, T0 + 250, CHUNK), [T0 - CHUNK, T0], 'a window across a boundary needs both chunks');
equal(chunkStarts(T0 + 100_000, T0 + 130_000, CHUNK), [T0, T0 + CHUNK], 'near the end: this chunk and the next');
equal(isoInstant(T0), '2026-11-25T10:00:00Z', 'whole seconds without a fraction');
equal(isoInstant(T0 + 250), '2026-11-25T10:00:00.250Z', 'fractions kept where there are some');

// -- the cache ---------------------------------------------------------------------------------------
interface Call {
  camera: string;
  start: string;
  end: string;
  cursor: string | null;
  resolve: (page: DetectionPage | null) => void;
  reject: (err: unknown) => void;
  signal: AbortSignal;
}

/** A loader whose answers the checks give by hand. */
function fakeServer() {
  const calls: Call[] = [];
  const loader = (camera: string, start: string, end: string, cursor: string | null, signal: AbortSignal) =>
    new Promise<DetectionPage | null>((resolve, reject) => calls.push({ camera, start, end, cursor, resolve, reject, signal }));
  return { calls, loader };
}
const page = (detections: Detection[], next: string | null = null): DetectionPage => ({ detections, total: detections.length, next_cursor: next });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function cacheChecks(): Promise<void> {
  let now = T0 + 24 * 3600_000; // a day after the footage: not recent
  let changes = 0;
  const server = fakeServer();
  const cache = new DetectionCache(server.loader, () => (changes += 1), { chunkMs: CHUNK, prefetchMs: 30_000, maxChunks: 4, retryMs: 10_000, now: () => now });
  const tol = 250;

  cache.want('cam', T0 + 10_000, tol);
  equal(server.calls.length, 1, 'the first look asks for the chunk');
  equal([server.calls[0].start, server.calls[0].end], ['2026-11-25T10:00:00Z', '2026-11-25T10:02:00Z'], 'a whole chunk, aligned');
  equal(cache.coverage('cam', T0 + 10_000, tol), 'loading', 'loading until it answers');
  for (let t = 10_000; t < 20_000; t += 40) cache.want('cam', T0 + t, tol); // frames of playing video
  equal(server.calls.length, 1, 'playing within the chunk asks nothing more');

  server.calls[0].resolve(page([detection(10_000, 'person'), detection(10_500, 'person')], 'page-2'));
  await settle();
  equal(server.calls.length, 2, 'a further page is followed');
  equal(server.calls[1].cursor, 'page-2', 'with the cursor the server gave');
  equal(cache.coverage('cam', T0 + 10_000, tol), 'loading', 'still loading while pages remain');
  server.calls[1].resolve(page([detection(11_000, 'car')]));
  await settle();
  check(changes >= 1, 'readers hear of the answer');
  equal(cache.coverage('cam', T0 + 10_000, tol), 'ready', 'ready once every page is in');
  equal(cache.framesNear('cam', T0 + 10_400, tol).map((d) => d.detection.class), ['person'], 'frames from the loaded chunk');
  equal(cache.framesNear('cam', T0 + 10_900, tol).map((d) => d.detection.class), ['car'], 'and from its second page');
  cache.want('cam', T0 + 10_000, tol);
  equal(server.calls.length, 2, 'an old loaded chunk is not asked again');

  cache.want('cam', T0 + 100_000, tol);
  equal(server.calls.length, 3, 'near the chunk end the next is fetched ahead');
  equal(server.calls[2].start, '2026-11-25T10:02:00Z', 'the next chunk');
  server.calls[2].resolve(page([detection(CHUNK + 100, 'dog')]));
  await settle();
  equal(cache.framesNear('cam', T0 + CHUNK - 100, tol).map((d) => d.detection.class), ['dog'], 'a frame just across the chunk boundary is found');

  cache.want('cam', T0 + 3610_000, tol);
  equal(server.calls.length, 4, 'a seek elsewhere asks for that place');
  equal(server.calls[3].start, '2026-11-25T11:00:00Z', 'the chunk of the seek');
  server.calls[3].reject(new Error('network down'));
  await settle();
  equal(cache.coverage('cam', T0 + 3610_000, tol), 'failed', 'a failed chunk says so');
  now += 5_000;
  cache.want('cam', T0 + 3610_000, tol);
  equal(server.calls.length, 4, 'not retried at once');
  now += 5_000;
  cache.want('cam', T0 + 3610_000, tol);
  equal(server.calls.length, 5, 'retried after a while');
  server.calls[4].resolve(page([]));
  await settle();
  equal(cache.coverage('cam', T0 + 3610_000, tol), 'ready', 'an empty chunk is ready');

  // Eviction: four chunks at most; the least recently used goes first.
  cache.want('cam', T0 + 7200_000, tol);
  cache.want('cam', T0 + 9000_000, tol);
  server.calls.slice(5).forEach((c) => c.resolve(page([])));
  await settle();
  const asked = server.calls.length;
  cache.want('cam', T0 + 10_000, tol);
  equal(server.calls.length, asked + 1, 'the least recently used chunk was dropped and is asked again');

  // Another camera has its own chunks; an older server (404) is asked once per camera.
  cache.want('other', T0 + 10_000, tol);
  const other = server.calls[server.calls.length - 1];
  equal(other.camera, 'other', 'chunks are per camera');
  other.resolve(null);
  await settle();
  equal(cache.coverage('other', T0 + 10_000, tol), 'unsupported', 'a server without detections says so');
  const before = server.calls.length;
  cache.want('other', T0 + 500_000, tol);
  equal(server.calls.length, before, 'and is not asked again');

  // Recent footage (detection runs after a segment is written) is asked again now and then.
  const recent = fakeServer();
  let clock = T0 + 60_000;
  const fresh = new DetectionCache(recent.loader, () => undefined, { chunkMs: CHUNK, now: () => clock });
  fresh.want('cam', T0 + 10_000, tol);
  recent.calls[0].resolve(page([]));
  await settle();
  clock += 10_000;
  fresh.want('cam', T0 + 10_000, tol);
  equal(recent.calls.length, 1, 'recent footage is not asked again at once');
  clock += 30_000;
  fresh.want('cam', T0 + 10_000, tol);
  equal(recent.calls.length, 2, 'recent footage is asked again after a while');
  equal(fresh.coverage('cam', T0 + 10_000, tol), 'ready', 'what it had stays shown meanwhile');
  recent.calls[1].resolve(page([detection(10_000, 'person')]));
  await settle();
  equal(fresh.framesNear('cam', T0 + 10_000, tol).length, 1, 'and the new answer replaces it');

  // Destroying stops what is in flight.
  fresh.want('cam', T0 + 900_000, tol);
  const pending = recent.calls[recent.calls.length - 1];
  fresh.destroy();
  check(pending.signal.aborted, 'destroy aborts requests in flight');
  fresh.want('cam', T0 + 1800_000, tol);
  equal(recent.calls[recent.calls.length - 1], pending, 'a destroyed cache asks nothing');
}

cacheChecks().then(done, (err) => check(false, `cache checks threw: ${String(err)}`));
