/**
 * Unit checks of the Playback picture zoom's pure modules, run under node by
 * tests/frontend/test_zoom_units.py (esbuild bundles this file, node runs it): the zoom's limits
 * on letterboxed and pillarboxed pictures, zooming about the pointer and about the centre,
 * panning within the picture's edges, the same view after a resize or a segment of another frame
 * size, the wheel's steps, and detection boxes moved with the zoom and clipped to what shows of
 * the picture. Prints "ok <n> checks" or exits 1 at the first failed check.
 */
import { clipRect, pictureRect, placeBox, transformRect, visiblePicture, type Rect, type Size } from '../src/pages/playback/overlayGeometry';
import {
  clampZoom,
  MAX_SCALE,
  NO_ZOOM,
  panZoom,
  pictureAt,
  transformStyle,
  wheelFactor,
  zoomAbout,
  zoomCentred,
  zoomTransform,
  type PictureZoom,
} from '../src/pages/playback/pictureZoom';
import { check, done, equal } from './check';

const near = (a: number, b: number, eps = 1e-6) => Math.abs(a - b) < eps;
const sameRect = (a: Rect | null, b: Rect) => a !== null && near(a.x, b.x) && near(a.y, b.y) && near(a.width, b.width) && near(a.height, b.height);
const sameZoom = (a: PictureZoom, b: PictureZoom) => near(a.scale, b.scale) && near(a.cx, b.cx) && near(a.cy, b.cy);

// A 16:9 recording on a 4:3 stage: bars above and below.
const stage: Size = { width: 800, height: 600 };
const picture = pictureRect(stage, { width: 640, height: 360 }) as Rect;
check(sameRect(picture, { x: 0, y: 75, width: 800, height: 450 }), 'the letterboxed picture the checks start from');
/** Where the zoomed picture lies on the stage. */
const shownPicture = (zoom: PictureZoom, s: Size = stage, p: Rect = picture) => transformRect(p, zoomTransform(zoom, s, p));
/** The zoomed picture covers the stage on both axes. */
const covers = (r: Rect, s: Size = stage) => r.x <= 1e-9 && r.y <= 1e-9 && r.x + r.width >= s.width - 1e-9 && r.y + r.height >= s.height - 1e-9;

// -- no zoom ---------------------------------------------------------------------------------------
equal(zoomTransform(NO_ZOOM, stage, picture), { scale: 1, x: 0, y: 0 }, 'no zoom: no transform');
equal(transformStyle(zoomTransform(NO_ZOOM, stage, picture)), undefined, 'no zoom: the video carries no transform at all');
const pillar = pictureRect({ width: 1000, height: 400 }, { width: 768, height: 576 }) as Rect;
equal(zoomTransform(NO_ZOOM, { width: 1000, height: 400 }, pillar), { scale: 1, x: 0, y: 0 }, 'no zoom on a pillarboxed picture either');

// -- limits ------------------------------------------------------------------------------------------
equal(clampZoom({ scale: 0.5, cx: 0.1, cy: 0.9 }, stage, picture), NO_ZOOM, 'never smaller than the whole picture');
equal(clampZoom({ scale: 1, cx: 0.1, cy: 0.9 }, stage, picture), NO_ZOOM, 'at 1× the picture is centred');
equal(clampZoom({ scale: 40, cx: 0.5, cy: 0.5 }, stage, picture).scale, MAX_SCALE, `at most ${MAX_SCALE}×`);
equal(clampZoom({ scale: NaN, cx: 0.5, cy: 0.5 }, stage, picture), NO_ZOOM, 'a scale that is not a number is no zoom');
// At 1.2× the picture is 960×540: wider than the stage (pans across), lower than it (stays centred).
const low = clampZoom({ scale: 1.2, cx: 0, cy: 0 }, stage, picture);
check(near(low.cx, 400 / 960) && low.cy === 0.5, `a picture lower than the stage stays centred vertically (${JSON.stringify(low)})`);
check(near(shownPicture(low).y, 30) && near(shownPicture(low).x, 0), 'and its left edge stops at the stage edge');

