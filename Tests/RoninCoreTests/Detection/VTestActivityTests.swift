import XCTest
@testable import RoninCore

/// Tracking and activity on real detections from vtest.avi: people walk past a parked van and a
/// car that are in view from the first frame.
final class VTestActivityTests: XCTestCase {
    func replay(config: ActivityConfig = ActivityConfig()) -> (events: [ActivityEvent], firstSeen: [Int: Double]) {
        var tracker = ObjectTracker()
        var activity = ActivityTracker(config: config)
        var events: [ActivityEvent] = []
        var firstSeen: [Int: Double] = [:]
        let frames = VTestFootage.frames
        for frame in frames {
            let tracks = tracker.update(frame.detections, at: frame.time)
            for track in tracks where firstSeen[track.id] == nil { firstSeen[track.id] = track.firstSeen }
            events += activity.update(tracks, at: frame.time)
        }
        return (events + activity.finish(at: frames.last!.time), firstSeen)
    }

    func testTheParkedVehiclesNeverArriveNorLeave() {
        let (events, _) = replay()
        XCTAssertEqual(events.filter { ["car", "truck", "bus"].contains($0.className) }.map(\.kind), [])
        XCTAssertEqual(events.filter { $0.className != "person" }.map(\.kind), [], "nor does the bag on the floor")
    }

    func testPeopleWalkingThroughArriveAndDepart() {
        let (events, firstSeen) = replay()
        let arrivals = events.filter { $0.kind == .arrival }
        let departures = events.filter { $0.kind == .departure }
        // About twenty people cross the hall in 80 s; each arrives once and departs once.
        XCTAssertGreaterThanOrEqual(arrivals.count, 12)
        XCTAssertLessThanOrEqual(arrivals.count, 25)
        XCTAssertGreaterThanOrEqual(departures.count, 12)
        XCTAssertLessThanOrEqual(departures.count, 25)
        XCTAssertEqual(Set(arrivals.map(\.trackID)).count, arrivals.count)
        XCTAssertEqual(Set(departures.map(\.trackID)).count, departures.count)
        for arrival in arrivals {
            XCTAssertGreaterThan(arrival.start, ActivityConfig().warmUp, "people in view at the start do not arrive")
        }
        for departure in departures {
            // Everyone who departs arrived first, or was there from the start.
            let arrived = arrivals.contains { $0.trackID == departure.trackID && $0.end <= departure.end }
            let wasThere = (firstSeen[departure.trackID] ?? .infinity) <= ActivityConfig().warmUp
            XCTAssertTrue(arrived || wasThere, "track \(departure.trackID)")
        }
    }

    func testEventsCarryBoundedSnapshotsInsideTheirSpan() {
        let (events, _) = replay()
        XCTAssertFalse(events.isEmpty)
        for event in events {
            XCTAssertFalse(event.boxes.isEmpty)
            XCTAssertLessThanOrEqual(event.boxes.count, ActivityConfig().recentBoxes + 2)
            XCTAssertEqual(event.boxes.map(\.time), event.boxes.map(\.time).sorted())
            XCTAssertGreaterThanOrEqual(event.boxes.first!.time, event.start)
            // A state change is reported once the new state has held, with boxes up to then.
            let reported = event.kind == .stateChange ? event.end + ActivityConfig().stateHold + 0.5 : event.end
            XCTAssertLessThanOrEqual(event.boxes.last!.time, reported)
            XCTAssertGreaterThanOrEqual(event.duration, 0)
        }
    }

    func testWithoutDebouncingTheSameFootageWouldBeNoisy() {
        // The defaults matter: with no grace, no confirmation and no warm-up, flicker of the same
        // footage produces far more arrivals and the parked vehicles "arrive".
        var jumpy = ActivityConfig(warmUp: -1, confirmHits: 1, departureGrace: 0, departureMisses: 1, stationaryDepartureGrace: 0)
        jumpy.arrivalNeedsMovement = false
        let (events, _) = replay(config: jumpy)
        let (calm, _) = replay()
        XCTAssertGreaterThan(events.filter { $0.kind == .arrival }.count, 2 * calm.filter { $0.kind == .arrival }.count)
        XCTAssertTrue(events.contains { $0.kind == .arrival && $0.className == "car" })
    }
}
