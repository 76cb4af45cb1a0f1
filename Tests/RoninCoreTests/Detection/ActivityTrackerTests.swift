import XCTest
@testable import RoninCore

/// Arrivals, departures and moving <-> stationary changes from synthetic scenes at 2 fps.
final class ActivityTrackerTests: XCTestCase {
    func testObjectsAlreadyStandingWhenWatchingBeganNeverArrive() {
        let car = Actor("car") { t in parked(at: 500 + Float(Int(t * 2) % 3)) }  // detector jitter
        let van = Actor("truck") { _ in BoundingBox(x: 100, y: 250, width: 180, height: 120) }
        XCTAssertEqual(play([car, van], duration: 60).map(summary), [])
        // Someone already walking when watching began does not arrive either, but does leave.
        let passerby = Actor("person", visible: { $0 <= 8 }, box: walking(from: 0))
        XCTAssertEqual(play([car, van, passerby], duration: 60).map(summary), ["departure person 0.0-8.0"])
    }

    func testAnObjectThereFromTheStartCanLeave() {
        // Parked from the start, pulls out at t = 30 at 40 px/s, out of view from t = 40.
        let car = Actor("car", visible: { $0 < 40 }) { t in parked(at: 200 + Float(max(0, t - 30) * 40)) }
        let events = play([car], duration: 60)
        XCTAssertEqual(events.map(\.kind), [.stateChange, .departure])
        XCTAssertEqual(events[0].from, .stationary)
        XCTAssertEqual(events[0].to, .moving)
        XCTAssertEqual(events[0].start, 0)
        XCTAssertEqual(events[0].end, 31)
        XCTAssertEqual(events[1].start, 0)
        XCTAssertEqual(events[1].end, 39.5)
        XCTAssertEqual(Set(events.map(\.trackID)).count, 1)
    }

    func testSomeoneWalkingThroughArrivesAndDeparts() {
        let person = Actor("person", visible: { $0 >= 10 && $0 <= 20 }, box: walking(from: 10))
        let parkedCar = Actor("car") { _ in parked(at: 600) }
        let events = play([person, parkedCar], duration: 40)
        XCTAssertEqual(events.map(summary), ["arrival person 10.0-10.5", "departure person 10.0-20.0"])
        XCTAssertEqual(events[0].trackID, events[1].trackID)
        XCTAssertEqual(events[1].duration, 10)
    }

    func testACarArrivesAndParks() {
        // Drives in at 40 px/s from t = 10, stops at t = 20 and stays.
        let car = Actor("car", visible: { $0 >= 10 }) { t in parked(at: Float((min(t, 20) - 10) * 40)) }
        let events = play([car], duration: 40)
        XCTAssertEqual(events.map(summary), ["arrival car 10.0-11.0", "state_change car moving->stationary 10.0-23.0"])
    }

    func testOnlyAStopThatHoldsIsAStateChange() {
        // Drives in at t = 10 at 40 px/s and stops at t = 20 for `pause` seconds, then drives on
        // and leaves the view 10 s later.
        func car(pause: Double) -> Actor {
            Actor("car", visible: { $0 >= 10 && $0 <= 30 + pause }) { t in
                let driving = min(t, 20) - 10 + max(0, t - 20 - pause)
                return parked(at: Float(driving * 40))
            }
        }
        XCTAssertEqual(play([car(pause: 4)], duration: 60).map(summary), ["arrival car 10.0-11.0", "departure car 10.0-34.0"])
        XCTAssertEqual(play([car(pause: 10)], duration: 60).map(summary), [
            "arrival car 10.0-11.0", "state_change car moving->stationary 10.0-23.0",
            "state_change car stationary->moving 23.0-31.0", "departure car 10.0-40.0",
        ])
    }

    func testSmallWobbleOfAParkedCarDoesNotFlipItsState() {
        // Still for 10 s, then its box wobbles by 10 px (0.14 box sizes each way): between the
        // stationary and moving thresholds, so the state holds.
        let car = Actor("car") { t in parked(at: 300 + (t > 10 ? Float(Int(t * 2) % 2) * 20 - 10 : 0)) }
        XCTAssertEqual(play([car], duration: 40).map(summary), [])
    }

    func testFlickerIsNotADepartureAndAnArrival() {
        // Missed for one frame at 15 and for three frames from 20 to 21.
        let gaps: (Double) -> Bool = { t in t >= 10 && t <= 30 && t != 15 && !(20...21).contains(t) }
        let person = Actor("person", visible: gaps, box: walking(from: 10))
        let expected = ["arrival person 10.0-10.5", "departure person 10.0-30.0"]
        XCTAssertEqual(play([person], duration: 40).map(summary), expected)
        // A forgetful tracker gives new ids after each gap; the activity still continues one object.
        let forgetful = ObjectTracker(maxAge: 0.4)
        XCTAssertEqual(play([person], duration: 40, tracker: forgetful).map(summary), expected)
    }

    func testOneMissedFrameAfterAQuietSpellIsNotADeparture() {
        // A still scene: the gate only forces a frame every 10 s, and the one at 20 misses the car.
        let car = Actor("car", visible: { $0 != 20 }) { _ in parked(at: 300) }
        var quick = ActivityConfig()
        quick.stationaryDepartureGrace = 5
        let times = Array(stride(from: 0.0, through: 5, by: 0.5)) + [10, 20, 30, 40]
        XCTAssertEqual(play([car], duration: 40, times: times, config: quick).map(summary), [])
    }

