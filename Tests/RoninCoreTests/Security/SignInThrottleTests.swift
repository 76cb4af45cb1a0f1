import Foundation
import Testing
@testable import RoninCore

/// Lockout per username and source, per client, and the slower ceiling per username; attempts
/// in flight count; known devices keep their own count; memory stays bounded.
@Suite(.timeLimit(.minutes(2))) struct SignInThrottleTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let limits = SignInThrottle.Limits(perSource: 3, perClient: 10, perUsername: 6)

    func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    @discardableResult
    func fail(_ throttle: inout SignInThrottle, _ username: String, from client: String, device: String? = nil, at time: Date) -> Bool {
        guard case .admitted(let attempt) = throttle.begin(username: username, client: client, device: device, now: time) else { return false }
        throttle.finish(attempt, succeeded: false, now: time)
        return true
    }

    @Test func locksAUsernameForOneSourceOnlyAndReleasesAfterTheWindow() {
        var throttle = SignInThrottle(limits: limits, window: 60)
        for second in 0..<3 { #expect(fail(&throttle, "admin", from: "10.0.0.9", at: at(Double(second)))) }
        // Case does not matter; the same client is locked out of this username.
        #expect(throttle.begin(username: "ADMIN", client: "10.0.0.9", now: at(10)) == .refused(retryAfter: 50))
        // Another machine is not: a stranger cannot lock the owner out.
        guard case .admitted = throttle.begin(username: "admin", client: "10.0.0.2", now: at(10)) else {
            Issue.record("another client was locked out")
            return
        }
        guard case .admitted = throttle.begin(username: "admin", client: "10.0.0.9", now: at(60.5)) else {
            Issue.record("still locked after the window")
            return
        }
    }

    @Test func attemptsInFlightCountSoABurstCannotAllBeEvaluated() {
        var throttle = SignInThrottle(limits: limits, window: 60)
        var admitted: [SignInThrottle.Attempt] = []
        var refused = 0
        for _ in 0..<40 {
            switch throttle.begin(username: "admin", client: "10.0.0.9", now: start) {
            case .admitted(let attempt): admitted.append(attempt)
            case .refused(let wait):
                #expect(wait == 1, "locked by attempts still in flight: try again in a second")
                refused += 1
            }
        }
        #expect(admitted.count == 3 && refused == 37)
        for attempt in admitted { throttle.finish(attempt, succeeded: false, now: at(1)) }
        #expect(throttle.begin(username: "admin", client: "10.0.0.9", now: at(2)) == .refused(retryAfter: 59))
    }

    @Test func aClientIsLockedAcrossUsernames() {
        var throttle = SignInThrottle(limits: .init(perSource: 100, perClient: 2, perUsername: 100), window: 30)
        fail(&throttle, "a", from: "10.0.0.9", at: start)
        fail(&throttle, "b", from: "10.0.0.9", at: start)
        #expect(throttle.begin(username: "c", client: "10.0.0.9", now: start) == .refused(retryAfter: 30))
        guard case .admitted = throttle.begin(username: "c", client: "10.0.0.10", now: start) else {
            Issue.record("another client was locked")
            return
        }
    }

    @Test func theUsernameCeilingLocksNewSourcesButNotAKnownDevice() {
        var throttle = SignInThrottle(limits: limits, window: 300)
        // Guesses spread over many addresses, two each: no address reaches its own limit.
        for n in 0..<3 {
            fail(&throttle, "admin", from: "10.0.1.\(n)", at: at(Double(n)))
            fail(&throttle, "admin", from: "10.0.1.\(n)", at: at(Double(n)))
        }
        #expect(throttle.begin(username: "admin", client: "10.0.2.1", now: at(5)) == .refused(retryAfter: 295))
        // The owner's browser signed in before and proves it: it keeps its own count.
        guard case .admitted(let attempt) = throttle.begin(username: "admin", client: "10.0.1.0", device: "owner", now: at(5)) else {
            Issue.record("the known device was locked out by strangers")
            return
        }
        throttle.finish(attempt, succeeded: true, now: at(5))
        // Its own mistakes still count, against it alone.
        for second in 6..<9 { fail(&throttle, "admin", from: "10.0.1.0", device: "owner", at: at(Double(second))) }
        #expect(throttle.begin(username: "admin", client: "10.0.1.0", device: "owner", now: at(9)) == .refused(retryAfter: 297))
    }

    @Test func successClearsTheSourceButNotTheClient() {
        var throttle = SignInThrottle(limits: .init(perSource: 2, perClient: 3, perUsername: 100), window: 30)
        fail(&throttle, "u", from: "c", at: start)
        guard case .admitted(let attempt) = throttle.begin(username: "u", client: "c", now: start) else {
            Issue.record("one failure, under every limit, already locked the client out")
            return
        }
        throttle.finish(attempt, succeeded: true, now: start)
        fail(&throttle, "u", from: "c", at: start)
        guard case .admitted = throttle.begin(username: "u", client: "c", now: start) else {
            Issue.record("the success did not clear the username's count")
            return
        }
        var fresh = SignInThrottle(limits: .init(perSource: 2, perClient: 3, perUsername: 100), window: 30)
        fail(&fresh, "u", from: "c", at: start)
        fail(&fresh, "v", from: "c", at: start)
        fail(&fresh, "w", from: "c", at: start)
        #expect(fresh.begin(username: "x", client: "c", now: start) == .refused(retryAfter: 30))
    }

    @Test func memoryStaysBoundedWhateverClientsSend() {
        var throttle = SignInThrottle(limits: limits, window: 300, maxKeys: 500)
        for n in 0..<5_000 {
            fail(&throttle, "user\(n)", from: "10.\(n / 65536).\(n / 256 % 256).\(n % 256)", at: at(Double(n) / 100))
        }
        #expect(throttle.keyCount(.source) <= 500)
        #expect(throttle.keyCount(.client) <= 500)
        #expect(throttle.keyCount(.username) <= 500)
        // Failures of one key never pile up beyond what the decision needs.
        for second in 0..<500 { fail(&throttle, "admin", from: "10.9.9.9", device: "d", at: at(200 + Double(second) * 0.001)) }
        #expect(throttle.keyCount(.source) <= 500)
    }
}
