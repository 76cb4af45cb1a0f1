import Foundation
import XCTest
@testable import RoninCore

final class LocalCalendarTests: XCTestCase {
    let newYork = TimeZone(identifier: "America/New_York")!
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    func iso(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    func testOrdinaryDayIs24HoursFromLocalMidnight() throws {
        let day = try LocalCalendar.day("2026-11-25", in: berlin)
        XCTAssertEqual(day.start, iso("2026-11-24T23:00:00Z"))
        XCTAssertEqual(day.end, iso("2026-11-25T23:00:00Z"))
        XCTAssertEqual(day.hours, 24)
    }

    func testSpringForwardDayHas23Hours() throws {
        let day = try LocalCalendar.day("2026-03-08", in: newYork)
        XCTAssertEqual(day.start, iso("2026-03-08T05:00:00Z"))
        XCTAssertEqual(day.end, iso("2026-03-09T04:00:00Z"))
        XCTAssertEqual(day.hours, 23)
        XCTAssertEqual(day.lengthSeconds, 23 * 3600)
    }

    func testFallBackDayHas25Hours() throws {
        let day = try LocalCalendar.day("2026-11-01", in: newYork)
        XCTAssertEqual(day.start, iso("2026-11-01T04:00:00Z"))
        XCTAssertEqual(day.end, iso("2026-11-02T05:00:00Z"))
        XCTAssertEqual(day.hours, 25)
    }

    func testDayWhoseMidnightDoesNotExistStartsAtFirstInstant() throws {
        // Santiago springs forward at local midnight: 2026-09-06 starts at 01:00 local (-03).
        let santiago = TimeZone(identifier: "America/Santiago")!
        let day = try LocalCalendar.day("2026-09-06", in: santiago)
        XCTAssertEqual(day.start, iso("2026-09-06T04:00:00Z"))
        XCTAssertEqual(day.hours, 23)
    }

    func testMonthListsEveryDayWithContiguousBounds() throws {
        let days = try LocalCalendar.month("2026-03", in: newYork)
        XCTAssertEqual(days.count, 31)
        XCTAssertEqual(days.first?.date, "2026-03-01")
        XCTAssertEqual(days.last?.date, "2026-03-31")
        for (a, b) in zip(days, days.dropFirst()) { XCTAssertEqual(a.end, b.start) }
        XCTAssertEqual(days.filter { $0.hours == 23 }.map(\.date), ["2026-03-08"])
        XCTAssertEqual(try LocalCalendar.month("2028-02", in: berlin).count, 29)
    }

    func testMalformedInputIsRejected() {
        for bad in ["2026-02-30", "2026-13-01", "26-11-01", "2026-11-1", "2026-11-01T00", "", "abcd-ef-gh"] {
            XCTAssertThrowsError(try LocalCalendar.day(bad, in: berlin), bad)
        }
        for bad in ["2026-13", "2026-1", "2026", "x"] {
            XCTAssertThrowsError(try LocalCalendar.month(bad, in: berlin), bad)
        }
        for bad in ["Mars/Olympus", "../../etc/passwd", "Europe/Berlin\n", String(repeating: "A", count: 100)] {
            XCTAssertThrowsError(try LocalCalendar.timeZone(named: bad), bad)
        }
        XCTAssertEqual(try LocalCalendar.timeZone(named: nil).secondsFromGMT(), 0)
    }
}
