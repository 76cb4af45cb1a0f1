import Foundation
import Testing
@testable import RoninServer

/// Sliding-window lockout per username and per client address.
@Suite struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func locksAUsernameAfterTheLimitAndReleasesAfterTheWindow() async {
        let throttle = LoginThrottle(maxFailuresPerUser: 3, maxFailuresPerClient: 100, window: 60)
        for second in 0..<3 {
            #expect(await throttle.retryAfter(username: "Admin", client: "a", now: start.addingTimeInterval(Double(second))) == nil)
            await throttle.recordFailure(username: "admin", client: "a", now: start.addingTimeInterval(Double(second)))
        }
        // Case does not matter; a different client is locked out of this user too.
        #expect(await throttle.retryAfter(username: "ADMIN", client: "b", now: start.addingTimeInterval(10)) == 50)
        #expect(await throttle.retryAfter(username: "admin", client: "b", now: start.addingTimeInterval(60.5)) == nil)
    }

    @Test func locksAClientAcrossUsernames() async {
        let throttle = LoginThrottle(maxFailuresPerUser: 100, maxFailuresPerClient: 2, window: 30)
        await throttle.recordFailure(username: "a", client: "10.0.0.9", now: start)
        await throttle.recordFailure(username: "b", client: "10.0.0.9", now: start)
        #expect(await throttle.retryAfter(username: "c", client: "10.0.0.9", now: start) == 30)
        #expect(await throttle.retryAfter(username: "c", client: "10.0.0.10", now: start) == nil)
    }

    @Test func successClearsTheUsernameButNotTheClient() async {
        let throttle = LoginThrottle(maxFailuresPerUser: 2, maxFailuresPerClient: 3, window: 30)
        await throttle.recordFailure(username: "u", client: "c", now: start)
        await throttle.recordSuccess(username: "u")
        await throttle.recordFailure(username: "u", client: "c", now: start)
        #expect(await throttle.retryAfter(username: "u", client: "c", now: start) == nil)
        await throttle.recordFailure(username: "v", client: "c", now: start)
        #expect(await throttle.retryAfter(username: "w", client: "c", now: start) == 30)
    }
}
