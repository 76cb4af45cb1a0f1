import Foundation

/// What happens when an attempt of a job fails: another attempt after an exponential backoff
/// (`base`, times `factor` for each attempt so far, at most `ceiling`), until `maxAttempts`
/// have been made, then the job is parked. A permanent error parks it at once. Pure.
public struct JobRetryPolicy: Sendable, Equatable {
    public var base: TimeInterval
    public var factor: Double
    public var ceiling: TimeInterval

    public init(base: TimeInterval = 10, factor: Double = 4, ceiling: TimeInterval = 3600) {
        self.base = base
        self.factor = factor
        self.ceiling = ceiling
    }

    /// The wait before the next attempt, after `attempt` attempts (1 after the first).
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = Double(max(0, attempt - 1))
        return min(ceiling, base * pow(factor, exponent))
    }

    /// The state a job takes after its `attempt`-th attempt failed, and when it may run again.
    public func afterFailure(attempt: Int, maxAttempts: Int, permanent: Bool, now: Date) -> (state: JobState, runAt: Date?) {
        if permanent || attempt >= maxAttempts { return (.parked, nil) }
        return (.failed, now.addingTimeInterval(delay(afterAttempt: attempt)))
    }

    /// Whether a job whose lease ran out may run again, or has used up its attempts (a job that
    /// kills its worker every time must not keep the queue busy forever).
    public static func mayReclaim(attempt: Int, maxAttempts: Int) -> Bool {
        attempt < maxAttempts
    }
}
