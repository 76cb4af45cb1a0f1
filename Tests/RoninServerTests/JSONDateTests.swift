import Foundation
import XCTest
@testable import RoninServer

/// Instants in API answers: whole seconds as plain ISO 8601, sub-second ones with milliseconds.
final class JSONDateTests: XCTestCase {
    func testWholeSecondsHaveNoFraction() {
        XCTAssertEqual(JSONResponse<[Int]>.iso8601(Date(timeIntervalSince1970: 1_764_000_000)), "2025-11-24T16:00:00Z")
    }

    func testSubSecondInstantsKeepMilliseconds() {
        XCTAssertEqual(JSONResponse<[Int]>.iso8601(Date(timeIntervalSince1970: 1_764_000_000.25)), "2025-11-24T16:00:00.250Z")
        XCTAssertEqual(JSONResponse<[Int]>.iso8601(Date(timeIntervalSince1970: 1_764_000_059.9996)), "2025-11-24T16:01:00Z")
        XCTAssertEqual(JSONResponse<[Int]>.iso8601(Date(timeIntervalSince1970: 1_764_000_000.007)), "2025-11-24T16:00:00.007Z")
    }
}
