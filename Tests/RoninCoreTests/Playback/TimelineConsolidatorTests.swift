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

    // -- tiers ------------------------------------------------------------------------------------

    func tiered(_ from: TimeInterval, _ to: TimeInterval, _ tier: StorageTier) -> TieredSpan {
        TieredSpan(span(from, to), tier: tier)
    }

    func runs(_ range: FootageRange) -> [String] {
        range.tiers.map { "\($0.tier.rawValue) \(Int($0.span.start.timeIntervalSince(t0)))-\(Int($0.span.end.timeIntervalSince(t0)))" }
    }

    func testARangeSplitsIntoRunsWhereTheTierChanges() {
        let segments = [tiered(0, 900, .warm), tiered(900.4, 1800, .warm), tiered(1800.5, 2700, .hot), tiered(2700.3, 3600, .hot)]
        let timeline = TimelineConsolidator.consolidate(tiered: segments, within: day)
        XCTAssertEqual(timeline.ranges.count, 1, "a tier change does not split the range")
        XCTAssertEqual(timeline.ranges[0].span, span(0, 3600))
        XCTAssertEqual(timeline.ranges[0].recordings, 4)
        XCTAssertEqual(runs(timeline.ranges[0]), ["warm 0-1800", "hot 1800-3600"], "the hole before the hot segment stays warm")
        XCTAssertEqual(timeline.tierSeconds[.warm] ?? 0, 1800.5, accuracy: 0.001)
        XCTAssertEqual(timeline.tierSeconds[.hot] ?? 0, 1799.5, accuracy: 0.001)
        XCTAssertNil(timeline.tierSeconds[.cold])
    }

    func testRunsFollowTiersBackAndForthAndCoverTheRangeExactly() {
        let segments = [tiered(600, 1200, .hot), tiered(0, 600, .cold), tiered(1200, 1800, .warm), tiered(1800, 2400, .warm), tiered(2401, 3000, .hot)]
        let timeline = TimelineConsolidator.consolidate(tiered: segments.reversed(), within: day)
        let range = timeline.ranges[0]
        XCTAssertEqual(runs(range), ["cold 0-600", "hot 600-1200", "warm 1200-2401", "hot 2401-3000"])
        XCTAssertEqual(range.tiers.first?.span.start, range.span.start)
        XCTAssertEqual(range.tiers.last?.span.end, range.span.end)
        for (a, b) in zip(range.tiers, range.tiers.dropFirst()) {
            XCTAssertEqual(a.span.end, b.span.start, "runs follow one another without holes")
            XCTAssertNotEqual(a.tier, b.tier, "neighbouring runs differ in tier")
        }
        XCTAssertEqual(timeline.tierSeconds.values.reduce(0, +), timeline.recordedSeconds, accuracy: 0.001)
    }

    func testSeparateRangesKeepTheirOwnTiers() {
        let timeline = TimelineConsolidator.consolidate(tiered: [tiered(0, 900, .cold), tiered(1000, 1900, .hot)], within: day)
        XCTAssertEqual(timeline.ranges.map(runs), [["cold 0-900"], ["hot 1000-1900"]])
    }

    func testOverlapsKeepTheEarlierRunAndSliversAreNotRuns() {
        // A warm segment that runs past the hot one starts its run where the hot one ends.
        let overlap = TimelineConsolidator.consolidate(tiered: [tiered(0, 900, .hot), tiered(800, 1700, .warm)], within: day)
        XCTAssertEqual(runs(overlap.ranges[0]), ["hot 0-900", "warm 900-1700"])
        // A cold segment wholly inside a hot one adds no run; the hot run goes on after it.
        let inside = TimelineConsolidator.consolidate(tiered: [tiered(0, 900, .hot), tiered(100, 200, .cold), tiered(900, 1800, .hot)], within: day)
        XCTAssertEqual(runs(inside.ranges[0]), ["hot 0-1800"])
        XCTAssertEqual(inside.ranges[0].recordings, 3)
    }

    func testRunsAreClippedToTheDayAndPlainSpansAreHot() {
        let clipped = TimelineConsolidator.consolidate(tiered: [tiered(-600, 300, .warm), tiered(300, 900, .hot)], within: day)
        XCTAssertEqual(runs(clipped.ranges[0]), ["warm 0-300", "hot 300-900"])
        let plain = TimelineConsolidator.consolidate([span(0, 900)], within: day)
        XCTAssertEqual(runs(plain.ranges[0]), ["hot 0-900"])
    }
}
