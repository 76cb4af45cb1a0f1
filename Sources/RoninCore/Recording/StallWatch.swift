import Foundation

/// Decides whether a camera's ffmpeg is still making progress, from what its outputs show.
///
/// Each output is observed as an opaque value that changes whenever the output moves on: the
/// media clock ffmpeg reports, the name and size of the segment being recorded, the live
/// playlist's modification time. How often a healthy output changes is its `Cadence`:
///
/// - `steady` outputs change at least every second or two whatever the camera sends (ffmpeg's
///   progress report, and recording segments, whose fragments are at most a second long and
///   written out as they are made). One that has not changed for `timeout` seconds has stalled.
/// - `keyframeBound` outputs change only when the camera sends a keyframe (a live HLS playlist
///   gains a segment per GOP, which may be 10 s or more on a quiet camera at night). Such an
///   output may stay unchanged for `timeout` or for twice the longest interval it has shown,
///   whichever is longer (at most `keyframeBoundCeiling`).
///
/// Before its first change any output may wait `keyframeBoundCeiling`: ffmpeg writes nothing
/// until the camera's first keyframe, which a quiet camera may send only every 10 s or more.
/// An output not seen yet counts as unchanged since `start`. Pure: time is passed in.
public struct StallWatch: Sendable {
    /// How often a healthy output changes.
    public enum Cadence: Sendable {
        case steady
        case keyframeBound
    }

    /// The outcome of one look at the outputs.
    public struct Verdict: Sendable, Equatable {
        /// Every output has changed at least once.
        public let allStarted: Bool
        /// The first output (by name) that has gone quiet for longer than it may, if any.
        public let stalledOutput: String?
        /// How long that output (or, when none stalled, the quietest steady one) has been unchanged.
        public let idleSeconds: TimeInterval
    }

    private struct Track: Sendable {
        let cadence: Cadence
        var value: String?
        var changedAt: Date?
        var longestInterval: TimeInterval = 0
    }

    public let timeout: TimeInterval
    public let keyframeBoundCeiling: TimeInterval
    private let start: Date
    private var tracks: [String: Track]

    public init(outputs: [String: Cadence], timeout: TimeInterval, start: Date, keyframeBoundCeiling: TimeInterval = 60) {
        self.timeout = timeout
        self.keyframeBoundCeiling = max(timeout, keyframeBoundCeiling)
        self.start = start
        tracks = outputs.mapValues { Track(cadence: $0) }
    }

    /// Records what an output shows now; nil means it shows nothing yet (no file, no report).
    public mutating func observe(_ name: String, value: String?, at now: Date) {
        guard var track = tracks[name], let value, value != track.value else { return }
        if let previous = track.changedAt {
            track.longestInterval = max(track.longestInterval, now.timeIntervalSince(previous))
        }
        track.value = value
        track.changedAt = now
        tracks[name] = track
    }

    /// How long `name` may stay unchanged before it counts as stalled.
    public func allowance(for name: String) -> TimeInterval {
        guard let track = tracks[name] else { return timeout }
        // Nothing reaches any output before the camera's first keyframe.
        guard track.changedAt != nil else { return keyframeBoundCeiling }
        switch track.cadence {
        case .steady:
            return timeout
        case .keyframeBound:
            guard track.longestInterval > 0 else { return keyframeBoundCeiling }
            return min(keyframeBoundCeiling, max(timeout, 2 * track.longestInterval))
        }
    }

    public func verdict(at now: Date) -> Verdict {
        let allStarted = tracks.values.allSatisfy { $0.changedAt != nil }
        var quietestSteady: TimeInterval = 0
        for name in tracks.keys.sorted() {
            let track = tracks[name]!
            let idle = now.timeIntervalSince(track.changedAt ?? start)
            if idle > allowance(for: name) {
                return Verdict(allStarted: allStarted, stalledOutput: name, idleSeconds: idle)
            }
            if track.cadence == .steady { quietestSteady = max(quietestSteady, idle) }
        }
        return Verdict(allStarted: allStarted, stalledOutput: nil, idleSeconds: quietestSteady)
    }
}
