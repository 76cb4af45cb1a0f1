import Foundation
import RoninCore
import Testing

@Suite(.timeLimit(.minutes(2))) struct EventMediaCompletenessTests {
    let policy = EventMediaCompleteness(tolerance: 1, patience: 120)
    let end = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func nothingMadeWhileTheEventGoesOnIsFinal() {
        #expect(!policy.isFinal(eventOver: false, wanted: end, reached: end.addingTimeInterval(10), now: end.addingTimeInterval(500)))
    }

    @Test func footageThatReachesTheWantedEndIsFinal() {
        #expect(policy.isFinal(eventOver: true, wanted: end, reached: end, now: end))
        #expect(policy.isFinal(eventOver: true, wanted: end, reached: end.addingTimeInterval(-0.8), now: end), "within the last fragment")
    }

    @Test func footageStillBeingRecordedIsNotKept() {
        // The departure was written a second ago; five seconds of post-roll are still to come.
        #expect(!policy.isFinal(eventOver: true, wanted: end, reached: end.addingTimeInterval(-4), now: end.addingTimeInterval(-3)))
        #expect(!policy.isFinal(eventOver: true, wanted: end, reached: nil, now: end.addingTimeInterval(119)))
    }

    @Test func footageThatNeverComesIsWaitedForOnlySoLong() {
        #expect(policy.isFinal(eventOver: true, wanted: end, reached: end.addingTimeInterval(-4), now: end.addingTimeInterval(120)))
        #expect(policy.isFinal(eventOver: true, wanted: end, reached: nil, now: end.addingTimeInterval(300)))
    }
}
