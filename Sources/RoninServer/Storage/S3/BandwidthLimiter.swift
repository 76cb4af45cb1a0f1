import Foundation

/// Paces bytes to at most `bytesPerSecond`, shared by every upload that uses it, so that
/// archiving to cold storage never takes the disk or the uplink from recording.
///
/// It is a generic cell-rate algorithm: each admitted byte moves a theoretical finish time on by
/// 1/rate; a caller whose bytes would finish more than `burst` bytes' worth ahead of now waits
/// until they would not. Over any span, at most `burst + rate × span` bytes are admitted. The
/// clock and the sleep are passed in, so tests can run it on a clock of their own.
actor BandwidthLimiter {
    let bytesPerSecond: Int
    let burst: Int
    private let now: @Sendable () -> Duration
    private let sleep: @Sendable (Duration) async throws -> Void
    /// When the bytes admitted so far would have finished at exactly the rate.
    private var finish: Duration?

    /// Bytes admitted so far.
    private(set) var bytesAdmitted: Int64 = 0
    /// How many times a caller had to wait, and for how long in all.
    private(set) var pauses = 0
    private(set) var totalPause: Duration = .zero

    /// A limiter on the continuous clock. `burst` (default: a tenth of a second's worth, at
    /// least 64 KiB) is how far ahead of the rate a caller may run.
    init(bytesPerSecond: Int, burst: Int? = nil) {
        let clock = ContinuousClock()
        let origin = clock.now
        self.init(bytesPerSecond: bytesPerSecond, burst: burst,
                  now: { origin.duration(to: clock.now) },
                  sleep: { try await Task.sleep(for: $0) })
    }

    init(bytesPerSecond: Int, burst: Int? = nil, now: @escaping @Sendable () -> Duration,
         sleep: @escaping @Sendable (Duration) async throws -> Void) {
        precondition(bytesPerSecond > 0, "a bandwidth limit is at least one byte per second")
        self.bytesPerSecond = bytesPerSecond
        self.burst = max(0, burst ?? max(65_536, bytesPerSecond / 10))
        self.now = now
        self.sleep = sleep
    }

    /// The chunk size that keeps the pacing smooth at this rate: a quarter of a second's worth,
    /// between 16 KiB and 256 KiB.
    nonisolated var suggestedChunkSize: Int {
        min(262_144, max(16_384, bytesPerSecond / 4))
    }

    /// Waits until `count` more bytes may go, then counts them as gone. Throws only when the
    /// waiting task is cancelled.
    func admit(_ count: Int) async throws {
        guard count > 0 else { return }
        let current = now()
        let start = max(finish ?? current, current)
        let next = start + Self.duration(bytes: count, rate: bytesPerSecond)
        finish = next
        bytesAdmitted += Int64(count)
        let wait = next - Self.duration(bytes: burst, rate: bytesPerSecond) - current
        if wait > .zero {
            pauses += 1
            totalPause += wait
            try await sleep(wait)
        }
    }

    /// `bytes / rate` seconds, exact to the attosecond.
    static func duration(bytes: Int, rate: Int) -> Duration {
        .seconds(Int64(bytes)) / rate
    }
}