// -- buttons and keys: about the centre --------------------------------------------------------------
const two = zoomCentred(NO_ZOOM, 2, stage, picture);
check(sameZoom(two, { scale: 2, cx: 0.5, cy: 0.5 }), 'zoom in from whole: 2× about the middle');
equal(zoomTransform(two, stage, picture), { scale: 2, x: -400, y: -300 }, 'the picture centre stays at the stage centre');
check(covers(shownPicture(two)), '2×: the picture covers the stage');
check(sameZoom(zoomCentred(two, 1 / 2, stage, picture), NO_ZOOM), 'zoom back out: whole again');
check(sameZoom(zoomCentred(NO_ZOOM, 1 / 1.5, stage, picture), NO_ZOOM), 'zoom out at whole: nothing changes');
check(zoomCentred(zoomCentred(two, 8, stage, picture), 2, stage, picture).scale === MAX_SCALE, 'zoom in stops at the limit');

// -- the wheel: about the pointer ---------------------------------------------------------------------
const pointer = { x: 250, y: 330 };
const under = pictureAt(two, pointer, stage, picture);
const wheeled = zoomAbout(two, 1.5, pointer, stage, picture);
check(near(wheeled.scale, 3), 'the wheel multiplies the scale');
const after = pictureAt(wheeled, pointer, stage, picture);
check(near(after.x, under.x) && near(after.y, under.y), `the picture point under the pointer stays under it (${JSON.stringify([under, after])})`);
const back = zoomAbout(wheeled, 1 / 1.5, pointer, stage, picture);
check(sameZoom(back, two), 'wheeling back out about the same point returns the same view');
// In a corner the view stops at the picture's edges rather than show the bars.
const corner = zoomAbout(NO_ZOOM, 2, { x: 0, y: 0 }, stage, picture);
check(near(corner.cx, 0.25) && near(corner.cy, 1 / 3), `zooming at the top-left corner shows the picture's top-left quarter (${JSON.stringify(corner)})`);
check(near(shownPicture(corner).x, 0) && near(shownPicture(corner).y, 0) && covers(shownPicture(corner)), 'its edges at the stage edges');
check(sameZoom(zoomAbout(two, 1, pointer, stage, picture), two), 'a factor of 1 changes nothing');

// -- dragging: the picture moves with the pointer, within its edges ----------------------------------
const dragged = panZoom(two, 100, -40, stage, picture);
const moved = zoomTransform(dragged, stage, picture);
check(near(moved.x, -300) && near(moved.y, -340), `a drag moves the picture by as much (${JSON.stringify(moved)})`);
const far = panZoom(two, 5000, 5000, stage, picture);
check(near(shownPicture(far).x, 0) && near(shownPicture(far).y, 0) && covers(shownPicture(far)), 'a long drag stops at the picture edge');
const farOther = panZoom(two, -5000, -5000, stage, picture);
const r = shownPicture(farOther);
check(near(r.x + r.width, 800) && near(r.y + r.height, 600), 'and at the other edge the other way');
check(sameZoom(panZoom(NO_ZOOM, 100, 100, stage, picture), NO_ZOOM), 'no panning a whole picture');
check(near(shownPicture(panZoom(low, 0, 200, stage, picture)).y, 30), 'no vertical panning of a picture lower than the stage');

// -- the same view on another stage and another frame size --------------------------------------------
const view = panZoom(zoomCentred(NO_ZOOM, 3, stage, picture), 300, 150, stage, picture);
const centreOf = (s: Size, p: Rect) => pictureAt(view, { x: s.width / 2, y: s.height / 2 }, s, p);
const phone: Size = { width: 370, height: 260 };
const onPhone = centreOf(phone, pictureRect(phone, { width: 640, height: 360 }) as Rect);
check(near(onPhone.x, view.cx) && near(onPhone.y, view.cy), 'a smaller stage shows the same picture point in its middle');
const sd = pictureRect(stage, { width: 768, height: 576 }) as Rect;
const onSd = centreOf(stage, sd);
check(near(onSd.x, view.cx) && near(onSd.y, view.cy), 'a segment of another frame size keeps the point too');
check(covers(shownPicture(view, stage, sd)), 'and still covers the stage');

// -- the wheel's steps --------------------------------------------------------------------------------
check(wheelFactor(-100, 0) > 1.15 && wheelFactor(-100, 0) < 1.25, 'one notch up zooms in about 1.2×');
check(near(wheelFactor(-100, 0) * wheelFactor(100, 0), 1), 'a notch down undoes a notch up');
check(near(wheelFactor(-3, 1), wheelFactor(-99, 0)), 'Firefox counts lines: three lines are a notch');
check(wheelFactor(-100000, 0) < 2.1, 'a flung wheel (or a page) zooms a bounded step');
equal(wheelFactor(0, 0), 1, 'a sideways scroll does not zoom');
equal(transformStyle({ scale: 2, x: -400, y: -300.5 }), 'translate(-400px, -300.5px) scale(2)', 'the CSS transform, full precision');

