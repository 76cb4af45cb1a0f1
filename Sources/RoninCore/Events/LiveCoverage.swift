import Foundation

/// The stretches of time during which live detection watched a camera, for deciding whether an
/// event found later by historical analysis is new: one inside a watch (with `margin` on both
/// sides, for the time the live detector takes to see what the recording holds) was either
/// reported live already or was not there, so it is dropped.
public struct LiveCoverage: Sendable, Equatable {
    /// One watch: from its first frame to its last (an open watch is still going on: `end` is nil).
    public struct Watch: Sendable, Equatable {
        public let start: Date
        public let end: Date?

        public init(start: Date, end: Date?) {
            self.start = start
            self.end = end
        }
    }

    public let watches: [Watch]
    public let margin: TimeInterval

    public init(watches: [Watch], margin: TimeInterval = 5) {
        self.watches = watches
        self.margin = margin
    }

    /// Whether live detection watched the camera at `instant` (an open watch covers up to `now`).
    public func covers(_ instant: Date, now: Date = Date()) -> Bool {
        watches.contains { watch in
            let end = watch.end ?? now
            return instant >= watch.start.addingTimeInterval(-margin) && instant <= end.addingTimeInterval(margin)
        }
    }

    /// Whether an event spanning `start`...`end` happened while live detection watched: live
    /// detection reported it if it saw either end of it (an object there when a watch began is
    /// not reported arriving, but its departure is).
    public func covers(eventStart start: Date, end: Date, now: Date = Date()) -> Bool {
        covers(start, now: now) || covers(end, now: now)
    }
}
