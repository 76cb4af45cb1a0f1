import Foundation

/// Delays between reconnect attempts: exponential from `initial` to `maximum`, with full
/// jitter in the upper half (so many cameras failing together do not retry in lock-step).
/// `reset()` after a run that lasted long enough to count as healthy.
public struct ReconnectBackoff: Sendable {
    public let initial: Double
    public let maximum: Double
    public private(set) var attempt = 0

    public init(initial: Double = 1, maximum: Double = 60) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The nominal delay of the next attempt, before jitter.
    public var nominalDelay: Double {
        min(maximum, initial * pow(2, Double(attempt)))
    }

    /// The next delay in seconds: between half and all of the nominal delay.
    public mutating func next<R: RandomNumberGenerator>(using generator: inout R) -> Double {
        let nominal = nominalDelay
        attempt += 1
        return nominal / 2 + Double.random(in: 0...(nominal / 2), using: &generator)
    }

    public mutating func next() -> Double {
        var generator = SystemRandomNumberGenerator()
        return next(using: &generator)
    }

    public mutating func reset() {
        attempt = 0
    }
}