    func testASingleSpuriousFrameIsIgnored() {
        let ghost = Actor("dog", visible: { $0 == 15 }) { _ in BoundingBox(x: 10, y: 10, width: 30, height: 30) }
        let blink = Actor("person", visible: { $0 == 25 || $0 == 39.5 }) { _ in BoundingBox(x: 400, y: 10, width: 30, height: 60) }
        XCTAssertEqual(play([ghost, blink], duration: 40).map(summary), [])
        // Even when arrivals need no movement, one frame is not enough.
        var eager = ActivityConfig()
        eager.arrivalNeedsMovement = false
        XCTAssertEqual(play([ghost, blink], duration: 40, config: eager).map(summary), [])
        eager.confirmHits = 1
        XCTAssertEqual(play([ghost], duration: 40, config: eager).map(summary), ["arrival dog 15.0-15.0", "departure dog 15.0-15.0"])
    }

    func testAnObjectFoundStandingStillAfterWarmUpWasOnlyUncovered() {
        // The detector first sees a parked car at t = 20 (it was hidden or missed); it leaves at 40.
        let car = Actor("car", visible: { $0 >= 20 && $0 < 40 }) { _ in parked(at: 300) }
        XCTAssertEqual(play([car], duration: 60).map(summary), ["departure car 20.0-39.5"])
        var eager = ActivityConfig()
        eager.arrivalNeedsMovement = false
        XCTAssertEqual(play([car], duration: 60, config: eager).map(summary), ["arrival car 20.0-20.5", "departure car 20.0-39.5"])
    }

    func testDuplicateBoxesOfRelatedClassesAreOneObject() {
        // A van seen as a car and, every other frame, also as a truck; it leaves at t = 40.
        let asCar = Actor("car", visible: { $0 < 40 }) { _ in BoundingBox(x: 100, y: 250, width: 180, height: 120) }
        let asTruck = Actor("truck", confidence: { _ in 0.5 }, visible: { $0 < 40 && Int($0 * 2) % 2 == 0 }) { _ in
            BoundingBox(x: 104, y: 246, width: 176, height: 126)
        }
        let events = play([asCar, asTruck], duration: 60)
        XCTAssertEqual(events.map(summary), ["departure car 0.0-39.5"])
    }

    func testEventsCarryTheFirstBestAndLastBoxes() {
        let person = Actor("person", confidence: { $0 == 15 ? 0.99 : 0.7 }, visible: { $0 >= 10 && $0 <= 25 }, box: walking(from: 10))
        let events = play([person], duration: 40)
        XCTAssertEqual(events.map(\.kind), [.arrival, .departure])
        let boxes = events[1].boxes
        XCTAssertEqual(boxes.map(\.time), [10, 15, 24, 24.5, 25])
        XCTAssertEqual(boxes[1].confidence, 0.99)
        XCTAssertEqual(boxes[0].box, walking(from: 10)(10))
        XCTAssertEqual(events[0].boxes.map(\.time), [10, 10.5])
    }

    func testTheBestBoxOfAnObjectInViewIsKnownAsItImproves() {
        let person = Actor("person", confidence: { $0 == 15 ? 0.99 : ($0 == 12 ? 0.8 : 0.7) }, visible: { $0 >= 10 }, box: walking(from: 10))
        var tracker = ObjectTracker()
        var activity = ActivityTracker()
        var arrival: Int?
        var bestAt: [Double: Double] = [:]
        for step in 0...40 {
            let time = Double(step) / 2
            let events = activity.update(tracker.update([person].compactMap { $0.detect(time) }, at: time), at: time)
            if let arrived = events.first(where: { $0.kind == .arrival }) { arrival = arrived.trackID }
            if let arrival, let best = activity.bestBoxes[arrival] { bestAt[time] = best.time }
            if arrival == nil { XCTAssertTrue(activity.bestBoxes.isEmpty, "an object not yet counted has no snapshot to make") }
        }
        XCTAssertEqual(bestAt[11], 10)
        XCTAssertEqual(bestAt[12], 12)
        XCTAssertEqual(bestAt[14.5], 12)
        XCTAssertEqual(bestAt[15], 15)
        XCTAssertEqual(bestAt[20], 15)
    }

    func testARestartedSourceFinishesThePreviousWatch() {
        var tracker = ObjectTracker()
        var activity = ActivityTracker()
        var events: [ActivityEvent] = []
        let walker = walking(from: 10)
        for frame in 0...44 {  // someone walks in at 10 and is last seen at 20.5; the stream drops at 22
            let time = Double(frame) / 2
            let detections = time >= 10 && time <= 20.5 ? [Detection(classIndex: 0, className: "person", confidence: 0.8, box: walker(time))] : []
            events += activity.update(tracker.update(detections, at: time), at: time)
        }
        XCTAssertEqual(events.map(summary), ["arrival person 10.0-10.5"])
        // The camera comes back with its clock at 0: the walker left while it was down.
        let restarted = activity.update(tracker.update([], at: 0), at: 0)
        XCTAssertEqual(restarted.map(summary), ["departure person 10.0-20.5"])
    }

    func testFinishDepartsOnlyObjectsNoLongerInView() {
        let leaving = Actor("person", visible: { $0 >= 10 && $0 <= 20 }, box: walking(from: 10))
        let staying = Actor("person", visible: { $0 >= 12 }) { t in BoundingBox(x: 600, y: Float((t - 12) * 60), width: 40, height: 80) }
        // The file ends at 21, before the departure grace runs out.
        XCTAssertEqual(play([leaving, staying], duration: 21).map(summary), [
            "arrival person 10.0-10.5", "arrival person 12.0-12.5", "departure person 10.0-20.0",
        ])
    }
}
