import Foundation
import XCTest
@testable import RoninCore

final class TimelineConsolidatorTests: XCTestCase {
    let t0 = ISO8601DateFormatter().date(from: "2026-11-25T00:00:00Z")!

    func span(_ from: TimeInterval, _ to: TimeInterval) -> TimeSpan {
        TimeSpan(start: t0.addingTimeInterval(from), end: t0.addingTimeInterval(to))
    }

    var day: TimeSpan { span(0, 86_400) }

    func testAdjacentSegmentsWithSmallHolesMerge() {
        let segments = [span(100, 1000), span(1000.4, 1900), span(1901.5, 2800)]
        let timeline = TimelineConsolidator.consolidate(segments, within: day)
        XCTAssertEqual(timeline.ranges.map(\.span), [span(100, 2800)])
        XCTAssertEqual(timeline.ranges.map(\.recordings), [3])
        XCTAssertEqual(timeline.gaps, [span(0, 100), span(2800, 86_400)])
        XCTAssertEqual(timeline.recordedSeconds, 2700, accuracy: 0.001)
    }

    func testHolesLongerThanToleranceAreGaps() {
        let timeline = TimelineConsolidator.consolidate([span(0, 900), span(905, 1800)], within: day)
        XCTAssertEqual(timeline.ranges.map(\.span), [span(0, 900), span(905, 1800)])
        XCTAssertEqual(timeline.gaps.first, span(900, 905))
    }

    func testOverlappingAndUnsortedSegmentsMerge() {
        let timeline = TimelineConsolidator.consolidate([span(500, 1500), span(0, 900), span(1400, 1450)], within: day)
        XCTAssertEqual(timeline.ranges.map(\.span), [span(0, 1500)])
        XCTAssertEqual(timeline.ranges[0].recordings, 3)
    }

    func testSegmentsAreClippedToTheDay() {
        let timeline = TimelineConsolidator.consolidate([span(-600, 300), span(86_000, 86_900)], within: day)
        XCTAssertEqual(timeline.ranges.map(\.span), [span(0, 300), span(86_000, 86_400)])
        XCTAssertEqual(timeline.gaps, [span(300, 86_000)])
    }

    func testTheFutureIsNotAGap() {
        let timeline = TimelineConsolidator.consolidate([span(0, 3600)], within: day, coveredUntil: t0.addingTimeInterval(7200))
        XCTAssertEqual(timeline.gaps, [span(3600, 7200)])
        let empty = TimelineConsolidator.consolidate([], within: day, coveredUntil: t0.addingTimeInterval(-5))
        XCTAssertEqual(empty.gaps, [])
    }

    func testEmptyDayIsOneGap() {
        let timeline = TimelineConsolidator.consolidate([], within: day)
        XCTAssertEqual(timeline.ranges, [])
        XCTAssertEqual(timeline.gaps, [day])
        XCTAssertEqual(timeline.recordedSeconds, 0)
    }
}