// -- clipping -------------------------------------------------------------------------------------------
const bounds = { x: 0, y: 0, width: 100, height: 50 };
check(sameRect(clipRect({ x: 10, y: 10, width: 20, height: 20 }, bounds), { x: 10, y: 10, width: 20, height: 20 }), 'inside: unchanged');
check(sameRect(clipRect({ x: -10, y: 40, width: 30, height: 30 }, bounds), { x: 0, y: 40, width: 20, height: 10 }), 'across two edges: cut at both');
equal(clipRect({ x: 100, y: 10, width: 20, height: 20 }, bounds), null, 'touching from outside: nothing shows');
equal(clipRect({ x: 10, y: -30, width: 20, height: 20 }, bounds), null, 'wholly outside: nothing shows');
check(sameRect(visiblePicture(stage, picture, zoomTransform(NO_ZOOM, stage, picture)), picture), 'unzoomed, the whole picture shows');
check(sameRect(visiblePicture(stage, picture, zoomTransform(two, stage, picture)), { x: 0, y: 0, width: 800, height: 600 }), 'zoomed in, the whole stage is picture');
check(sameRect(visiblePicture(stage, picture, zoomTransform(low, stage, picture)), { x: 0, y: 30, width: 800, height: 540 }), 'at 1.2×, bars above and below still');

// -- boxes follow the zoomed picture ----------------------------------------------------------------------
const box = { x: 0.25, y: 0.5, width: 0.1, height: 0.2 };
const flat = placeBox(box, picture, zoomTransform(NO_ZOOM, stage, picture), stage);
check(flat !== null && sameRect(flat.rect, { x: 200, y: 300, width: 80, height: 90 }), 'unzoomed: the box on the letterboxed picture');
equal(flat?.clipped, { left: false, top: false, right: false, bottom: false }, 'unzoomed: nothing cut');
const edge = placeBox({ x: 0.9, y: 0.9, width: 0.3, height: 0.3 }, picture, zoomTransform(NO_ZOOM, stage, picture), stage);
equal(edge?.clipped, { left: false, top: false, right: false, bottom: false }, "the frame's own edge is not a cut");
const zoomedBox = placeBox(box, picture, zoomTransform(two, stage, picture), stage);
check(zoomedBox !== null && sameRect(zoomedBox.rect, { x: 0, y: 300, width: 160, height: 180 }), `2× about the middle: twice the size, twice as far from the centre (${JSON.stringify(zoomedBox)})`);
// The box's corners lie on the picture points it names, wherever the view is.
for (const z of [two, wheeled, dragged, corner, view, low]) {
  const placed = placeBox(box, picture, zoomTransform(z, stage, picture), stage);
  const whole = transformRect({ x: picture.x + box.x * picture.width, y: picture.y + box.y * picture.height, width: box.width * picture.width, height: box.height * picture.height }, zoomTransform(z, stage, picture));
  const inView = clipRect(whole, { x: 0, y: 0, width: 800, height: 600 });
  check(inView === null ? placed === null : placed !== null && sameRect(placed.rect, inView), `a box is its picture rectangle moved with the zoom and clipped (${JSON.stringify(z)})`);
  if (placed && !placed.clipped.left && !placed.clipped.top) {
    const at = pictureAt(z, { x: placed.rect.x, y: placed.rect.y }, stage, picture);
    check(near(at.x, box.x) && near(at.y, box.y), 'its top-left corner is on the box\'s picture point');
  }
}
const cut = placeBox({ x: 0.2, y: 0.45, width: 0.1, height: 0.2 }, picture, zoomTransform(two, stage, picture), stage);
check(cut !== null && sameRect(cut.rect, { x: 0, y: 255, width: 80, height: 180 }), `half off the left edge: the visible half (${JSON.stringify(cut)})`);
equal(cut?.clipped, { left: true, top: false, right: false, bottom: false }, 'its left side is the cut');
equal(placeBox({ x: 0.05, y: 0.5, width: 0.1, height: 0.2 }, picture, zoomTransform(two, stage, picture), stage), null, 'a box off screen is not drawn');
equal(placeBox({ x: 0.4, y: 0.01, width: 0.1, height: 0.1 }, picture, zoomTransform(two, stage, picture), stage), null, 'nor one above the view');

done();
