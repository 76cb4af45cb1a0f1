import Foundation
import Testing
@testable import RoninCore

/// Segment names: local-time folders and names that never collide, DST included.
@Suite(.timeLimit(.minutes(2))) struct SegmentLayoutTests {
    let newYork = SegmentLayout(storageRoot: "/s", timeZone: TimeZone(identifier: "America/New_York")!)

    func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func namesUseLocalDateAndTime() {
        let path = newYork.permanentPath(folder: "Yard", start: utc("2026-07-04T03:15:00Z")) { _ in false }
        #expect(path == "Yard/2026-07-03/23-15-00.mp4")
    }

    @Test func theRepeatedHourWhenClocksFallBackGetsDistinctNames() {
        // 2026-11-01: 01:30 EDT (05:30Z) and 01:30 EST (06:30Z) are both "01-30-00" locally.
        var taken = Set<String>()
        let first = newYork.permanentPath(folder: "Yard", start: utc("2026-11-01T05:30:00Z")) { taken.contains($0) }
        taken.insert(first)
        let second = newYork.permanentPath(folder: "Yard", start: utc("2026-11-01T06:30:00Z")) { taken.contains($0) }
        #expect(first == "Yard/2026-11-01/01-30-00.mp4")
        #expect(second == "Yard/2026-11-01/01-30-00-2.mp4")
    }

    @Test func theSkippedHourWhenClocksSpringForwardIsSimplyAbsent() {
        // 2026-03-08: 06:59:59Z is 01:59:59 EST; 07:00:00Z is 03:00:00 EDT.
        #expect(newYork.permanentPath(folder: "Y", start: utc("2026-03-08T06:59:59Z")) { _ in false } == "Y/2026-03-08/01-59-59.mp4")
        #expect(newYork.permanentPath(folder: "Y", start: utc("2026-03-08T07:00:00Z")) { _ in false } == "Y/2026-03-08/03-00-00.mp4")
    }

    @Test func stagingNamesCarryTheStartSecond() {
        #expect(SegmentLayout.stagingStart(fileName: "1795577450.mp4") == Date(timeIntervalSince1970: 1_795_577_450))
        #expect(SegmentLayout.stagingStart(fileName: "init.mp4") == nil)
        #expect(SegmentLayout.stagingStart(fileName: "123.mp4.tmp") == nil)
    }

    @Test func foldersAreKeyedByLowercasedCameraID() {
        let id = UUID(uuidString: "D366FC16-FCEC-45D2-9E73-F99BDDE831A8")!
        #expect(newYork.stagingDirectory(cameraID: id) == "/s/.recording/d366fc16-fcec-45d2-9e73-f99bdde831a8")
        #expect(newYork.liveDirectory(cameraID: id) == "/s/.streams/d366fc16-fcec-45d2-9e73-f99bdde831a8")
    }
}

/// Reconnect delays: exponential, capped, jittered, and reset.
@Suite(.timeLimit(.minutes(2))) struct ReconnectBackoffTests {
    @Test func doublesFromOneSecondToSixtyWithJitter() {
        var backoff = ReconnectBackoff(initial: 1, maximum: 60)
        var generator = SystemRandomNumberGenerator()
        let nominal = [1.0, 2, 4, 8, 16, 32, 60, 60]
        for expected in nominal {
            let delay = backoff.next(using: &generator)
            #expect(delay >= expected / 2 && delay <= expected)
        }
        backoff.reset()
        #expect(backoff.nominalDelay == 1)
    }
}
