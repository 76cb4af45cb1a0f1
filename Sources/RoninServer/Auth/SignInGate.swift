import Foundation
import RoninCore

/// Admits sign-in attempts: the `SignInThrottle` decides per username, source and client, and
/// a cap on how many attempts are evaluated at once keeps a burst of password checks (bcrypt,
/// a quarter of a second each by design) from queueing up behind each other. Beyond the cap an
/// attempt is refused at once with `503` and `Retry-After: 1`, without touching any counter.
///
/// Every admitted attempt must be ended with `finish`, success or not.
actor SignInGate {
    /// An admitted attempt.
    struct Ticket: Sendable {
        fileprivate let attempt: SignInThrottle.Attempt
    }

    private var throttle: SignInThrottle
    let maxConcurrent: Int
    private var evaluating = 0

    init(limits: SignInThrottle.Limits, window: TimeInterval, maxConcurrent: Int) {
        throttle = SignInThrottle(limits: limits, window: window)
        self.maxConcurrent = max(1, maxConcurrent)
    }

    /// Admits the attempt or throws the `429` (locked) or `503` (busy) to answer with.
    func admit(username: String, client: String, device: String?, now: Date = Date()) throws -> Ticket {
        guard evaluating < maxConcurrent else {
            throw APIError(.serviceUnavailable, "busy", "Too many sign-ins at once; try again in a second",
                           headers: [.retryAfter: "1"])
        }
        switch throttle.begin(username: username, client: client, device: device, now: now) {
        case .refused(let seconds):
            throw APIError.tooManyAttempts(retryAfter: seconds)
        case .admitted(let attempt):
            evaluating += 1
            return Ticket(attempt: attempt)
        }
    }

    func finish(_ ticket: Ticket, succeeded: Bool, now: Date = Date()) {
        evaluating -= 1
        throttle.finish(ticket.attempt, succeeded: succeeded, now: now)
    }
}
