import Foundation
import Testing
@testable import RoninCore

/// The job queue's decisions: backoff, parking, which states allow what, backlog order, cursors.
@Suite(.timeLimit(.minutes(2))) struct JobPolicyTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func failuresBackOffExponentiallyThenPark() {
        let policy = JobRetryPolicy()
        #expect(policy.delay(afterAttempt: 1) == 10)
        #expect(policy.delay(afterAttempt: 2) == 40)
        #expect(policy.delay(afterAttempt: 3) == 160)
        #expect(policy.delay(afterAttempt: 20) == 3600)
        let first = policy.afterFailure(attempt: 1, maxAttempts: 3, permanent: false, now: now)
        #expect(first.state == .failed && first.runAt == now.addingTimeInterval(10))
        #expect(policy.afterFailure(attempt: 3, maxAttempts: 3, permanent: false, now: now) == (.parked, nil))
        #expect(policy.afterFailure(attempt: 1, maxAttempts: 3, permanent: true, now: now) == (.parked, nil))
        #expect(JobRetryPolicy.mayReclaim(attempt: 2, maxAttempts: 3))
        #expect(!JobRetryPolicy.mayReclaim(attempt: 3, maxAttempts: 3))
    }

    @Test func whatEachStateAllows() {
        #expect(JobState.allCases.filter(\.canCancel) == [.queued, .running, .failed])
        #expect(JobState.allCases.filter(\.canRetry) == [.failed, .parked, .cancelled])
        #expect(JobState.allCases.filter(\.isWaiting) == [.queued, .failed])
        #expect(JobState.allCases.filter(\.isFinal) == [.parked, .succeeded, .cancelled])
    }

    @Test func theBacklogDrainsNewestFirst() {
        let starts = [3.0, 1.0, 2.0].map { Date(timeIntervalSince1970: $0 * 900) }
        let ordered = BacklogOrder.runTimes(starts, start: { $0 }, now: now)
        #expect(ordered.map(\.0) == [starts[0], starts[2], starts[1]])
        #expect(ordered.map(\.1) == [now, now.addingTimeInterval(0.001), now.addingTimeInterval(0.002)])
    }

    @Test func cursorsRoundTripExactlyAndRefuseForgeries() throws {
        let cursor = PageCursor(instant: Date(timeIntervalSince1970: 1_800_000_000.123456789), id: UUID())
        let back = try #require(PageCursor(encoded: cursor.encoded))
        #expect(back == cursor, "the instant keeps every bit, so the next page starts exactly after the last row")
        for bad in ["", "v1.", "v2." + cursor.encoded.dropFirst(3), "v1.!!!", "v1." + Base64URL.encode(Array("x:y".utf8)),
                    "v1." + Base64URL.encode(Array("7ff8000000000000:\(UUID().uuidString)".utf8)), String(repeating: "v1.a", count: 100)] {
            #expect(PageCursor(encoded: String(bad)) == nil, "\(bad.prefix(40))")
        }
    }
}
