import Foundation
import Testing
@testable import RoninCore

/// The picture of an instant near a file's end comes from a frame the file has.
@Suite(.timeLimit(.minutes(2))) struct FrameOffsetTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    var tenSeconds: TimeSpan { TimeSpan(start: start, end: start.addingTimeInterval(10)) }

    @Test func anInstantInsideAFileIsItsOffset() {
        #expect(FrameOffset.of(start, in: tenSeconds) == 0)
        #expect(FrameOffset.of(start.addingTimeInterval(4.25), in: tenSeconds) == 4.25)
        #expect(FrameOffset.of(start.addingTimeInterval(9.5), in: tenSeconds) == 9.5)
    }

    @Test func anInstantInTheLastHalfSecondIsTakenFromJustBefore() {
        // With 10 fps the last frame starts at 9.9 s: 9.95 s would decode nothing.
        #expect(FrameOffset.of(start.addingTimeInterval(9.95), in: tenSeconds) == 9.5)
        #expect(FrameOffset.of(start.addingTimeInterval(9.7), in: tenSeconds) == 9.5)
    }

    @Test func aFileShorterThanTheMarginIsReadFromItsStart() {
        let short = TimeSpan(start: start, end: start.addingTimeInterval(0.3))
        #expect(FrameOffset.of(start.addingTimeInterval(0.2), in: short) == 0)
        #expect(FrameOffset.of(start.addingTimeInterval(-1), in: tenSeconds) == 0)
    }
}
