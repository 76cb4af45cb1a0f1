import XCTest
@testable import RoninCore

/// Identities across frames: kept while objects move, new after a long absence, not swapped
/// when two objects cross.
final class ObjectTrackerTests: XCTestCase {
    func person(x: Float, y: Float = 100, confidence: Float = 0.8) -> Detection {
        Detection(classIndex: 0, className: "person", confidence: confidence, box: BoundingBox(x: x, y: y, width: 40, height: 80))
    }

    func testIdentityIsKeptWhileAnObjectMoves() {
        var tracker = ObjectTracker()
        var ids = Set<Int>()
        for frame in 0..<10 {
            let seen = tracker.update([person(x: Float(frame) * 10)], at: Double(frame) * 0.5)
            XCTAssertEqual(seen.count, 1)
            ids.insert(seen[0].id)
        }
        XCTAssertEqual(ids.count, 1)
        let track = tracker.active[0]
        XCTAssertEqual(track.hits, 10)
        XCTAssertEqual(track.firstSeen, 0)
        XCTAssertEqual(track.lastSeen, 4.5)
        XCTAssertEqual(track.box.x, 90)
    }

    func testClassesDoNotMatchEachOther() {
        var tracker = ObjectTracker()
        let first = tracker.update([person(x: 0)], at: 0)
        var car = person(x: 0)
        car.className = "car"
        car.classIndex = 2
        let second = tracker.update([car], at: 0.5)
        XCTAssertNotEqual(first[0].id, second[0].id)
        XCTAssertEqual(tracker.active.count, 2)
    }

    func testAnObjectAbsentLongerThanMaxAgeGetsANewIdentity() {
        var tracker = ObjectTracker(maxAge: 2)
        let id = tracker.update([person(x: 0)], at: 0)[0].id
        XCTAssertEqual(tracker.update([], at: 1), [])
        XCTAssertEqual(tracker.active.count, 1, "still remembered within maxAge")
        XCTAssertEqual(tracker.update([person(x: 0)], at: 1.5)[0].id, id, "short absence keeps the identity")
        _ = tracker.update([], at: 2)
        _ = tracker.update([], at: 3.6)
        XCTAssertEqual(tracker.active, [], "forgotten after maxAge")
        XCTAssertNotEqual(tracker.update([person(x: 0)], at: 4)[0].id, id)
    }

    func testAGapWithoutUpdatesDoesNotAgeTracksOut() {
        // The motion gate skips still scenes; the next forced frame still finds the parked object.
        var tracker = ObjectTracker(maxAge: 2)
        let id = tracker.update([person(x: 0)], at: 0)[0].id
        XCTAssertEqual(tracker.update([person(x: 1)], at: 10)[0].id, id)
    }

    func testAClockThatGoesBackwardsStartsOver() {
        var tracker = ObjectTracker()
        let id = tracker.update([person(x: 0)], at: 50)[0].id
        let after = tracker.update([person(x: 0)], at: 0)
        XCTAssertNotEqual(after[0].id, id)
        XCTAssertEqual(tracker.active.map(\.id), [after[0].id])
    }

    func testCrossingObjectsKeepTheirIdentities() {
        // Two people on the same line walk towards each other and pass; at the crossing their
        // boxes coincide, and only their motion tells them apart afterwards.
        var tracker = ObjectTracker()
        var leftward: Int?
        var rightward: Int?
        for frame in 0...20 {
            let step = Float(frame) * 20
            let seen = tracker.update([person(x: step, confidence: 0.9), person(x: 400 - step, confidence: 0.7)], at: Double(frame) * 0.5)
            XCTAssertEqual(seen.count, 2, "frame \(frame)")
            let right = seen.first { $0.box.x == step }!.id
            let left = seen.first { $0.box.x == 400 - step && ($0.id != right || step == 200) }!.id
            if frame == 10 { continue }  // both at x = 200: either label fits
            XCTAssertEqual(right, rightward ?? right, "frame \(frame)")
            XCTAssertEqual(left, leftward ?? left, "frame \(frame)")
            rightward = right
            leftward = left
        }
        XCTAssertEqual(tracker.active.count, 2)
    }
}
