import Foundation

/// A half-open span of time `[start, end)` in UTC.
public struct TimeSpan: Sendable, Equatable, Codable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    public var seconds: TimeInterval { end.timeIntervalSince(start) }

    public func overlaps(_ other: TimeSpan) -> Bool { start < other.end && other.start < end }
}

/// Footage without interruption: neighbouring segments merged into one span.
public struct FootageRange: Sendable, Equatable {
    public var span: TimeSpan
    /// How many segment files the range covers.
    public var recordings: Int
}

/// A day's footage as the timeline shows it: ranges, the gaps between them, and the total.
public struct ConsolidatedTimeline: Sendable, Equatable {
    public var ranges: [FootageRange]
    public var gaps: [TimeSpan]
    public var recordedSeconds: TimeInterval
}

/// Merges segment spans into the ranges and gaps of one window (a local day).
///
/// Segments are clipped to the window and sorted; two neighbours merge when they overlap or
/// the hole between them is at most `mergeTolerance` (a segment boundary leaves a hole of a
/// fraction of a second). Gaps cover what no range covers from the window's start up to
/// `coveredUntil` (the window's end, or now for today: the future is not a gap).
public enum TimelineConsolidator {
    public static let defaultMergeTolerance: TimeInterval = 2

    public static func consolidate(_ segments: [TimeSpan], within window: TimeSpan, coveredUntil: Date? = nil,
                                   mergeTolerance: TimeInterval = defaultMergeTolerance) -> ConsolidatedTimeline {
        let clipped = segments.compactMap { segment -> TimeSpan? in
            let span = TimeSpan(start: max(segment.start, window.start), end: min(segment.end, window.end))
            return span.start < span.end ? span : nil
        }.sorted { $0.start < $1.start }

        var ranges: [FootageRange] = []
        for span in clipped {
            if var last = ranges.last, span.start.timeIntervalSince(last.span.end) <= mergeTolerance {
                last.span.end = max(last.span.end, span.end)
                last.recordings += 1
                ranges[ranges.count - 1] = last
            } else {
                ranges.append(FootageRange(span: span, recordings: 1))
            }
        }

        let horizon = min(max(coveredUntil ?? window.end, window.start), window.end)
        var gaps: [TimeSpan] = []
        var cursor = window.start
        for range in ranges where cursor < horizon {
            if range.span.start > cursor { gaps.append(TimeSpan(start: cursor, end: min(range.span.start, horizon))) }
            cursor = max(cursor, range.span.end)
        }
        if cursor < horizon { gaps.append(TimeSpan(start: cursor, end: horizon)) }

        let recorded = ranges.reduce(0) { $0 + $1.span.seconds }
        return ConsolidatedTimeline(ranges: ranges, gaps: gaps, recordedSeconds: recorded)
    }
}
